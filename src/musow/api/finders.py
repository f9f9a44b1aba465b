"""Static files: the apps' own, less the Redoc bundle drf-spectacular-sidecar ships (musow
serves Swagger UI only; Redoc's 5 MB would only lengthen `collectstatic`)."""

from collections.abc import Iterator
from typing import Any

from django.contrib.staticfiles import finders

SKIPPED = ("drf_spectacular_sidecar/redoc/",)


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, Any]]:
        for path, storage in super().list(ignore_patterns):
            if not path.replace("\\", "/").startswith(SKIPPED):
                yield path, storage

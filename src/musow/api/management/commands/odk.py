"""`musow odk pull [--dry-run] [--user NAME] [--lang fr|en]`

Fetches the musow form's submissions from the ODK Central server in MUSOW_ODK_URL
(project MUSOW_ODK_PROJECT, form MUSOW_ODK_FORM; MUSOW_ODK_TOKEN, or MUSOW_ODK_EMAIL and
MUSOW_ODK_PASSWORD) as its CSV ZIP export and imports them: all or nothing, idempotent
by instance UUID.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from musow.api.management.commands._pull import PullCommand
from musow.api.pull import PullResult, odk_pull


class Command(PullCommand):
    help = gettext("Pull the musow form's submissions from ODK Central and import them.")

    def pull(self, **kwargs: Any) -> PullResult:
        return odk_pull(
            url=settings.ODK_URL,
            project=settings.ODK_PROJECT,
            form=settings.ODK_FORM,
            token=settings.ODK_TOKEN,
            email=settings.ODK_EMAIL,
            password=settings.ODK_PASSWORD,
            **kwargs,
        )

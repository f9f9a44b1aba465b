"""`musow kobo pull [--dry-run] [--user NAME] [--lang fr|en]`

Fetches every submission of the musow form from the KoboToolbox server in
MUSOW_KOBO_URL (token MUSOW_KOBO_TOKEN, form MUSOW_KOBO_ASSET) and imports them: all or
nothing, idempotent by instance UUID (a second pull leaves them unchanged).
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext

from musow.api.management.commands._pull import PullCommand
from musow.api.pull import PullResult, kobo_pull


class Command(PullCommand):
    help = gettext("Pull the musow form's submissions from KoboToolbox and import them.")

    def pull(self, **kwargs: Any) -> PullResult:
        return kobo_pull(
            url=settings.KOBO_URL, token=settings.KOBO_TOKEN, asset=settings.KOBO_ASSET, **kwargs
        )

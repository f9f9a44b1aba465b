"""Start-up checks of musow's secrets (run by `musow serve` and the other commands)."""

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError


@register()
def attendee_keys_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The configured MUSOW_ATTENDEE_KEY is the chain that made the stored keys."""
    from musow.activities.keys import WRONG_KEY, configured_key_matches

    try:
        if configured_key_matches():
            return []
    except ImproperlyConfigured:  # no key at all: musow/secret_keys.py says so first
        return []
    except DatabaseError:  # no database yet, or not migrated: nothing stored to compare
        return []
    return [
        Error(
            str(WRONG_KEY),
            hint="musow attendees rekey --help",
            id="musow.E001",
        )
    ]

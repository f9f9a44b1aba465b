"""A write that could not get its turn: another transaction held the database (SQLite)
or the row (PostgreSQL) for longer than `settings.DB_WAIT`.

Such a write was rolled back whole: nothing of it was written. The doors answer it
with "try again" (the web: HTTP 503, the user's input kept; commands: a message),
never with a 500 or a traceback.
"""

from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

# PostgreSQL: lock_not_available (lock_timeout), deadlock_detected, serialization_failure
_PG_BUSY = {"55P03", "40P01", "40001"}

BUSY_MESSAGE = _(
    "Another save is in progress (a large import, for instance) and yours could not wait "
    "for it to finish: nothing was written. Try again in a moment."
)


def is_busy(exc: BaseException) -> bool:
    """Whether an exception is the database saying another write holds what this one
    needs (as opposed to a real fault)."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _PG_BUSY:
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database table is locked" in text

"""The `musow` command: Django's management commands under the project's name.

musow setup            create or migrate the database and load reference data
musow demo             setup + the 2014 demo data set (idempotent)
musow figures --year 2014 --lang fr [--format json]
musow places load FILE
musow serve            serve the web application

Outside DEBUG, no command starts without its secrets (musow/secret_keys.py).
"""

import os
import sys

# What runs without the secrets: help and version only.
_WITHOUT_SECRETS = {"help", "--help", "-h", "version", "--version"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    from musow.secret_keys import refuse_without_secrets

    args = sys.argv[1:]
    if args and args[0] not in _WITHOUT_SECRETS:
        try:
            refuse_without_secrets(settings)
        except ImproperlyConfigured as exc:
            sys.stderr.write(f"{exc}\n")
            sys.exit(2)
    try:
        execute_from_command_line(["musow", *args])
    except OperationalError as exc:
        # Another write held the database longer than MUSOW_DB_WAIT: a message, not a
        # traceback (the command's transaction was rolled back whole).
        from musow.lib.busy import BUSY_MESSAGE, is_busy

        if not is_busy(exc):
            raise
        sys.stderr.write(f"{BUSY_MESSAGE}\n")
        sys.exit(1)
    _catch_up()


def _catch_up() -> None:
    """After a command that changed the register (an import, the demo, a load), the
    analytics store copies the changes now, not when the next figure is asked for."""
    from django.apps import apps

    if not apps.ready:
        return
    from musow.analytics.sync import sync_quietly

    sync_quietly()


if __name__ == "__main__":
    main()

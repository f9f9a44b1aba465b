"""The `musow` command: Django's management commands under the project's name.

musow setup            create or migrate the database and load reference data
musow demo             setup + the 2014 demo data set (idempotent)
musow figures --year 2014 --lang fr [--format json]
musow places load FILE
musow serve            serve the web application
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
    from django.core.management import execute_from_command_line
    from django.db import OperationalError

    try:
        execute_from_command_line(["musow", *sys.argv[1:]])
    except OperationalError as exc:
        # Another write held the database longer than MUSOW_DB_WAIT: a message, not a
        # traceback (the command's transaction was rolled back whole).
        from musow.lib.busy import BUSY_MESSAGE, is_busy

        if not is_busy(exc):
            raise
        sys.stderr.write(f"{BUSY_MESSAGE}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()

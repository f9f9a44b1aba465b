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

    execute_from_command_line(["musow", *sys.argv[1:]])
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

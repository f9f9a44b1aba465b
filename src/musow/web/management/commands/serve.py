import hashlib
import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from musow.web.search import ensure_search_index

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def plain_http_demo(host: str) -> bool:
    """Served on this machine only, with no TLS proxy in front and nothing said about
    cookies: the demo, over plain HTTP."""
    return (
        host in LOOPBACK
        and not settings.TRUSTED_PROXIES
        and "MUSOW_SECURE_COOKIES" not in os.environ
    )


def static_collect() -> None:
    """`collectstatic` when the static files changed since the last one: it hashes and
    compresses every file (about 20 CPU-seconds), which a restart should not pay again."""
    seen = hashlib.sha256()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            seen.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    mark = Path(settings.STATIC_ROOT) / ".musow-collected"
    if mark.is_file() and mark.read_text() == seen.hexdigest():
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    mark.write_text(seen.hexdigest())


def serve_notes(url: str) -> list[str]:
    """What the apps have to say when musow starts serving at `url` (the demo app: how to
    sign in with its account): each app config may define `serve_notes(url)`, so that
    this command imports no app of its own."""
    notes: list[str] = []
    for config in apps.get_app_configs():
        ask = getattr(config, "serve_notes", None)
        if callable(ask):
            notes += ask(url)
    return notes


class Command(BaseCommand):
    help = gettext(
        "Serve musow with gunicorn (static files by WhiteNoise): collect static files, "
        "then serve until interrupted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help=gettext("host:port (default 127.0.0.1:8000)")
        )
        parser.add_argument(
            "--workers", type=int, default=2, help=gettext("gunicorn workers (default 2)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        addr = options["addr"]
        host, _sep, port = addr.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError(
                _("Give the address as host:port, e.g. 127.0.0.1:8000 (not “%(addr)s”).")
                % {"addr": addr}
            )
        if options["workers"] < 1:
            raise CommandError(_("At least one worker is needed."))
        for proxy in settings.TRUSTED_PROXIES:
            try:
                ipaddress.ip_address(proxy)
            except ValueError:
                raise CommandError(
                    _("MUSOW_TRUSTED_PROXY lists IP addresses (not “%(value)s”).")
                    % {"value": proxy}
                ) from None
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        self._check_database()
        static_collect()
        ensure_search_index()  # a database loaded before the index existed gets it now
        url = f"http://{addr}"
        self.stdout.write(_("musow is served at %(url)s (Ctrl+C to stop).") % {"url": url})
        if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            self.stdout.write(
                _("Add %(host)s to MUSOW_ALLOWED_HOSTS to reach musow by that name.")
                % {"host": host}
            )
        for note in serve_notes(url):
            self.stdout.write(note)
        self.stdout.flush()
        connections.close_all()
        if plain_http_demo(host):
            # Plain HTTP on this machine only (the demo): cookies marked Secure would not
            # come back, and signing in would fail. Behind a TLS proxy (MUSOW_TRUSTED_PROXY)
            # musow is on a loopback address too, and the cookies stay Secure.
            os.environ["MUSOW_SECURE_COOKIES"] = "0"
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "musow.wsgi:application",
            "--bind",
            addr,
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
            # gunicorn too believes X-Forwarded-Proto from the configured proxy only (its
            # default is any local process).
            "--forwarded-allow-ips",
            ",".join(settings.TRUSTED_PROXIES),
        ]
        os.execv(sys.executable, argv)  # gunicorn takes over this process (and Ctrl+C)

    def _check_database(self) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            raise CommandError(
                _("Cannot reach the database: %(error)s") % {"error": str(exc).strip()}
            ) from None
        if pending:
            raise CommandError(
                _("The database is not set up: run “musow setup” (or “musow demo”) first.")
            )

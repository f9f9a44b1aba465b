import os
import uuid

import pytest
from django.db import connection

from musow.reference import reference_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: F811
    """Every test database starts with the shipped reference data."""
    with django_db_blocker.unblock():
        expected = os.getenv("MUSOW_EXPECT_DB")
        if expected:
            assert connection.vendor == expected, (
                f"the suite was asked to run on {expected} but runs on {connection.vendor}"
            )
        reference_load()


@pytest.fixture(autouse=True)
def plain_static_files(settings, tmp_path):
    """Pages are rendered without `collectstatic`'s manifest."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def analytics_store(settings, tmp_path_factory):
    """Figures come from a DuckDB store of the test session's own (not ./var's), and
    dashboards are cached in memory for one test only. A store a test wrote to is
    discarded after it (the test's register is rolled back; the store would not be): the
    next figure rebuilds it from the register."""
    from musow.analytics import sync

    base = tmp_path_factory.getbasetemp() / "analytics"
    settings.ANALYTICS = {
        "ENGINE": "duckdb",
        "PATH": str(base / "analytics.duckdb"),
        "URL": "",
        "AUTO_REBUILD_MAX": 200_000,
    }
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }
    writes = sync.WRITES[0]
    yield
    if sync.WRITES[0] != writes:
        store = sync.current_store()
        if store is not None:
            store.discard()


@pytest.fixture
def demo_reports(db):
    """The demo's illustrative year of SGBV provider reports (2014: Bamako and Gao)."""
    from musow.protection.demo import protection_demo_load

    return protection_demo_load()

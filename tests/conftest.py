import os

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

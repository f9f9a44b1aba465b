"""Explicit development secrets for the test suite (loaded first, by `-p tests.devkeys`
in pyproject.toml, before pytest-django reads the settings).

The suite runs as production does (DEBUG off), where musow refuses to start without its
own MUSOW_SECRET_KEY and MUSOW_ATTENDEE_KEY. These public values are for tests only; the
programs the suite starts (`musow …`, the e2e server) inherit them. Values already in the
environment win.
"""

import os

TEST_SECRET_KEY = "musow-tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
TEST_ATTENDEE_KEY = "musow-tests-only-attendee-key-0123456789-abcdefghijklmnopqrstuvwxyz"

os.environ.setdefault("MUSOW_SECRET_KEY", TEST_SECRET_KEY)
os.environ.setdefault("MUSOW_ATTENDEE_KEY", TEST_ATTENDEE_KEY)

"""musow's benchmark: synthetic data at scale, loaded into SQLite and PostgreSQL, and
the counting engine timed against hand-written SQL. See bench/README.md."""

import os

# The benchmark's databases are synthetic: public benchmark secrets stand in for
# MUSOW_SECRET_KEY and MUSOW_ATTENDEE_KEY (required outside DEBUG) unless they are set.
os.environ.setdefault(
    "MUSOW_SECRET_KEY", "musow-bench-only-secret-key-not-for-real-data-0123456789"
)
os.environ.setdefault(
    "MUSOW_ATTENDEE_KEY", "musow-bench-only-attendee-key-not-for-real-data-0123456789"
)

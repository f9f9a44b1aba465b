"""musow's benchmark: synthetic data at scale, loaded into SQLite and PostgreSQL, and
the counting engine timed against hand-written SQL. See bench/README.md."""

"""The project's operations, for whoever runs musow: `musow setup` (create or migrate the
database, load the reference data of `musow/reference.py`), `musow backup` and
`musow restore` (the whole database, by its engine's own tools: `backup.py`).

An app of its own so that these project-wide commands belong to no domain app and to no
door; it imports no door, and no app imports it.
"""

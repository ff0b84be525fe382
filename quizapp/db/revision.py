"""The newest schema revision, as a constant so that starting the app needs no Alembic.

`tests/test_migrations.py` checks it against the migration scripts.
"""

HEAD_REVISION = "0006"

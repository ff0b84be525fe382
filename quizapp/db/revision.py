"""Schema revisions without Alembic: the newest one as a constant, and the stored one.

Starting the app needs neither Alembic nor its script directory when the two agree.

`tests/test_migrations.py` checks HEAD_REVISION against the migration scripts.
"""

from sqlalchemy import Engine, inspect, text

HEAD_REVISION = "0006"


def stored_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database (None for an empty database)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return str(value) if value is not None else None

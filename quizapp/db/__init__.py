"""Persistence: SQLAlchemy 2.x ORM tables, engine set-up, Alembic migrations, repository."""

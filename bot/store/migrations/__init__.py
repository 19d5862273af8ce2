"""Alembic migration environment and history (see bot/store/migrate.py)."""

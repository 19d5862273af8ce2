"""Alembic's entry point, run by bot/store/migrate.py inside its locked transaction (never on its own:
the connection comes from `config.attributes`, so there is no alembic.ini and no URL here)."""

from __future__ import annotations

from alembic import context

from bot.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.store.migrate.upgrade(), which holds the migration lock")
# render_as_batch: SQLite alters most tables only by copying them; Alembic's batch mode does that for us.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():  # joins the caller's transaction: one commit for the whole upgrade
    context.run_migrations()

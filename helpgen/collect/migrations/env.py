"""Alembic's entry point: run the migrations on the connection store.py hands over."""

from alembic import context

context.configure(connection=context.config.attributes["connection"],
                  render_as_batch=True)      # SQLite alters a table by copying it
with context.begin_transaction():
    context.run_migrations()

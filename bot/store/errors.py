"""Database errors: what a failed query may put into a log line or a traceback (no row), and which
failures are a race lost to another process rather than a database in trouble.

Two things would otherwise carry a member's (redacted) question into the logs: SQLAlchemy appends the
statement's bound values to its message ("[parameters: …]"), and PostgreSQL adds a DETAIL line that can
repeat the whole row ("Failing row contains (…)" for a NOT NULL or CHECK violation). Every engine is
made with `hide_parameters=True` (bot/store/engines.py) and gets `keep_rows_out` below, which cuts the
driver's message down to PostgreSQL's primary message before SQLAlchemy's exception is raised.
"""

from __future__ import annotations

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

#: SQLSTATE class 40, "transaction rollback": PostgreSQL aborted this transaction so that another could
#: go on (deadlock_detected 40P01, serialization_failure 40001). Running it again is the documented remedy.
TRANSACTION_ROLLBACK = "40"


class StoreUnavailable(TimeoutError):
    """The database did not answer an awaited call within the store's deadline (AsyncStore.timeout): a
    frozen server or a cut network, which refuses nothing and so raises nothing by itself.

    A TimeoutError (hence an OSError), so the handlers that already treat a timeout or an unreachable
    database as "carry on without it" (votes, help channels, labelled examples, the write queue) take it too.
    """


#: A database that is down, unreachable, too slow or locked: the request is fine, the database is not.
DOWN = (StoreUnavailable, OperationalError, InterfaceError)


def keep_rows_out(engine: Engine) -> None:
    """Install the hook on `engine` (an AsyncEngine's `sync_engine` for the async side)."""
    event.listen(engine, "handle_error", _strip_detail)


def _strip_detail(context: ExceptionContext) -> None:
    original = context.original_exception
    primary = _primary_message(original)
    if primary is None or primary == str(original):
        return
    # Both exceptions were made for this one failure and are not raised yet: rewriting their text is safe.
    original.args = (primary,)
    wrapped = context.sqlalchemy_exception
    if wrapped is not None:
        wrapped.args = (f"({type(original).__module__}.{type(original).__name__}) {primary}",)


def _primary_message(error: BaseException) -> str | None:
    """PostgreSQL's primary message (psycopg's `diag.message_primary`): no DETAIL, HINT or CONTEXT."""
    diag = getattr(error, "diag", None)
    return getattr(diag, "message_primary", None) if diag is not None else None


def describe(error: BaseException) -> str:
    """One line for a log: the driver's error class and message, without the statement SQLAlchemy
    appends (its values are hidden anyway) or anything after the message's first line."""
    original = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    lines = str(original).strip().splitlines()
    return f"{type(original).__name__}: {lines[0] if lines else '(no message)'}"


def lost_a_race(error: BaseException) -> bool:
    """The database aborted the transaction in favour of a concurrent one (see TRANSACTION_ROLLBACK)."""
    original = error.orig if isinstance(error, DBAPIError) else error
    return str(getattr(original, "sqlstate", None) or "").startswith(TRANSACTION_ROLLBACK)

"""Where the collector keeps what it receives: SQLite (a file in the site folder, by default) or
PostgreSQL, through SQLAlchemy Core; the schema is upgraded by Alembic's migrations (see
migrations/) when a collector opens the database.

Every write is its own transaction, and the collector answers a request only once it is
committed: SQLite runs in WAL mode with `synchronous=FULL`, so a committed row survives the
process being killed (and the machine losing power).

No raw IP address is stored: a reader is known at most as `client`, a hash of their address
with a salt that changes every day (kept in the database, so several collectors agree, and
deleted the day after), which tells one reader's requests apart on one day and links nothing
across days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path

from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, Engine, ForeignKey, Integer,
                        MetaData, String, Table, Text, create_engine, delete, event, insert,
                        select, text)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

from helpgen.errors import CONFIG, HelpgenError

DATA_FOLDER = ".helpgen-collect"     # in the site folder, beside .helpgen-cache
DEFAULT_DATABASE = "collect.db"

metadata = MetaData()

contact = Table(
    "contact", metadata,
    Column("id", Integer, primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("origin", String(200)),           # the site that sent it (scheme and host)
    Column("locale", String(35)),
    Column("page_url", String(2000)),
    Column("category", String(200)),
    Column("email", String(320)),
    Column("name", String(200)),
    Column("subject", String(500)),
    Column("message", Text),
    Column("fields", JSON, nullable=False),  # every field as sent, custom ones too
    Column("context", JSON, nullable=False),  # the page, last article and searches
    Column("client", String(32)),
    Column("spam", Boolean, nullable=False),
)

forwards = Table(
    "forwards", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("target", String(100), nullable=False),
    Column("status", String(20), nullable=False),     # pending, forwarded or failed
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    Column("next_attempt_at", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("origin", String(200)),
    Column("locale", String(35)),
    Column("vote_id", String(64), unique=True),  # a vote and its later comment share it
    Column("url", String(2000), nullable=False),
    Column("article", String(500)),          # the article's source file
    Column("vote", String(3), nullable=False),  # yes or no
    Column("comment", Text),
    Column("client", String(32)),
)

events = Table(
    "events", metadata,
    Column("id", Integer, primary_key=True),
    Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    Column("kind", String(30), nullable=False),
    Column("origin", String(200)),
    Column("locale", String(35)),
    Column("query", String(500)),
    Column("results", Integer),
    Column("url", String(2000)),             # the page it happened on
    Column("article", String(2000)),         # the article it was about, if any
    Column("client", String(32)),
)

salts = Table(
    "salts", metadata,
    Column("day", Date, primary_key=True),
    Column("salt", String(64), nullable=False),
)

RECORDS = (contact, feedback, events)        # what retention_days applies to
PENDING, FORWARDED, FAILED = "pending", "forwarded", "failed"    # forwards.status


def database_url(site_root: Path, given: str | None) -> str:
    """The SQLAlchemy URL of `given` (sqlite:///…, postgresql://…), or of the site's own SQLite
    file. A PostgreSQL URL is driven by psycopg (3)."""
    if not given:
        folder = site_root / DATA_FOLDER
        folder.mkdir(exist_ok=True)
        return f"sqlite:///{folder / DEFAULT_DATABASE}"
    try:
        url = make_url(given)
    except ArgumentError:
        raise HelpgenError(f"'{given}' is not a database URL", None, None,
                           "write e.g. postgresql://user@host/dbname or "
                           "sqlite:///path/to/collect.db") from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    elif url.drivername not in ("sqlite", "postgresql+psycopg"):
        raise HelpgenError(f"helpgen collect stores in SQLite or PostgreSQL, not "
                           f"{url.drivername}", None, None,
                           "write e.g. postgresql://user@host/dbname or sqlite:///collect.db")
    return url.render_as_string(hide_password=False)


def existing_database(site_root: Path, given: str | None) -> Engine:
    """The collector's database, for reading what it stored: the site's own SQLite file must
    exist (an empty new one would only hide a wrong folder)."""
    if not given and not (site_root / DATA_FOLDER / DEFAULT_DATABASE).is_file():
        raise HelpgenError("helpgen collect has stored nothing for this site yet",
                           site_root / DATA_FOLDER / DEFAULT_DATABASE, None,
                           "run 'helpgen collect' for the site, or name its database with "
                           "--database URL", CONFIG)
    return open_database(database_url(site_root, given))


def open_database(url: str) -> Engine:
    """An engine on `url` whose schema is the current one (upgraded if it was older)."""
    # As many connections as the threads requests are stored from (anyio's 40): a burst waits
    # for the database, not for a connection.
    engine = create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20,
                           pool_timeout=60)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # Collectors starting together upgrade one after the other.
                connection.execute(text("SELECT pg_advisory_xact_lock(4711)"))
            _upgrade(connection)
    except OperationalError as error:
        engine.dispose()
        raise HelpgenError(f"could not open the database: {error.orig}", None, None,
                           "check the --database URL, that the server is running and that "
                           "its user may create tables") from None
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _upgrade(connection) -> None:
    """Bring the schema to the newest migration (a new database gets every one)."""
    from alembic import command
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def client_hash(engine: Engine, address: str | None) -> str | None:
    """The reader behind `address`, as today's salted hash (see the module's docstring)."""
    if not address:
        return None
    salt = _salt(engine, now().date())
    return hashlib.sha256(f"{salt}:{address}".encode()).hexdigest()[:32]


_known_salts: dict[tuple[str, dt.date], str] = {}


def _salt(engine: Engine, today: dt.date) -> str:
    """Today's salt: read (or made) once a day per database, not once a request."""
    key = (engine.url.render_as_string(), today)
    if key not in _known_salts:
        with engine.begin() as connection:
            salt = connection.execute(select(salts.c.salt).where(salts.c.day == today)).scalar()
            if salt is None:
                salt = secrets.token_hex(32)
                try:
                    with connection.begin_nested():
                        connection.execute(insert(salts).values(day=today, salt=salt))
                except IntegrityError:          # another collector made today's first
                    salt = connection.execute(
                        select(salts.c.salt).where(salts.c.day == today)).scalar_one()
                connection.execute(delete(salts).where(salts.c.day < today - dt.timedelta(days=1)))
        _known_salts.clear()                    # keep only the salt in use
        _known_salts[key] = salt
    return _known_salts[key]


def add(engine: Engine, table: Table, row: dict) -> int:
    """Store `row` in `table`, committed before this returns; its id."""
    with engine.begin() as connection:
        return connection.execute(insert(table).values(received_at=now(), **row)
                                  ).inserted_primary_key[0]


def add_contact(engine: Engine, row: dict, targets: list[str]) -> int:
    """Store a contact submission and, in the same transaction, one pending forward a target:
    a collector killed before forwarding leaves them for the next one to send."""
    received = now()
    with engine.begin() as connection:
        identifier = connection.execute(insert(contact).values(received_at=received, **row)
                                        ).inserted_primary_key[0]
        if targets and not row.get("spam"):
            connection.execute(insert(forwards), [
                {"contact_id": identifier, "target": target, "status": PENDING, "attempts": 0,
                 "next_attempt_at": received, "updated_at": received} for target in targets])
    return identifier


def due_forwards(engine: Engine, lease: dt.timedelta, limit: int = 20) -> list[dict]:
    """Pending forwards whose time has come, each with its submission, claimed for `lease`
    (another collector on the same database skips them meanwhile; one killed while sending
    leaves them to be tried again once the lease is over)."""
    claimed = []
    moment = now()
    with engine.begin() as connection:
        due = connection.execute(
            select(forwards.c.id, forwards.c.next_attempt_at).where(
                forwards.c.status == PENDING, forwards.c.next_attempt_at <= moment)
            .order_by(forwards.c.next_attempt_at).limit(limit)).all()
    for identifier, planned in due:
        with engine.begin() as connection:
            taken = connection.execute(forwards.update().where(
                forwards.c.id == identifier, forwards.c.next_attempt_at == planned,
                forwards.c.status == PENDING).values(next_attempt_at=moment + lease)).rowcount
            if taken:
                row = connection.execute(
                    select(forwards.c.id.label("forward_id"), forwards.c.target,
                           forwards.c.attempts, contact)
                    .join(contact, contact.c.id == forwards.c.contact_id)
                    .where(forwards.c.id == identifier)).one()
                claimed.append(dict(row._mapping))
    return claimed


def record_attempt(engine: Engine, forward_id: int, error: str | None,
                   retry_at: dt.datetime | None) -> None:
    """A forward's attempt: done (no `error`), to be tried again at `retry_at`, or failed for
    good (an error and no time to retry)."""
    status = FORWARDED if error is None else PENDING if retry_at else FAILED
    with engine.begin() as connection:
        connection.execute(forwards.update().where(forwards.c.id == forward_id).values(
            status=status, attempts=forwards.c.attempts + 1, last_error=error,
            next_attempt_at=retry_at, updated_at=now()))


def add_feedback(engine: Engine, row: dict) -> int:
    """Store a vote, or the comment that follows it (the same `vote_id`): one row a vote."""
    with engine.begin() as connection:
        if row.get("vote_id"):
            existing = connection.execute(select(feedback.c.id).where(
                feedback.c.vote_id == row["vote_id"])).scalar()
            if existing is not None:
                connection.execute(feedback.update().where(feedback.c.id == existing).values(
                    **{key: value for key, value in row.items() if value is not None}))
                return existing
        return connection.execute(insert(feedback).values(received_at=now(), **row)
                                  ).inserted_primary_key[0]


def purge(engine: Engine, retention_days: int) -> int:
    """Delete what is older than `retention_days`; how many rows went."""
    cutoff = now() - dt.timedelta(days=retention_days)
    with engine.begin() as connection:
        return sum(connection.execute(delete(table).where(table.c.received_at < cutoff)).rowcount
                   for table in RECORDS)

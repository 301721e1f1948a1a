"""The classroom's SQLite file: groups, seats and every accepted action, one row each.

A row is committed before the server answers the request that made it, so a server
killed at any moment loses no accepted action; on start the classroom rebuilds every
group by replaying its rows (``teach.group.Group.replay``). Tables:

* ``meta``: the file's format and version, the instructor's token, the CSRF secret;
* ``groups``: id, name, the scenario (a bundled name or an absolute path), the parties
  students play (comma-separated, in the scenario's order);
* ``seats``: token (``secrets.token_urlsafe``), group, party;
* ``moves``: group, sequence number in the group, seat, kind, text, wall-clock time
  (for the record only: the group never reads it);
* ``settings``: per group, the parties that follow their declared strategies
  (comma-separated) and whether its students predict; a group without a row (a file
  from before the table) follows the script and predicts nothing. Opening a file of
  version 1 without the table adds it.

A file that exists but is not a classroom database (another SQLite file, or no SQLite
file at all) is refused and left as it is.
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast, get_args

from negotiation.model.errors import NegotiationError
from negotiation.teach.group import Action, ActionKind

FORMAT = "negotiation-classroom"
VERSION = "1"
_SQLITE_HEADER = b"SQLite format 3\x00"
KINDS = frozenset(get_args(ActionKind))

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    scenario TEXT NOT NULL,
    seats TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE TABLE seats (
    token TEXT PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    party TEXT NOT NULL,
    UNIQUE (group_id, party)
);
CREATE TABLE moves (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    seq INTEGER NOT NULL,
    seat TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (group_id, seq)
);
"""
_SETTINGS = """
CREATE TABLE IF NOT EXISTS settings (
    group_id INTEGER PRIMARY KEY REFERENCES groups(id),
    strategic TEXT NOT NULL,
    predict INTEGER NOT NULL
)
"""


class StoreError(NegotiationError):
    """The database file cannot be used (it is not a classroom database)."""


@dataclass(frozen=True)
class GroupRow:
    id: int
    name: str
    scenario: str
    seats: tuple[str, ...]
    tokens: dict[str, str]
    """party -> seat token"""
    actions: tuple[Action, ...]
    strategic: tuple[str, ...] = ()
    """The parties that follow their declared strategies (the others: the script)."""
    predict: bool = False


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _action(group: int, seat: str, kind: str, text: str) -> Action:
    if kind not in KINDS:
        raise StoreError(f"group {group}: a stored move of unknown kind {kind!r}")
    return Action(seat, cast(ActionKind, kind), text)


class Store:
    """One open classroom database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        fresh = not path.exists() or path.stat().st_size == 0
        if not fresh:
            with path.open("rb") as f:
                if f.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                    raise StoreError(f"{path}: not an SQLite database; choose another --db")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA foreign_keys = ON")
        tables = [r[0] for r in self.db.execute("SELECT name FROM sqlite_master")]
        if not tables:
            self._create()
        elif self._meta_or_none("format") != FORMAT:
            self.db.close()
            raise StoreError(
                f"{path}: an SQLite database of another kind (tables: {', '.join(tables)}); "
                "choose another --db"
            )
        elif (version := self._meta_or_none("version")) != VERSION:
            self.db.close()
            raise StoreError(f"{path}: classroom database version {version}, expected {VERSION}")
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute(_SETTINGS)

    def _create(self) -> None:
        self.db.execute("BEGIN")
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                self.db.execute(statement)
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "instructor": secrets.token_urlsafe(24),
            "secret": secrets.token_urlsafe(32),
            "created": _now(),
        }
        self.db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        self.db.execute("COMMIT")

    def _meta_or_none(self, key: str) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return None if row is None else str(row[0])

    def meta(self, key: str) -> str:
        value = self._meta_or_none(key)
        assert value is not None, key
        return value

    def close(self) -> None:
        self.db.close()

    # -- writing ------------------------------------------------------------------------------
    def add_group(
        self,
        name: str,
        scenario: str,
        seats: tuple[str, ...],
        strategic: tuple[str, ...] = (),
        predict: bool = False,
    ) -> GroupRow:
        """A new group with a fresh token per seat and its settings, committed."""
        tokens = {party: secrets.token_urlsafe(16) for party in seats}
        with self.lock:
            return self._add_group(name, scenario, seats, strategic, predict, tokens)

    def _add_group(
        self,
        name: str,
        scenario: str,
        seats: tuple[str, ...],
        strategic: tuple[str, ...],
        predict: bool,
        tokens: dict[str, str],
    ) -> GroupRow:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            cur = self.db.execute(
                "INSERT INTO groups (name, scenario, seats, created) VALUES (?, ?, ?, ?)",
                (name, scenario, ",".join(seats), _now()),
            )
            gid = int(cur.lastrowid or 0)
            self.db.executemany(
                "INSERT INTO seats VALUES (?, ?, ?)", [(t, gid, p) for p, t in tokens.items()]
            )
            self.db.execute(
                "INSERT INTO settings VALUES (?, ?, ?)", (gid, ",".join(strategic), int(predict))
            )
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return GroupRow(gid, name, scenario, seats, tokens, (), strategic, predict)

    def append(self, group: int, seq: int, action: Action) -> None:
        """Append one accepted action as row ``seq`` of the group, committed."""
        self.append_many([(group, seq, action)])

    def append_many(self, rows: Sequence[tuple[int, int, Action]]) -> None:
        """Append accepted actions (group, seq, action) in one transaction: all are
        committed (one sync to disk for all) or none. Safe to call from a worker thread:
        writes to the file are serialized."""
        at = _now()
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.executemany(
                    "INSERT INTO moves (group_id, seq, seat, kind, text, at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(g, n, a.seat, a.kind, a.text, at) for g, n, a in rows],
                )
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    # -- reading ------------------------------------------------------------------------------
    def groups(self) -> list[GroupRow]:
        """Every group with its seats and its actions in order."""
        out = []
        rows = self.db.execute("SELECT id, name, scenario, seats FROM groups ORDER BY id")
        for gid, name, scenario, seats in rows.fetchall():
            tokens = dict(
                self.db.execute("SELECT party, token FROM seats WHERE group_id = ?", (gid,))
            )
            moves = self.db.execute(
                "SELECT seat, kind, text FROM moves WHERE group_id = ? ORDER BY seq", (gid,)
            )
            actions = tuple(_action(gid, s, k, t) for s, k, t in moves)
            found = self.db.execute(
                "SELECT strategic, predict FROM settings WHERE group_id = ?", (gid,)
            ).fetchone()
            strategic, predict = found if found is not None else ("", 0)
            out.append(
                GroupRow(
                    gid,
                    name,
                    scenario,
                    tuple(seats.split(",")),
                    tokens,
                    actions,
                    tuple(p for p in strategic.split(",") if p),
                    bool(predict),
                )
            )
        return out

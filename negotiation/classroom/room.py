"""The classroom in memory: every group, rebuilt from the database, and the one way
to change one (take an action, store its row, then keep the new group).

Requests are served one at a time on the server's event loop, so a group is read and
replaced without locks; the row is committed before the new group replaces the old, so
what a page shows has always been stored.

The server commits off the event loop (``act_async``): an accepted action's rows go to
a queue that one writer task commits in a worker thread, the rows of every request
that came meanwhile in one transaction (one sync to disk for all). The next action of
a group builds on its newest accepted group (``pending``), committed or not; the pages
show the committed one (``groups``), which the writer replaces only after the commit.
The answer to a POST waits for its commit, so an answer still means "stored".
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from pathlib import Path

from negotiation import loader
from negotiation.classroom.store import GroupRow, Store, StoreError
from negotiation.model.errors import MoveError
from negotiation.runtime.engine import Engine
from negotiation.teach.choices import ChoiceCache
from negotiation.teach.counterparts import Strategic
from negotiation.teach.group import Action, Group, RefusedError

MAX_GROUPS = 200
MAX_NAME = 80


@dataclass(frozen=True)
class Entry:
    """A group as the classroom keeps it: its row (id, name, tokens) and its session."""

    row: GroupRow
    group: Group

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def name(self) -> str:
        return self.row.name


def scenario_ref(scenario: str) -> str:
    """How a group stores its scenario: a bundled name as it is, a file as an absolute
    path (the server may be started again from another directory)."""
    if scenario in loader.bundled_names():
        return scenario
    return str(Path(scenario).resolve())


class Classroom:
    """The groups of one database, for the scenario the server was started with."""

    def __init__(self, store: Store, scenario: str) -> None:
        self.store = store
        self.scenario = scenario_ref(scenario)
        self._engines: dict[str, Engine] = {}
        self._choice_caches: dict[str, ChoiceCache] = {}
        """The seats' legal choices kept for the groups of each engine (groups of one
        scenario often stand in the same state)."""
        self.engine = self.engine_of(self.scenario)
        self.instructor = store.meta("instructor")
        self.secret = store.meta("secret")
        self.groups: dict[int, Entry] = {}
        self.pending: dict[int, Group] = {}
        self._queue: list[
            tuple[int, Group, list[tuple[int, int, Action]], asyncio.Future[Entry]]
        ] = []
        self._writer: asyncio.Task[None] | None = None
        self.seats: dict[str, tuple[int, str]] = {}
        for row in store.groups():
            try:
                engine = self.engine_of(row.scenario)
                counterparts = Strategic(engine, row.strategic)
                group = Group.replay(
                    engine,
                    row.seats,
                    row.actions,
                    counterparts,
                    predict=row.predict,
                    choice_cache=self._choice_caches[row.scenario],
                )
            except MoveError as e:
                raise StoreError(f"group {row.id} ({row.name}) does not replay: {e}") from None
            self._keep(Entry(row, group))

    def engine_of(self, ref: str) -> Engine:
        if ref not in self._engines:
            self._engines[ref] = engine = Engine(loader.load_scenario(ref))
            self._choice_caches[ref] = ChoiceCache(engine)
        return self._engines[ref]

    def _keep(self, entry: Entry) -> None:
        self.groups[entry.id] = entry
        for party, token in entry.row.tokens.items():
            self.seats[token] = (entry.id, party)

    @property
    def version(self) -> int:
        """Grows with every change: the live pages reload when it moves."""
        return len(self.groups) + sum(len(e.group.actions) for e in self.groups.values())

    # -- changes ---------------------------------------------------------------------------
    def create(
        self,
        name: str,
        seats: tuple[str, ...],
        strategic: tuple[str, ...] = (),
        predict: bool = False,
    ) -> Entry:
        """A new group of the server's scenario: the parties students play (``seats``),
        those that follow their declared strategies (``strategic``; the rest follow the
        script), whether students predict (``MoveError`` for bad choices)."""
        name = " ".join(name.split())[:MAX_NAME] or f"Group {len(self.groups) + 1}"
        if len(self.groups) >= MAX_GROUPS:
            raise MoveError(f"at most {MAX_GROUPS} groups")
        both = sorted(set(seats) & set(strategic))
        if both:
            raise MoveError(f"{both[0]}: a party is a student's seat or a strategy, not both")
        counterparts = Strategic(self.engine, strategic)
        cache = self._choice_caches[self.scenario]
        group = Group.open(self.engine, seats, counterparts, predict=predict, choice_cache=cache)
        order = [p.id for p in self.engine.scenario.parties]
        strategic = tuple(p for p in order if p in strategic)
        row = self.store.add_group(name, self.scenario, group.seats, strategic, predict)
        entry = Entry(row, group)
        self._keep(entry)
        return entry

    def act(self, gid: int, action: Action) -> Entry:
        """The group after the action, its row committed (``RefusedError`` otherwise)."""
        entry = self.groups[gid]
        group = entry.group.take(action)
        stored = group.actions[len(entry.group.actions) :]
        for n, done in enumerate(stored, start=len(entry.group.actions)):
            self.store.append(gid, n, done)
        kept = replace(entry, group=group)
        self.groups[gid] = kept
        return kept

    async def act_async(self, gid: int, action: Action) -> Entry:
        """As ``act``, with the commit off the event loop (see the module docstring):
        ``RefusedError`` at once, else the committed entry."""
        base = self.pending.get(gid, self.groups[gid].group)
        group = base.take(action)
        done = len(base.actions)
        rows = [(gid, n, a) for n, a in enumerate(group.actions[done:], start=done)]
        self.pending[gid] = group
        future: asyncio.Future[Entry] = asyncio.get_running_loop().create_future()
        self._queue.append((gid, group, rows, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await asyncio.shield(future)

    async def _write(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                await asyncio.to_thread(
                    self.store.append_many, [r for *_, rows, _f in batch for r in rows]
                )
            except Exception as e:  # noqa: BLE001 - every waiting request gets it
                failed = {gid for gid, *_ in batch}
                later = [x for x in self._queue if x[0] in failed]  # built on failed rows
                self._queue = [x for x in self._queue if x[0] not in failed]
                for gid, _, _, future in [*batch, *later]:
                    self.pending.pop(gid, None)  # build on what is stored again
                    if not future.done():
                        future.set_exception(e)
                continue
            for gid, group, _, future in batch:
                kept = replace(self.groups[gid], group=group)
                self.groups[gid] = kept
                if self.pending.get(gid) is group:
                    del self.pending[gid]
                if not future.done():
                    future.set_result(kept)

    def seat(self, token: str) -> tuple[Entry, str] | None:
        """The group and party of a seat token (None: no such seat)."""
        found = self.seats.get(token)
        if found is None:
            return None
        return self.groups[found[0]], found[1]


__all__ = ["Classroom", "Entry", "RefusedError", "scenario_ref"]

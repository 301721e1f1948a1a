"""The classroom's database: what it stores, what it refuses, and rebuilding on start."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from negotiation.classroom import open_classroom
from negotiation.classroom.store import Store, StoreError
from negotiation.teach.group import INSTRUCTOR, Action
from tests.conftest import SEED


def test_reopening_replays_every_group(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    room = open_classroom(db, SEED)
    a = room.create("A", ("ukraine", "russia"))
    b = room.create("B", ("united_states",))
    room.act(a.id, Action(INSTRUCTOR, "start"))
    room.act(a.id, Action("ukraine", "move", "ukraine comments on twenty_eight_point_plan"))
    room.act(a.id, Action("russia", "pass"))
    room.act(b.id, Action(INSTRUCTOR, "advance"))
    live = {gid: e.group for gid, e in room.groups.items()}
    token = a.row.tokens["ukraine"]
    room.store.close()
    again = open_classroom(db, SEED)
    assert again.instructor == room.instructor and again.secret == room.secret
    for gid, group in live.items():
        replayed = again.groups[gid].group
        assert replayed.actions == group.actions
        assert replayed.state == group.state
        assert replayed.log == group.log
    assert again.seat(token) is not None and again.seat(token)[1] == "ukraine"  # type: ignore[index]
    again.store.close()


def test_the_groups_of_one_scenario_share_their_seats_legal_choices(tmp_path: Path) -> None:
    """Groups in the same state show the same moves: the room keeps them once per
    engine, for the groups it creates and those it replays on start."""
    db = tmp_path / "c.sqlite"
    room = open_classroom(db, SEED)
    a = room.create("A", ("ukraine", "russia"))
    b = room.create("B", ("ukraine",))
    room.act(a.id, Action(INSTRUCTOR, "start"))
    room.act(b.id, Action(INSTRUCTOR, "start"))
    first, second = room.groups[a.id].group, room.groups[b.id].group
    assert first.choice_cache is second.choice_cache
    assert first.choices("ukraine") is second.choices("ukraine")
    room.store.close()
    again = open_classroom(db, SEED)
    replayed = [e.group for e in again.groups.values()]
    assert replayed[0].choice_cache is replayed[1].choice_cache is not first.choice_cache
    assert replayed[0].choices("ukraine") is replayed[1].choices("ukraine")
    again.store.close()


def test_a_file_that_is_not_sqlite_is_refused_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("my lecture notes\n", encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite database"):
        Store(db)
    assert db.read_text(encoding="utf-8") == "my lecture notes\n"


def test_another_sqlite_database_is_refused_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "grades.sqlite"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE grades (student TEXT, grade INT)")
    before = db.read_bytes()
    with pytest.raises(StoreError, match=r"another kind \(tables: grades\)"):
        Store(db)
    assert db.read_bytes() == before


def test_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    Store(db).close()
    with sqlite3.connect(db) as c:
        c.execute("UPDATE meta SET value = '99' WHERE key = 'version'")
    with pytest.raises(StoreError, match="version 99, expected 1"):
        Store(db)


def test_a_row_that_no_longer_replays_is_reported(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    room = open_classroom(db, SEED)
    room.act(room.create("A", ("ukraine",)).id, Action(INSTRUCTOR, "start"))
    room.store.append(1, 1, Action("ukraine", "move", "ukraine signs twenty_point_plan"))
    room.store.close()
    with pytest.raises(StoreError, match=r"group 1 \(A\) does not replay: .*agreed_in_principle"):
        open_classroom(db, SEED)


def test_concurrent_actions_are_committed_together_and_shown_only_once_stored(
    tmp_path: Path,
) -> None:
    import asyncio  # noqa: PLC0415

    from negotiation.teach.group import RefusedError  # noqa: PLC0415

    db = tmp_path / "c.sqlite"
    room = open_classroom(db, SEED)
    ids = [room.create(f"G{n}", ("ukraine", "russia")).id for n in range(3)]
    batches: list[int] = []
    write = room.store.append_many

    def counted(rows: list[tuple[int, int, Action]]) -> None:
        batches.append(len(rows))
        write(rows)

    room.store.append_many = counted  # type: ignore[method-assign]

    async def play() -> None:
        starts = [asyncio.create_task(room.act_async(g, Action(INSTRUCTOR, "start"))) for g in ids]
        passes = [asyncio.create_task(room.act_async(g, Action("ukraine", "pass"))) for g in ids]
        await asyncio.sleep(0)  # every request taken, each waiting for its commit
        assert [room.pending[gid].status for gid in ids] == ["running"] * 3
        shown = [room.groups[gid].group.status for gid in ids]
        assert shown == ["waiting"] * 3  # accepted, not yet stored: not yet shown
        await asyncio.gather(*starts, *passes)
        assert room.pending == {}
        with pytest.raises(RefusedError, match="already acted"):
            await room.act_async(ids[0], Action("ukraine", "pass"))

    asyncio.run(play())
    assert sum(batches) == 6 and len(batches) < 6  # rows of several requests per commit
    assert [room.groups[gid].group.waiting_for for gid in ids] == [("russia",)] * 3
    room.store.close()
    again = open_classroom(db, SEED)
    assert [len(again.groups[gid].group.actions) for gid in ids] == [2, 2, 2]
    again.store.close()

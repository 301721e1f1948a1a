"""Where a seat's legal choices are kept: by the groups (``ChoiceCache``), bounded,
never at module level."""

from __future__ import annotations

import gc
import weakref

import pytest

from negotiation.loader import load_scenario
from negotiation.runtime.engine import Engine
from negotiation.runtime.legal import legal_moves
from negotiation.teach.choices import ChoiceCache, move_text
from negotiation.teach.group import INSTRUCTOR, Action, Group
from tests.conftest import SEED

START = Action(INSTRUCTOR, "start")


def test_choice_caches_are_the_legal_moves_in_words(seed_engine: Engine) -> None:
    state = seed_engine.initial_state()
    cache = ChoiceCache(seed_engine)
    for seat in ("ukraine", "russia", "united_states"):
        expected = [move_text(e) for e in legal_moves(seed_engine, state, [seat]).legal]
        assert [c.label for c in cache.choices(state, seat)] == expected


def test_a_group_keeps_its_choices_and_another_group_does_not_share_them(
    seed_engine: Engine
) -> None:
    g = Group.open(seed_engine, ("ukraine", "russia")).take(START)
    other = Group.open(seed_engine, ("ukraine", "russia")).take(START)
    assert g.state == other.state
    assert g.choices("ukraine") is g.choices("ukraine")  # kept by the group
    assert other.choice_cache is not g.choice_cache
    assert other.choices("ukraine") == g.choices("ukraine")
    assert other.choices("ukraine") is not g.choices("ukraine")  # computed for its own
    passed = g.take(Action("ukraine", "pass"))
    assert passed.choice_cache is g.choice_cache  # the group after an action keeps it
    assert passed.choices("ukraine") is g.choices("ukraine")


def test_groups_given_one_cache_share_their_choices(seed_engine: Engine) -> None:
    cache = ChoiceCache(seed_engine)
    g = Group.open(seed_engine, ("ukraine", "russia"), choice_cache=cache).take(START)
    other = Group.replay(seed_engine, ("ukraine", "russia"), (START,), choice_cache=cache)
    assert other.choices("ukraine") is g.choices("ukraine")


def test_choice_caches_of_another_engine_are_refused(seed_engine: Engine) -> None:
    another = Engine(load_scenario(SEED))
    with pytest.raises(ValueError, match="another engine"):
        Group.open(seed_engine, ("ukraine",), choice_cache=ChoiceCache(another))


def test_choice_caches_keep_at_most_their_bound_the_least_recently_used_out(
    seed_engine: Engine
) -> None:
    cache = ChoiceCache(seed_engine, most=2)
    g = Group.open(seed_engine, ("ukraine", "russia")).take(START)
    first = cache.choices(g.state, "ukraine")
    cache.choices(g.state, "russia")
    assert cache.choices(g.state, "ukraine") is first  # used again: now the most recent
    cache.choices(g.state, "united_states")  # russia's answer goes
    assert len(cache) == 2
    assert cache.choices(g.state, "ukraine") is first
    with pytest.raises(ValueError, match="at least one"):
        ChoiceCache(seed_engine, most=0)


def test_nothing_keeps_a_groups_engine_alive_once_the_group_is_gone() -> None:
    """Choices are kept by the group, not by the module: an engine no one holds any more
    is freed with its groups (a module-wide cache held every engine it had seen)."""
    engine = Engine(load_scenario(SEED))
    g = Group.open(engine, ("ukraine", "russia")).take(START)
    assert g.choices("ukraine")
    gone = weakref.ref(engine)
    del engine, g
    gc.collect()
    assert gone() is None


def test_the_seats_at_the_bargaining_tables_are_kept_by_the_cache_not_the_module() -> None:
    """``table_menus`` keeps the seats at an engine's tables (~20 ms to make) in the
    groups' choice cache; without one it keeps nothing, so the engine can go."""
    from negotiation.teach.bargaining import table_menus  # noqa: PLC0415

    engine = Engine(load_scenario("labour-contract-2026-strategies"))
    state = engine.initial_state()
    cache = ChoiceCache(engine)
    first = table_menus(engine, state, "union", cache)
    assert first and cache.tables is not None
    seats = cache.tables["union"]
    again = table_menus(engine, state, "union", cache)
    assert cache.tables["union"] is seats
    assert [m.menu.text() for m in again] == [m.menu.text() for m in first]
    with pytest.raises(ValueError, match="another engine"):
        table_menus(Engine(load_scenario("labour-contract-2026-strategies")), state, "union",
                    cache)  # fmt: skip
    alone = Engine(load_scenario("labour-contract-2026-strategies"))
    assert table_menus(alone, alone.initial_state(), "union")
    gone = weakref.ref(alone)
    del alone
    gc.collect()
    assert gone() is None  # nothing kept it

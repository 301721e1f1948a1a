"""Library calls leave the user's garbage collector alone; the CLI's pause is scoped and
restores the collector exactly as it found it (runtime.collect)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from negotiation import Engine, cli, loader
from negotiation.runtime import collect
from negotiation.search.explore import explore
from negotiation.testing import check_machine


@pytest.fixture
def collector_state() -> Iterator[None]:
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    yield
    if gc.isenabled() != enabled:  # pragma: no cover - restore for the next tests
        (gc.enable if enabled else gc.disable)()
    assert gc.get_freeze_count() == frozen


def _calls() -> list[tuple[str, object]]:
    scenario = loader.load_scenario("ukraine-2025-12-decisions")
    return [
        ("load", lambda: loader.load_scenario("ukraine-2025-12")),
        ("run", lambda: Engine(scenario).run()),
        ("explore compiled", lambda: explore(scenario)),
        ("explore engine", lambda: explore(scenario, compiled=False)),
        ("check machine", lambda: check_machine(scenario, max_examples=3)),
    ]


@pytest.mark.usefixtures("collector_state")
def test_library_calls_neither_pause_nor_freeze_the_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    touched: list[str] = []
    for name in ("disable", "freeze", "unfreeze"):
        real = getattr(gc, name)
        monkeypatch.setattr(gc, name, lambda real=real, name=name: touched.append(name) or real())
    for label, call in _calls():
        call()  # type: ignore[operator]
        assert gc.isenabled(), label
    assert touched == []


@pytest.mark.usefixtures("collector_state")
def test_a_pause_freezes_at_checkpoints_and_restores_everything() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    with collect.paused():
        assert not gc.isenabled()
        with collect.paused():  # nested: one pause
            collect.checkpoint()
        assert not gc.isenabled()
        assert gc.get_freeze_count() > before  # the checkpoint froze what survived
    assert gc.isenabled()
    assert gc.get_freeze_count() == before


@pytest.mark.usefixtures("collector_state")
def test_a_pause_keeps_a_disabled_collector_disabled_and_the_users_frozen_objects() -> None:
    gc.freeze()  # the user froze their own objects before
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        with collect.paused():
            collect.checkpoint()
            assert gc.get_freeze_count() == frozen  # nothing of ours frozen beside them
        assert not gc.isenabled()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable()
        gc.unfreeze()


def test_outside_a_pause_checkpoints_do_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *a: called.append(1) or 0)
    collect.checkpoint()
    collect.chunk()
    assert called == []


@pytest.mark.usefixtures("collector_state")
def test_resumed_turns_the_collector_on_within_a_pause_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    touched: list[str] = []

    def spy(name: str) -> None:
        real = getattr(gc, name)

        def call() -> None:
            touched.append(name)
            real()

        monkeypatch.setattr(gc, name, call)

    spy("enable")
    spy("disable")
    with collect.resumed():  # outside a pause: the user's collector, untouched
        assert gc.isenabled()
    assert touched == []
    with collect.paused():
        with collect.resumed():
            assert gc.isenabled()
            with collect.resumed():  # already on: nothing
                assert gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    assert touched == ["disable", "enable", "disable", "enable"]


@pytest.mark.usefixtures("collector_state")
def test_the_cli_pauses_the_collector_for_its_command(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = Engine.run

    def spy(self: Engine, *args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Engine, "run", spy)
    monkeypatch.setattr("sys.argv", ["negotiation", "run", "-f", "json"])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 0
    assert seen == [False]
    assert gc.isenabled()

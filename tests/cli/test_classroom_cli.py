"""``negotiation classroom``: the link it prints, the warnings, and what it refuses."""

from __future__ import annotations

import importlib.util
import signal
from pathlib import Path
from typing import Any

import pytest

import negotiation.classroom
from negotiation.cli import classroom as command
from tests.conftest import SEED, invoke


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """``serve`` replaced by one that reports ready on port 8765 and returns."""
    calls: list[tuple[str, int]] = []

    def fake(room: Any, host: str, port: int, ready: Any, stop: Any) -> None:
        calls.append((host, port))
        assert stop() is False  # no signal came
        ready(8765)
        room.store.close()

    monkeypatch.setattr(negotiation.classroom, "serve", fake)
    return calls


def test_it_prints_the_instructor_link(tmp_path: Path, served: list[tuple[str, int]]) -> None:
    db = tmp_path / "c.sqlite"
    result = invoke("classroom", "-s", SEED, "--db", str(db), "--port", "9000")
    assert result.exit_code == 0, result.output
    room = negotiation.classroom.open_classroom(db, SEED)
    assert f"http://127.0.0.1:8765/instructor/{room.instructor}" in result.output
    assert "warning" not in result.output
    assert served == [("127.0.0.1", 9000)]
    room.store.close()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_serving_ends_the_command_with_its_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    """As uvicorn does: it shuts down, puts back the handlers it found and raises the
    signal again; the command records it and exits 128 + its number."""
    seen: list[bool] = []

    def fake(room: Any, host: str, port: int, ready: Any, stop: Any) -> None:
        ready(8765)
        signal.raise_signal(signum)
        seen.append(stop())
        room.store.close()

    monkeypatch.setattr(negotiation.classroom, "serve", fake)
    before = signal.getsignal(signum)
    result = invoke("classroom", "--db", str(tmp_path / "c.sqlite"))
    assert result.exit_code == 128 + signum, result.output
    assert seen == [True]
    assert signal.getsignal(signum) is before  # the command put its handlers back


def test_every_interface_is_warned_about(tmp_path: Path, served: list[tuple[str, int]]) -> None:
    result = invoke("classroom", "--host", "0.0.0.0", "--db", str(tmp_path / "c.sqlite"))
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0: anyone who can reach this machine" in result.output


def test_the_default_database_is_in_the_user_data_dir(
    tmp_path: Path, served: list[tuple[str, int]]
) -> None:
    result = invoke("classroom", env={"XDG_DATA_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "negotiation" / "classroom.sqlite").is_file()
    assert command.default_db().name == "classroom.sqlite"


def test_another_file_is_never_overwritten(tmp_path: Path, served: list[tuple[str, int]]) -> None:
    db = tmp_path / "thesis.sqlite"
    db.write_bytes(b"not a database at all")
    result = invoke("classroom", "--db", str(db))
    assert result.exit_code == 2
    assert f"error: {db}: not an SQLite database; choose another --db" in result.output
    assert db.read_bytes() == b"not a database at all"
    assert served == []


def test_without_the_extra_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a)
    )
    result = invoke("classroom", "--db", str(tmp_path / "c.sqlite"))
    assert result.exit_code == 2
    assert "the classroom needs uvicorn: pip install 'negotiation[classroom]'" in result.output
    assert not (tmp_path / "c.sqlite").exists()


def test_the_server_runs_with_the_collector_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command pauses the cyclic collector (``runtime.collect``); a server runs for
    a whole class and makes cyclic garbage with every request, so it serves with the
    collector on (paused, a day's garbage would pile up)."""
    import gc  # noqa: PLC0415

    from negotiation import cli  # noqa: PLC0415

    enabled: list[bool] = []

    def fake(room: Any, host: str, port: int, ready: Any, stop: Any) -> None:
        enabled.append(gc.isenabled())
        ready(8765)
        room.store.close()

    monkeypatch.setattr(negotiation.classroom, "serve", fake)
    db = tmp_path / "c.sqlite"
    monkeypatch.setattr("sys.argv", ["negotiation", "classroom", "-s", SEED, "--db", str(db)])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 0
    assert enabled == [True]
    assert "Instructor page" in capsys.readouterr().out

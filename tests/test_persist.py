"""Saved sessions: the format round-trips, every defect is a clear SessionError, saves
are atomic under SIGKILL, and other outputs never replace a file without force."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sys
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from negotiation import SessionError
from negotiation.loader import load_scenario
from negotiation.model.errors import NegotiationError, OutputError
from negotiation.model.scenario import Scenario
from negotiation.persist import (
    FORMAT,
    MAX_SESSION_BYTES,
    VERSION,
    Choice,
    Session,
    atomic_write,
    canonical_json,
    check_scenario,
    dumps,
    loads,
    new_session,
    save,
    scenario_digest,
    write_new,
)
from negotiation.persist import _sha256 as sha256_text
from negotiation.runtime.engine import Engine
from tests import persist_child
from tests.conftest import ROOT, forkserver, invoke

SEED = "ukraine-2025-12"


@cache
def seed() -> Scenario:
    return load_scenario(SEED)


@cache
def run_session() -> Session:
    engine = Engine(seed())
    trace = engine.run(until=dt.date(2025, 12, 5))
    return new_session("run", seed(), SEED, trace.final, step=len(trace.entries))


def play_session(n: int, label: str = "") -> Session:
    """A session with ``n`` choices (the content need not be playable: the format test)."""
    choices = tuple(
        Choice(on=dt.date(2025, 12, 1) + dt.timedelta(days=i % 30), move=f"ukraine signs plan{i}")
        for i in range(n)
    )
    return new_session(
        "play",
        seed(),
        SEED,
        Engine(seed()).initial_state(),
        step=n,
        choices=choices,
        options={"as": "ukraine", "label": label},
    )


def body(session: Session) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(session))
    return data


def rehash(data: dict[str, Any]) -> str:
    """The text of a hand-edited session with a fresh checksum (to reach later checks;
    the test forges what an editor could)."""
    rest = {k: v for k, v in data.items() if k != "checksum"}
    return json.dumps({**rest, "checksum": sha256_text(canonical_json(rest))})


# -- the format ------------------------------------------------------------------------


def test_round_trip() -> None:
    for session in (run_session(), play_session(3)):
        text = dumps(session)
        assert loads(text) == session
        assert loads(text.encode()) == session
        assert dumps(loads(text)) == text


def test_header_fields() -> None:
    data = body(run_session())
    assert data["format"] == FORMAT
    assert data["version"] == VERSION
    assert data["command"] == "run"
    assert data["scenario"] == {"ref": SEED, "digest": scenario_digest(seed())}
    assert data["position"] == {"date": "2025-12-05", "step": run_session().position.step}
    assert data["checksum"].startswith("sha256:")
    assert set(data) == {
        "format",
        "version",
        "command",
        "scenario",
        "branch",
        "options",
        "position",
        "choices",
        "state",
        "checksum",
    }


def test_digest_is_canonical_and_content_sensitive() -> None:
    assert scenario_digest(seed()) == scenario_digest(load_scenario(SEED))
    changed = seed().model_copy(update={"title": seed().title + "!"})
    assert scenario_digest(changed) != scenario_digest(seed())


def _defect(text: str | bytes, match: str) -> None:
    with pytest.raises(SessionError, match=match) as info:
        loads(text, "s.json")
    assert str(info.value).startswith("s.json: cannot resume this session: ")


def test_empty() -> None:
    _defect("", "empty")
    _defect(b"  \n", "empty")


def test_every_truncation_is_refused() -> None:
    text = dumps(play_session(2))
    for cut in range(len(text) - 1):  # the last byte is the final newline
        if not text[:cut].strip():
            continue
        with pytest.raises(SessionError, match=r"truncated or corrupted|checksum"):
            loads(text[:cut])


def test_corrupted_byte_is_refused() -> None:
    text = dumps(run_session())
    rng = random.Random(7)
    for _ in range(200):
        i = rng.randrange(len(text) - 1)
        if text[i] in " \n":
            continue
        replacement = "x" if text[i] != "x" else "y"
        corrupted = text[:i] + replacement + text[i + 1 :]
        with pytest.raises(SessionError):
            loads(corrupted)


def test_edited_content_fails_the_checksum() -> None:
    data = body(run_session())
    data["position"]["step"] += 1
    _defect(json.dumps(data), "checksum does not match")


def test_foreign_json() -> None:
    _defect('{"hello": "world"}', "not a negotiation-session file .no format name")
    _defect('{"format": "other-tool", "version": 1}', "format 'other-tool'")
    _defect("[1, 2, 3]", "JSON is not an object")
    _defect('"negotiation-session"', "JSON is not an object")
    _defect("{'format': 1}", "not complete JSON")


def test_newer_version() -> None:
    data = body(run_session())
    data["version"] = VERSION + 1
    _defect(json.dumps(data), "format version 2, newer than this package reads .1.; upgrade")


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, None, True])
def test_invalid_version(version: object) -> None:
    data = body(run_session())
    data["version"] = version
    _defect(json.dumps(data), "invalid format version")


def test_invalid_content_is_listed_by_field() -> None:
    data = body(run_session())
    data["position"]["date"] = "2025-13-40"
    data["command"] = "dance"
    _defect(rehash(data), r"invalid content: command: .*position\.date")


def test_unknown_field_is_refused() -> None:
    data = body(run_session())
    data["extra"] = 1
    _defect(rehash(data), "extra: Extra inputs are not permitted")


def test_binary_and_invalid_utf8() -> None:
    _defect(b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8|not complete JSON")
    _defect(b'{"format": "\xff"}', "not UTF-8 text .byte 12.")
    _defect("\x00", "not complete JSON")


def test_pathological_json() -> None:
    _defect("[" * 100_000 + "]" * 100_000, "not a session file .RecursionError")
    _defect('{"version": ' + "9" * 5000 + "}", "not a session file .ValueError")
    _defect(b" " * (MAX_SESSION_BYTES + 1), "larger than the 64 MiB limit")


def test_scenario_digest_must_match() -> None:
    session = run_session()
    check_scenario(session, seed(), "s.json")
    changed = seed().model_copy(update={"title": "another title"})
    with pytest.raises(SessionError, match=r"s\.json: .*'ukraine-2025-12' has changed since"):
        check_scenario(session, changed, "s.json")


def test_unknown_branch_is_refused() -> None:
    session = run_session().model_copy(update={"branch": "no_such_branch"})
    with pytest.raises(SessionError, match="no branch 'no_such_branch'"):
        check_scenario(session, seed())


def test_session_error_is_a_negotiation_error() -> None:
    assert issubclass(SessionError, NegotiationError)
    assert issubclass(OutputError, NegotiationError)


# -- writing files ---------------------------------------------------------------------


def test_save_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    save(path, play_session(1))
    save(path, play_session(2))
    assert loads(path.read_bytes()) == play_session(2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]


def test_atomic_write_errors_are_output_errors(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"cannot write .*missing/s\.json"):
        atomic_write(tmp_path / "missing" / "s.json", "x")
    (tmp_path / "dir").mkdir()
    with pytest.raises(OutputError, match="cannot write"):
        atomic_write(tmp_path / "dir", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir"]


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a.txt", "a")
        write_new(tmp_path / "b.txt", "b")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.txt").stat().st_mode & 0o777 == 0o644


def test_write_new_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    write_new(path, "first")
    with pytest.raises(OutputError, match=r"report\.html already exists; use --force"):
        write_new(path, "second")
    assert path.read_text() == "first"
    write_new(path, "third", force=True)
    assert path.read_text() == "third"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_write_new_refuses_a_symlink_even_dangling(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(OutputError, match="already exists"):
        write_new(link, "x")
    assert not (tmp_path / "nowhere.md").exists()


def test_write_new_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_new(tmp_path / "a.txt", "a")
    assert (tmp_path / "a.txt").read_text() == "a"
    with pytest.raises(OutputError, match="already exists"):
        write_new(tmp_path / "a.txt", "b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


# -- the kill test -----------------------------------------------------------------------

KILLS = 200
"""SIGKILLs delivered at random moments while a child process saves sessions."""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork servers are POSIX")
def test_saves_survive_sigkill_at_random_moments(tmp_path: Path) -> None:
    """A child saves growing sessions to one file again and again; we SIGKILL it at a
    random moment, then read the file: it must be absent (killed before its first
    save) or one complete save, never older than the one seen after the previous kill.

    The children fork from a server that has imported the package once, so a kill
    costs milliseconds, not an interpreter start."""
    ctx = forkserver()
    rng = random.Random(20251225)
    base = play_session(0)
    base_text = dumps(base)
    counts = {"absent": 0, "valid": 0}
    path = tmp_path / "session.json"
    last = (-1, -1)
    started = time.monotonic()
    for round_no in range(KILLS):
        if round_no % 5 == 0:  # now and then a fresh file: some kills precede any save
            path = tmp_path / f"session-{round_no}.json"
            last = (-1, -1)
        ready = ctx.Event()
        args = (str(path), base_text, round_no, ready)
        child = ctx.Process(target=persist_child.saver, args=args, daemon=True)
        child.start()
        assert ready.wait(timeout=60), "the child did not start"
        time.sleep(rng.uniform(0, 0.004 if rng.random() < 0.25 else 0.08))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
        assert child.exitcode == -signal.SIGKILL
        if not path.exists():
            assert last == (-1, -1), f"round {round_no}: the file vanished after a save"
            counts["absent"] += 1
            continue
        data = path.read_bytes()
        session = loads(data, str(path))  # complete and valid, or this raises
        label = session.options["label"]
        expected = dumps(persist_child.grown(base, label))
        assert data.decode() == expected, f"round {round_no}: {label} is not that save"
        r, i = (int(x) for x in label.split(":"))
        assert (r, i) >= last, f"round {round_no}: went back from {last} to {label}"
        last = (r, i)
        counts["valid"] += 1
    elapsed = time.monotonic() - started
    temps = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    print(
        f"\nkill test: {KILLS} kills in {elapsed:.1f}s; file absent {counts['absent']}, "
        f"a complete valid save {counts['valid']}, anything else 0; "
        f"kills inside a write (temporary file left behind): {len(temps)}"
    )
    assert counts["absent"] + counts["valid"] == KILLS
    # not vacuous: most kills land after saving began (the delay counts from the
    # child's start, so this does not depend on the machine's load)
    assert counts["valid"] >= KILLS // 2
    assert temps  # and some landed inside a write, between the temp file and the rename


# -- the command line: --save and resume --------------------------------------------------

MINI = ROOT / "tests" / "cli" / "mini.yaml"


def assert_session_error(result: Result, fragment: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert fragment in " ".join(result.output.split()), result.output


def saved(path: Path) -> Session:
    return loads(path.read_bytes(), str(path))


def test_run_save_and_resume(tmp_path: Path) -> None:
    path = tmp_path / "run.json"
    first = invoke("run", "--until", "2025-12-05", "--save", str(path))
    assert first.exit_code == 0, first.output
    session = saved(path)
    assert (session.command, session.scenario.ref, session.position.date) == (
        "run",
        SEED,
        dt.date(2025, 12, 5),
    )
    assert session.state == Engine(seed()).run(until=dt.date(2025, 12, 5)).final
    resumed = invoke("resume", str(path), "--format", "json")
    assert resumed.exit_code == 0, resumed.output
    rest = json.loads(resumed.stdout)["entries"]
    full = json.loads(invoke("run", "--format", "json").stdout)["entries"]
    assert rest and rest == [e for e in full if e["date"] > "2025-12-05"]
    assert saved(path).position.date == dt.date(2025, 12, 12)  # saved back, at the horizon


def test_run_session_of_a_file_names_its_absolute_path(tmp_path: Path) -> None:
    copy = tmp_path / "mini.yaml"
    copy.write_text(MINI.read_text())
    path = tmp_path / "run.json"
    assert invoke("run", "-s", str(copy), "--save", str(path)).exit_code == 0
    assert saved(path).scenario.ref == str(copy.resolve())


def test_resume_refuses_a_changed_scenario(tmp_path: Path) -> None:
    copy = tmp_path / "mini.yaml"
    copy.write_text(MINI.read_text())
    path = tmp_path / "run.json"
    saving = invoke("run", "-s", str(copy), "--until", "2025-11-20", "--save", str(path))
    assert saving.exit_code == 0
    copy.write_text(MINI.read_text().replace("title: Mini framework talks", "title: Changed"))
    assert_session_error(invoke("resume", str(path)), "has changed since the session was saved")


def test_resume_refuses_a_deleted_scenario(tmp_path: Path) -> None:
    copy = tmp_path / "mini.yaml"
    copy.write_text(MINI.read_text())
    path = tmp_path / "run.json"
    assert invoke("run", "-s", str(copy), "--save", str(path)).exit_code == 0
    copy.unlink()
    assert_session_error(invoke("resume", str(path)), "no such scenario file")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "the file is empty"),
        (b'{"format": "negotiation-session", "vers', "truncated or corrupted"),
        (b'{"kind": "something else"}', "not a negotiation-session file"),
        (b'{"format": "negotiation-session", "version": 9}', "newer than this package"),
        (b"\xff\xfe\x00\x01", "not UTF-8 text"),
        (b"[" * 50_000, "RecursionError"),
    ],
    ids=["empty", "truncated", "foreign", "newer", "binary", "nested"],
)
def test_resume_refuses_bad_files(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(content)
    assert_session_error(invoke("resume", str(path)), fragment)


def test_resume_refuses_a_corrupted_save(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    assert invoke("run", "--until", "2025-12-05", "--save", str(path)).exit_code == 0
    text = path.read_text().replace('"step": 35', '"step": 36')
    path.write_text(text)
    assert_session_error(invoke("resume", str(path)), "checksum does not match")


def test_resume_refuses_a_forged_state(tmp_path: Path) -> None:
    """A state edited by someone who also fixed the checksum still fails: the run to the
    saved day must reach the saved state."""
    path = tmp_path / "s.json"
    assert invoke("run", "--until", "2025-12-05", "--save", str(path)).exit_code == 0
    data = json.loads(path.read_text())
    data["state"]["step"] += 1
    path.write_text(rehash(data))
    assert_session_error(invoke("resume", str(path)), "does not reach the saved state")


def test_resume_missing_and_special_files(tmp_path: Path) -> None:
    assert_session_error(invoke("resume", str(tmp_path / "none.json")), "no such session file")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert_session_error(invoke("resume", str(fifo)), "not a regular file")


def test_step_save_and_resume(tmp_path: Path) -> None:
    path = tmp_path / "step.json"
    first = invoke("step", "--save", str(path), input="n\nn\nn\n")
    assert first.exit_code == 0, first.output
    assert (saved(path).command, saved(path).position.step) == ("step", 3)
    resumed = invoke("resume", str(path), input="n\nq\n")
    assert resumed.exit_code == 0, resumed.output
    assert "[4/" in resumed.output  # it starts at the saved frame (shown 1-based)
    assert saved(path).position.step == 4
    direct = invoke("step", input="n\nn\nn\nn\nq\n")
    assert resumed.output.split("step> n")[-1] == direct.output.split("step> n")[-1]


def test_play_save_and_resume_replays_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "play.json"
    args = ["play", "--as", "ukraine", "--until", "2026-01-01"]
    first = invoke(*args, "--save", str(path), input="2\n1\n")
    assert first.exit_code == 0, first.output
    session = saved(path)
    assert session.options == {"as": "ukraine", "mode": "script", "until": "2026-01-01",
                               "predict": "false"}
    assert [c.move for c in session.choices] == [
        "ukraine comments on twenty_eight_point_plan",  # option 2, saved as its move
        "scripted",
    ]
    resumed = invoke("resume", str(path), input="scripted\n")
    assert resumed.exit_code == 0, resumed.output
    direct = invoke(*args, input="2\n1\nscripted\n")
    assert resumed.output.split("play> scripted")[-1] == direct.output.split("play> scripted")[-1]
    assert [c.move for c in saved(path).choices][-1] == "scripted"
    assert saved(path).state == saved(path).state  # loads again


def test_play_back_removes_the_choice(tmp_path: Path) -> None:
    path = tmp_path / "play.json"
    args = ["play", "--as", "ukraine", "--until", "2026-01-01", "--save", str(path)]
    assert invoke(*args, input="2\n1\nback\nstate\nhelp\n").exit_code == 0
    assert [c.move for c in saved(path).choices] == [
        "ukraine comments on twenty_eight_point_plan"
    ]


def test_play_with_predictions_resumes(tmp_path: Path) -> None:
    path = tmp_path / "play.json"
    args = ["play", "--as", "ukraine", "--until", "2026-01-01", "--predict"]
    first = invoke(*args, "--save", str(path), input="skip\nskip\n2\nskip\n")
    assert first.exit_code == 0, first.output
    moves = [c.move for c in saved(path).choices]
    assert "predict skip" in moves
    resumed = invoke("resume", str(path), input="")
    assert resumed.exit_code == 0, resumed.output


def test_play_resume_refuses_a_choice_that_no_longer_replays(tmp_path: Path) -> None:
    path = tmp_path / "play.json"
    args = ["play", "--as", "ukraine", "--until", "2026-01-01", "--save", str(path)]
    assert invoke(*args, input="2\n").exit_code == 0
    data = json.loads(path.read_text())
    data["choices"][0]["move"] = "ukraine signs twenty_point_plan"
    path.write_text(rehash(data))
    refused = invoke("resume", str(path))
    assert_session_error(refused, "choice 1 ('ukraine signs twenty_point_plan')")


def test_save_into_a_missing_directory_is_a_clean_error(tmp_path: Path) -> None:
    result = invoke("run", "--save", str(tmp_path / "missing" / "run.json"))
    assert_session_error(result, "cannot write")


def test_save_never_replaces_a_file_that_is_not_a_session(tmp_path: Path) -> None:
    scenario = tmp_path / "mine.yaml"
    scenario.write_text(MINI.read_text())
    for args, stdin in (
        (["run", "--save", str(scenario)], None),
        (["step", "--save", str(scenario)], "n\n"),
        (["play", "--as", "ukraine", "--save", str(scenario)], "2\n"),
    ):
        result = invoke(*args, input=stdin)
        assert_session_error(result, "exists and is not a saved session")
        assert scenario.read_text() == MINI.read_text()


def test_save_replaces_an_earlier_session_or_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("")
    assert invoke("run", "--until", "2025-11-20", "--save", str(path)).exit_code == 0
    assert invoke("step", "--save", str(path), input="n\n").exit_code == 0
    assert saved(path).command == "step"

"""Saved sessions: a versioned JSON format, read strictly; and safe writing of files.

A ``run``, ``step`` or ``play`` session is saved as one JSON object::

    {
      "format": "negotiation-session",       the format name (anything else: foreign)
      "version": 1,                          newer than VERSION: refused, not guessed
      "command": "run" | "step" | "play",
      "scenario": {"ref": "ukraine-2025-12", "digest": "sha256:<64 hex>"},
      "branch": null,                        or a branch id
      "options": {"as": "ukraine"},          the command's own options, as strings
      "position": {"date": "2025-12-20", "step": 12},
      "choices": [{"on": "2025-12-10", "move": "ukraine accepts twenty_point_plan"}],
      "state": {...},                        the State at the position
      "checksum": "sha256:<64 hex>"          over the canonical JSON of all other fields
    }

``digest`` is the sha256 of the scenario's canonical JSON (``scenario_digest``): a session
resumes only against the very scenario it was saved from. ``choices`` are moves in the
move grammar (``negotiation.runtime.notation``), each with the day it was made. ``position.step`` is
the command's own counter (trace entries for ``run``, events stepped through for
``step``, decisions taken for ``play``).

Everything here is pure except the two writers: ``atomic_write`` (used by ``save``)
replaces a file in one step, so a reader (or a process killed mid-write) sees either
the previous content or the new one, never a mix; ``write_new`` is for other outputs
(reports, counterexamples) and refuses to replace an existing file unless forced. Both
refuse, before creating anything, a text larger than ``MAX_OUTPUT_BYTES`` (64 MiB, the
bound of every file and output stream this package writes; a session that could be
written can be read back).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from negotiation.model._base import Frozen, Id
from negotiation.model.errors import OutputError, SessionError
from negotiation.model.scenario import Scenario
from negotiation.model.state import State

FORMAT = "negotiation-session"
"""The format name every session file carries."""
VERSION = 1
"""The newest session format version this package reads and the one it writes."""
MAX_SESSION_BYTES = 64 * 1024 * 1024
"""The largest session file read."""
MAX_OUTPUT_BYTES = 64 * 1024 * 1024
"""The most bytes written to one file (a session, a report, a diagram, a counterexample)
or to one output stream of the command line; more is refused before anything is
written."""
MAX_MOVE_CHARS = 500
"""The longest move line (the move grammar's own limit)."""

Command = Literal["run", "step", "play"]
_Digest = Field(pattern=r"^sha256:[0-9a-f]{64}$")


class ScenarioRef(Frozen):
    """Which scenario a session belongs to: how to find it, and what it must hash to."""

    ref: str = Field(min_length=1, max_length=4096)
    digest: str = _Digest


class SessionPosition(Frozen):
    """Where the session stands: the day, and the command's own step counter."""

    date: dt.date
    step: int = Field(default=0, ge=0)


class Choice(Frozen):
    """One move made in the session: the day and the move line."""

    on: dt.date
    move: str = Field(min_length=1, max_length=MAX_MOVE_CHARS)


class Session(Frozen):
    """A saved session (see the module docstring for the file format)."""

    command: Command
    scenario: ScenarioRef
    branch: Id | None = None
    options: dict[str, str] = {}
    position: SessionPosition
    choices: tuple[Choice, ...] = ()
    state: State


# -- digests and canonical JSON -------------------------------------------------------


def canonical_json(data: Any) -> str:
    """One canonical text for JSON data: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha256(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def scenario_digest(scenario: Scenario) -> str:
    """``sha256:`` and the hex sha256 of the scenario's canonical JSON."""
    return _sha256(canonical_json(scenario.model_dump(mode="json")))


def new_session(
    command: Command,
    scenario: Scenario,
    ref: str,
    state: State,
    *,
    branch: str | None = None,
    step: int = 0,
    choices: tuple[Choice, ...] = (),
    options: Mapping[str, str] | None = None,
) -> Session:
    """A session at ``state`` (its date is the position's) for ``scenario``."""
    return Session(
        command=command,
        scenario=ScenarioRef(ref=ref, digest=scenario_digest(scenario)),
        branch=branch,
        options=dict(options or {}),
        position=SessionPosition(date=state.date, step=step),
        choices=choices,
        state=state,
    )


# -- writing and reading the format ----------------------------------------------------


def dumps(session: Session) -> str:
    """The session file's text (indented, keys sorted, with its checksum)."""
    body: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        **session.model_dump(mode="json"),
    }
    body["checksum"] = _sha256(canonical_json(body))
    return json.dumps(body, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def loads(data: bytes | str, source: str = "<session>") -> Session:
    """Read a session file's content; any defect is a ``SessionError`` naming ``source``."""
    if len(data) > MAX_SESSION_BYTES:
        raise _bad(source, f"larger than the {MAX_SESSION_BYTES // 2**20} MiB limit")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise _bad(source, f"not UTF-8 text (byte {e.start}); the file is corrupted") from None
    if not data.strip():
        raise _bad(source, "the file is empty; nothing was saved in it")
    body = _parse_json(data, source)
    _check_header(body, source)
    _check_checksum(body, source)
    fields = {k: v for k, v in body.items() if k not in ("format", "version", "checksum")}
    try:
        return Session.model_validate(fields)
    except ValidationError as e:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}"
            for err in e.errors(include_url=False)[:5]
        ]
        raise _bad(source, "invalid content: " + "; ".join(problems)) from None


def _bad(source: str, message: str) -> SessionError:
    return SessionError(f"{source}: cannot resume this session: {message}")


def _parse_json(text: str, source: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as e:
        raise _bad(
            source,
            f"not complete JSON ({e.msg} at line {e.lineno}, column {e.colno}); "
            "the file is truncated or corrupted",
        ) from None
    except (ValueError, RecursionError) as e:  # huge numbers, absurd nesting
        raise _bad(source, f"not a session file ({type(e).__name__}: {str(e)[:80]})") from None
    if not isinstance(body, dict):
        raise _bad(source, f"not a {FORMAT} file (the JSON is not an object)")
    return body


def _check_header(body: dict[str, Any], source: str) -> None:
    name = body.get("format")
    if name != FORMAT:
        shown = "no format name" if name is None else f"format {str(name)[:60]!r}"
        raise _bad(source, f"not a {FORMAT} file ({shown})")
    version = body.get("version")
    if type(version) is not int or version < 1:
        raise _bad(source, f"invalid format version {str(version)[:20]!r}")
    if version > VERSION:
        raise _bad(
            source,
            f"saved in format version {version}, newer than this package reads "
            f"({VERSION}); upgrade the negotiation package",
        )


def _check_checksum(body: dict[str, Any], source: str) -> None:
    saved = body.get("checksum")
    rest = {k: v for k, v in body.items() if k != "checksum"}
    if saved != _sha256(canonical_json(rest)):
        raise _bad(
            source,
            "its checksum does not match its content; the file was corrupted or edited",
        )


def check_scenario(session: Session, scenario: Scenario, source: str = "<session>") -> None:
    """A ``SessionError`` unless ``scenario`` is the one the session was saved from."""
    digest = scenario_digest(scenario)
    if digest != session.scenario.digest:
        raise _bad(
            source,
            f"the scenario {session.scenario.ref!r} has changed since the session was "
            f"saved (digest {session.scenario.digest[7:19]}..., now {digest[7:19]}...)",
        )
    known = {b.id for b in scenario.branches}
    if session.branch is not None and session.branch not in known:
        raise _bad(source, f"the scenario has no branch {session.branch!r}")


# -- files -------------------------------------------------------------------------------


def save(path: str | os.PathLike[str], session: Session) -> None:
    """Save a session, atomically replacing an earlier save at ``path``."""
    atomic_write(path, dumps(session))


def atomic_write(path: str | os.PathLike[str], text: str) -> None:
    """Replace ``path`` with ``text`` in one step.

    Writes a temporary file in the same directory, flushes and fsyncs it, renames it
    over ``path`` (``os.replace``) and fsyncs the directory. A reader, or a process
    killed at any moment, sees the previous content or the new one, never a mix. An
    ``OSError`` becomes an ``OutputError`` naming the file.
    """
    target = Path(path)
    data = _encoded(target, text)
    try:
        tmp = _write_temp(target, data)
        try:
            os.replace(tmp, target)
        except BaseException:
            _remove(tmp)
            raise
        _fsync_dir(target.parent)
    except OSError as e:
        raise OutputError(f"cannot write {target}: {e.strerror or e}", str(target)) from None


def write_new(path: str | os.PathLike[str], text: str, force: bool = False) -> None:
    """Write an output file (a report, a counterexample) that must not replace an
    existing file unless ``force``: an existing ``path`` is an ``OutputError`` ("use
    --force"). The file appears complete or not at all; with ``force`` it replaces the
    old one atomically."""
    if force:
        atomic_write(path, text)
        return
    target = Path(path)
    if os.path.lexists(target):
        raise _exists(target)
    data = _encoded(target, text)
    try:
        tmp = _write_temp(target, data)
        try:
            os.link(tmp, target)  # fails if the name exists: never replaces a file
        except FileExistsError:
            raise _exists(target) from None
        except OSError:  # no hard links here: claim the name, then fill it in one step
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            os.close(fd)
            os.replace(tmp, target)
        finally:
            _remove(tmp)
        _fsync_dir(target.parent)
    except FileExistsError:
        raise _exists(target) from None
    except OSError as e:
        raise OutputError(f"cannot write {target}: {e.strerror or e}", str(target)) from None


def _encoded(target: Path, text: str) -> bytes:
    """The UTF-8 bytes of ``text``, or an ``OutputError`` if they are more than
    ``MAX_OUTPUT_BYTES`` or hold a lone surrogate (which UTF-8 cannot encode)."""
    limit = MAX_OUTPUT_BYTES
    if len(text) > limit:  # more characters than bytes allowed: do not encode it
        raise _too_large(target, len(text), limit)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise OutputError(
            f"cannot write {target}: the text holds U+{ord(text[e.start]):04X}, "
            "a lone surrogate that UTF-8 cannot encode",
            str(target),
        ) from None
    if len(data) > limit:
        raise _too_large(target, len(data), limit)
    return data


def _too_large(target: Path, size: int, limit: int) -> OutputError:
    return OutputError(
        f"refusing to write {target}: it would be {size / 2**20:,.1f} MiB, over the "
        f"{limit // 2**20} MiB limit; nothing was written",
        str(target),
    )


def _exists(target: Path) -> OutputError:
    return OutputError(f"{target} already exists; use --force to overwrite it", str(target))


def _write_temp(target: Path, data: bytes) -> Path:
    """A new, fsynced temporary file next to ``target`` holding ``data``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, flags, 0o666)  # the umask applies, as for any new file
        except FileExistsError:  # pragma: no cover - 48 random bits collided
            continue
        break
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (where the platform allows it)."""
    try:
        fd = os.open(directory if str(directory) else ".", os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


__all__ = [
    "FORMAT",
    "MAX_OUTPUT_BYTES",
    "MAX_SESSION_BYTES",
    "VERSION",
    "Choice",
    "Command",
    "ScenarioRef",
    "Session",
    "SessionPosition",
    "atomic_write",
    "canonical_json",
    "check_scenario",
    "dumps",
    "loads",
    "new_session",
    "save",
    "scenario_digest",
    "write_new",
]

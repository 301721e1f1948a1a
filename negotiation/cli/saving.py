"""``--save FILE`` for ``run``, ``step`` and ``play``: sessions as ``negotiation.persist``
files, and the way back from a file to a live session (used by ``resume``).

``run`` saves once, at the end. ``step`` and ``play`` save after every command that
moves the session, so the file always holds the latest position (each save replaces
the previous one atomically; a session killed mid-save leaves the previous one). A
session never replaces a file that is not a session (``claim``).

What is saved for each command:

* ``run``: the branch, the day run to (``position.date``), the final state.
* ``step``: the branch, ``--until``, the frame index (``position.step``), its state.
* ``play``: the mode (``mode``: ``script`` or ``bargain``; a session saved before
  ``play`` bargained by default has none and is a scripted one).
  ``script``: the branch, ``--as``, ``--until``, ``--predict``, and the student's
  answers on the path to the current position (``choices``): a move in the move
  grammar, or ``scripted``, ``pass``, ``alternative ID``, ``predict ANSWER``.
  ``bargain``: the branch, ``--as``, ``--document``, ``--days-per-round``, ``--seed``,
  and the student's answers in the menu's words (``offer rise 4 %``, ``accept
  employer's offer``), the state at the last answer's turn (``bargaining.turn_state``).
  Resuming replays the answers and checks that the replay reaches the saved state.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from negotiation import loader, persist
from negotiation.cli.common import SaveOpt
from negotiation.model.errors import MoveError, OutputError, SessionError
from negotiation.model.state import State
from negotiation.model.trace import Trace
from negotiation.persist import Choice, Session
from negotiation.runtime.engine import Engine
from negotiation.runtime.notation import format_move, parse_move
from negotiation.teach.bargaining import Menu, MenuEntry, turn_state
from negotiation.teach.play import PlaySession
from negotiation.teach.step import StepSession


def scenario_ref(scenario: str) -> str:
    """How a session names its scenario: a file's absolute path, or the bundled name
    (as ``loader.resolve`` reads the name). A path that is not UTF-8 cannot be saved in
    the session's JSON: an ``OutputError``, before anything is written."""
    bundled = scenario in loader.bundled_names()
    ref = scenario if bundled else str(Path(scenario).resolve())
    try:
        ref.encode("utf-8")
    except UnicodeEncodeError:
        raise OutputError(
            f"cannot save a session for {ref!r}: its path is not UTF-8 text; rename the "
            "scenario file",
            ref,
        ) from None
    return ref


def claim(path: Path) -> None:
    """Refuse to save a session over a file that is not one (a mistyped ``--save`` must
    not replace a scenario or a report); an earlier session or an empty file is fine."""
    if not os.path.lexists(path):
        return
    if not path.is_file():
        raise OutputError(f"{path} exists and is not a regular file", str(path))
    try:
        with path.open("rb") as f:
            data = f.read(persist.MAX_SESSION_BYTES + 1)
    except OSError as e:
        raise OutputError(f"cannot read {path}: {e.strerror or e}", str(path)) from None
    if not data.strip():
        return
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):
        body = None
    if not (isinstance(body, dict) and body.get("format") == persist.FORMAT):
        raise OutputError(
            f"{path} exists and is not a saved session; refusing to replace it "
            "(choose another file for --save)",
            str(path),
        )


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def until_of(session: Session) -> dt.date | None:
    text = session.options.get("until", "")
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise SessionError(f"invalid 'until' option {text!r} in the session") from None


# -- run -----------------------------------------------------------------------------------


def save_run(path: Path, engine: Engine, ref: str, trace: Trace) -> None:
    claim(path)
    persist.save(
        path,
        persist.new_session(
            "run",
            engine.scenario,
            ref,
            trace.final,
            branch=trace.branch,
            step=len(trace.entries),
        ),
    )


# -- step ----------------------------------------------------------------------------------


def step_saver(
    path: Path, engine: Engine, ref: str, until: dt.date | None
) -> Callable[[StepSession], None]:
    """Save a step session (its frame index and state) each time it moves."""
    claim(path)
    last: list[int] = []

    def save(session: StepSession) -> None:
        if last and last[-1] == session.index:
            return
        last[:] = [session.index]
        persist.save(
            path,
            persist.new_session(
                "step",
                engine.scenario,
                ref,
                session.frame.state,
                branch=session.branch,
                step=session.index,
                options={"until": _day(until)},
            ),
        )

    return save


def restore_step(engine: Engine, session: Session) -> StepSession:
    live = StepSession.start(engine, session.branch, until_of(session))
    index = session.position.step
    if index >= live.total:
        raise SessionError(f"step {index} is past the end of this path ({live.total} steps)")
    live, _ = live.go(index)
    _same_state(live.frame.state, session.state)
    return live


# -- play ----------------------------------------------------------------------------------


def _answer_text(before: PlaySession, line: str) -> str:
    """The saved form of an answer that moved ``before`` on."""
    text = line.strip()
    if before.question is not None:
        return f"predict {text or 'skip'}"
    decision = before.decision
    word = text.lower()
    if decision is not None and word.isdigit() and 1 <= int(word) <= len(decision.options):
        option = decision.options[int(word) - 1]
        if option.kind == "alternative":
            return f"alternative {option.label.split(':', 1)[0]}"
        return option.kind if option.kind in ("scripted", "pass") else option.label
    if word in ("scripted", "script"):
        return "scripted"
    if word in ("p", "pass"):
        return "pass"
    try:
        return format_move(parse_move(text, before.engine.scenario, before.state.date))
    except MoveError:
        return text


def _replay_line(live: PlaySession, saved: str) -> str:
    """The answer that gives ``saved`` again in ``live``: the same option's number where
    one matches (the very option chosen), else the saved text itself."""
    if saved.startswith("predict "):
        return saved.removeprefix("predict ")
    decision = live.decision
    if decision is None or saved in ("scripted", "pass"):
        return saved
    for n, option in enumerate(decision.options, start=1):
        label = option.label.split(":", 1)[0] if option.kind == "alternative" else option.label
        wanted = saved.removeprefix("alternative ") if option.kind == "alternative" else saved
        if label == wanted and (option.kind == "alternative") == saved.startswith("alternative "):
            return str(n)
    return saved


@dataclass
class PlaySaver:
    """Follows a play session answer by answer and saves it after each move."""

    path: Path
    engine: Engine
    ref: str
    until: dt.date | None
    answers: list[Choice] = field(default_factory=list)

    def __post_init__(self) -> None:
        claim(self.path)

    def __call__(self, before: PlaySession | None, line: str, after: PlaySession) -> None:
        if before is not None:
            if after.reply == "back" and self.answers:
                self.answers.pop()
            elif after.parent is not before.parent:  # an answer that moved the session on
                self.answers.append(Choice(on=before.state.date, move=_answer_text(before, line)))
            else:
                return  # state, why, help, an error: nothing moved
        persist.save(
            self.path,
            persist.new_session(
                "play",
                self.engine.scenario,
                self.ref,
                after.state,
                branch=after.branch,
                step=len(self.answers),
                choices=tuple(self.answers),
                options={
                    "as": after.party,
                    "mode": "script",
                    "until": _day(self.until),
                    "predict": "true" if after.predict else "false",
                },
            ),
        )


def restore_play(engine: Engine, session: Session) -> tuple[PlaySession, list[Choice]]:
    party = session.options.get("as", "")
    predict = session.options.get("predict") == "true"
    live = PlaySession.begin(engine, party, session.branch, until_of(session), predict)
    for n, choice in enumerate(session.choices, start=1):
        nxt = live.answer(_replay_line(live, choice.move))
        if nxt.reply == "error" or nxt.parent is live.parent:
            why = f": {nxt.notice}" if nxt.notice else ""
            raise SessionError(f"choice {n} ({choice.move!r}) cannot be replayed{why}")
        live = nxt
    _same_state(live.state, session.state)
    return live, list(session.choices)


# -- play, bargaining ------------------------------------------------------------------------


@dataclass(frozen=True)
class BargainOptions:
    """What a bargaining in ``play`` is: the student's party, the document (None: the
    one strategies name), the rounds, the seed and the branch."""

    party: str
    document: str | None
    days_per_round: int = 1
    seed: int = 0
    branch: str | None = None

    def saved(self) -> dict[str, str]:
        return {"as": self.party, "mode": "bargain", "document": self.document or "",
                "days_per_round": str(self.days_per_round), "seed": str(self.seed)}  # fmt: skip


@dataclass
class BargainSaver:
    """Saves a bargaining after each of the student's answers."""

    path: Path
    engine: Engine
    ref: str
    options: BargainOptions
    answers: list[Choice] = field(default_factory=list)

    def __post_init__(self) -> None:
        claim(self.path)

    def __call__(self, menu: Menu, chosen: MenuEntry) -> None:
        self.answers.append(Choice(on=menu.day, move=chosen.words))
        persist.save(
            self.path,
            persist.new_session(
                "play", self.engine.scenario, self.ref,
                turn_state(self.engine, menu, self.options.branch),
                branch=self.options.branch, step=len(self.answers),
                choices=tuple(self.answers), options=self.options.saved(),
            ),
        )  # fmt: skip


@dataclass
class Replay:
    """A saved bargaining's answers, given again at the turns they were made."""

    engine: Engine
    options: BargainOptions
    session: Session
    done: int = 0

    @property
    def pending(self) -> tuple[Choice, ...]:
        return self.session.choices[self.done :]

    def next(self, menu: Menu) -> MenuEntry:
        """The next saved answer, found in ``menu``; at the last one, the state of its
        turn must be the saved state."""
        saved = self.pending[0]
        self.done += 1
        n = self.done
        chosen = menu.named(saved.move)
        if saved.on != menu.day or chosen is None:
            raise SessionError(
                f"choice {n} ({saved.move!r} on {saved.on}) cannot be replayed: the turn "
                f"is on {menu.day}" + ("" if chosen is None else " with that answer")
            )
        if not self.pending:
            _same_state(turn_state(self.engine, menu, self.options.branch), self.session.state)
        return chosen


def _int_option(session: Session, name: str, default: int) -> int:
    text = session.options.get(name, str(default))
    try:
        return int(text)
    except ValueError:
        raise SessionError(f"invalid {name!r} option {text!r} in the session") from None


def restore_bargain(
    engine: Engine, session: Session, target: Path
) -> tuple[BargainOptions, BargainSaver, Replay]:
    """A saved bargaining: its options, a saver that goes on from its answers, and the
    replay of them."""
    options = BargainOptions(
        session.options.get("as", ""), session.options.get("document") or None,
        _int_option(session, "days_per_round", 1), _int_option(session, "seed", 0),
        session.branch,
    )  # fmt: skip
    if options.days_per_round < 1:
        raise SessionError(f"invalid 'days_per_round' {options.days_per_round} in the session")
    saver = BargainSaver(target, engine, session.scenario.ref, options, list(session.choices))
    return options, saver, Replay(engine, options, session)


def mode_of(session: Session) -> str:
    """A play session's mode: ``script`` (also a session saved before the mode was
    stored) or ``bargain``."""
    mode = session.options.get("mode", "script")
    if mode not in ("script", "bargain"):
        raise SessionError(f"unknown play mode {mode!r} in the session")
    return mode


def _same_state(replayed: State, saved: State) -> None:
    if replayed != saved:
        raise SessionError(
            f"replaying the session does not reach its saved state (at {saved.date}); "
            "the file was edited or saved by another version"
        )


__all__ = [
    "BargainOptions",
    "BargainSaver",
    "PlaySaver",
    "Replay",
    "SaveOpt",
    "mode_of",
    "restore_bargain",
    "restore_play",
    "restore_step",
    "save_run",
    "scenario_ref",
    "step_saver",
    "until_of",
]

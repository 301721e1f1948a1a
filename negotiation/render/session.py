"""Plain text for the teaching sessions (``step`` and ``play``): one string per reply.

No rich markup: a session's output is read on a terminal and in transcripts alike, so it
is plain, wrapped at 100 columns, with user text printed verbatim.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence

from negotiation.model.scenario import Scenario
from negotiation.model.trace import TraceEntry
from negotiation.render import text, views
from negotiation.teach.choices import Option, StudentDecision
from negotiation.teach.compare import Comparison
from negotiation.teach.play import LogEntry, PlaySession
from negotiation.teach.predict import Question
from negotiation.teach.step import HELP, Ahead, Reply, StepSession

WIDTH = 100
LABELS = views.KIND_LABELS


def _wrap(label: str, value: str, indent: int = 2, hang: int | None = None) -> list[str]:
    """``label: value`` wrapped with a hanging indent."""
    first = " " * indent + (f"{label:<9}" if label else "")
    rest = " " * (len(first) if hang is None else hang)
    return textwrap.wrap(
        value, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    ) or [first.rstrip()]


def entry_lines(e: TraceEntry, indent: int = 2) -> list[str]:
    """One trace entry: source and claim status, what changed, why, what followed."""
    lines: list[str] = []
    if e.by:
        lines += _wrap("by:", ", ".join(e.by), indent)
    if e.attribution is not None:
        source = e.attribution.display().rsplit(" [", 1)[0]
        lines += _wrap("source:", source, indent)
        lines += _wrap("status:", e.attribution.status.value, indent)
    if e.date_display != e.date.isoformat():
        lines += _wrap("date:", f"{e.date_display}; ordered at {e.date}", indent)
    for c in e.changes:
        lines += _wrap("changed:", c.display(), indent)
    for r in e.reasons:
        lines += _wrap(f"{views.reason_label(e.kind)}:", r, indent)
    if e.cause:
        lines += _wrap("cause:", e.cause, indent)
    if e.fired:
        lines += _wrap("then:", ", ".join(e.fired), indent)
    if e.assumption:
        lines += _wrap("assumed:", e.assumption, indent)
    return lines


def ahead_lines(ahead: Sequence[Ahead]) -> list[str]:
    if not ahead:
        return ["  deadlines ahead: none live"]
    lines = ["  deadlines ahead:"]
    for a in ahead:
        if a.due is None:
            what = f"{a.status} for what it counts from (no due date yet)"
        elif a.days_left is not None and a.days_left < 0:
            what = f"{a.status}, due {a.due} ({-a.days_left} days ago)"
        else:
            opens = f", opens {a.opens}" if a.opens else ""
            what = f"{a.status}, due {a.due}{opens} ({a.days_left} days left)"
        lines.append(f"    {a.deadline:<28} {what}")
    return lines


# -- step ----------------------------------------------------------------------------------


def step_intro(scenario: Scenario, session: StepSession) -> str:
    first, last = session.frames[0].date, session.frames[-1].date
    lines = [
        f"{scenario.title} ({scenario.id})",
        f"step-through from {first} to the close of {last}, {session.total} steps"
        + (f", branch {session.branch}" if session.branch else ""),
        "commands: next (n), back (b), jump DATE (j), state (s), why MOVE (w), help (h), quit (q)",
    ]
    return "\n".join(lines)


def frame_text(session: StepSession, reply: Reply) -> str:
    f = reply.frame
    assert f is not None
    head = f"[{f.index + 1}/{session.total}] {f.date}"
    lines: list[str] = []
    if f.kind == "start":
        lines.append(f"{head}  START  the state before any scripted event")
    elif f.kind == "end":
        lines.append(f"{head}  END  the close of {f.date}: the session's last day")
    elif f.kind == "clock":
        lines.append(f"{head}  CLOCK  the clock passes {f.date}")
    own = f.entry
    for e in f.entries:
        label = views.entry_label(e)
        if e is own:
            lines += _wrap("", f"{head}  {label}  {e.summary}", 0, hang=2)
        else:
            lines += _wrap("", f"{'' if f.kind == 'clock' else '  then '}{label}  {e.summary}", 2)
        lines += entry_lines(e, 4 if e is not own else 2)
    lines += ahead_lines(reply.ahead)
    if reply.message:
        lines.append(f"  note: {reply.message}")
    return "\n".join(lines)


def step_reply(scenario: Scenario, session: StepSession, reply: Reply) -> str:
    """The text of one step-through reply."""
    if reply.kind == "frame":
        return frame_text(session, reply)
    if reply.kind == "state":
        f = reply.frame
        assert f is not None
        buffer = io.StringIO()
        text.state(scenario, f.state, f.date, session.branch, buffer)
        return buffer.getvalue().rstrip("\n")
    if reply.kind == "why":
        verdict = "BLOCKED" if reply.reasons else "ALLOWED"
        assert reply.frame is not None
        lines = [f"{verdict}: {reply.move} on {reply.frame.date}"]
        for r in reply.reasons:
            lines += _wrap("", f"- {r}", 2, hang=4)
        return "\n".join(lines)
    if reply.kind == "help":
        return "\n".join(f"  {cmd:<14} {what}" for cmd, what in HELP)
    if reply.kind == "quit":
        return "bye"
    prefix = "error: " if reply.kind == "error" else ""
    return prefix + reply.message


# -- play ------------------------------------------------------------------------------------

PLAY_HELP = (
    ("NUMBER", "take the listed option with that number"),
    ("scripted", "take the move the record has here"),
    ("pass, p", "do nothing at this decision point"),
    ("MOVE", "type a move of your party, e.g. 'ukraine accepts twenty_point_plan'"),
    ("state", "show the state now"),
    ("why, w MOVE", "would MOVE be allowed now, and if not, why not"),
    ("back, b, undo", "undo your last answer"),
    ("help, h", "this list"),
    ("quit, q", "end the session"),
)


def play_intro(scenario: Scenario, session: PlaySession) -> str:
    return "\n".join(
        [
            f"{scenario.title} ({scenario.id})",
            f"you play {session.party}; the other parties follow the script. "
            f"{session.decisions_ahead} scripted decisions of yours up to the close of "
            f"{session.end}" + (f" (branch {session.branch})" if session.branch else ""),
            "answer with a number, 'scripted', 'pass' or a move; 'help' lists the commands",
        ]
    )


def log_text(lines: Iterable[LogEntry]) -> str:
    out: list[str] = []
    for line in lines:
        tag = {"choice": "you", "script": "script"}.get(line.kind, line.kind)
        out += _wrap("", f"{line.day}  {tag:<8} {line.text}", 0, hang=21)
        for e in line.entries:
            if line.kind != "clock" and e.kind in ("event", "blocked"):
                for c in e.changes:
                    out += _wrap("changed:", c.display(), 21)
                for r in e.reasons:
                    out += _wrap(f"{views.reason_label(e.kind)}:", r, 21)
            elif line.kind != "clock":
                out += _wrap("then:", f"{views.entry_label(e)} {e.summary}", 21)
        for r in line.reasons:
            out += _wrap("why:", r, 21)
    return "\n".join(out)


def _target(o: Option) -> str:
    e = o.events[0] if o.events else None
    for name in ("document", "deadline", "fact"):
        value = getattr(e, name, None)
        if isinstance(value, str):
            return value
    return "other"


def decision_text(session: PlaySession, d: StudentDecision) -> str:
    lines = _wrap("", f"DECISION {d.day}  you play {session.party}: {d.title}", 0)
    if d.scripted is not None:
        status = "blocked" if d.scripted.reasons else "legal"
        lines.append(f"  the record: {d.scripted.label} ({status})")
    lines.append("  legal moves:")
    groups: dict[str, list[str]] = {}
    numbered = list(enumerate(d.options, 1))
    for n, o in numbered:
        if o.kind in ("scripted", "alternative", "pass"):
            tag = {"scripted": " (the record)", "pass": ""}.get(o.kind, "")
            lines.append(f"    {n:>3}. {o.label}{tag}")
        else:
            target = _target(o)
            groups.setdefault(target, []).append(f"[{n}] {_short(o.label, session.party, target)}")
    for target, items in groups.items():
        lines += _wrap("", f"{target}: " + " | ".join(items), 4)
    if d.blocked:
        lines.append("  blocked moves:")
        for o in d.blocked:
            lines += _wrap("", f"{o.label}: " + "; ".join(o.reasons), 4)
    return "\n".join(lines)


def _short(label: str, party: str, target: str) -> str:
    """A move without its subject and target: ``accepts``, ``moves by reject``."""
    words = [w for w in label.removeprefix(party + " ").split() if w != target]
    return " ".join(words)


def question_text(q: Question) -> str:
    return "\n".join(_wrap("", q.text + "  choices: " + ", ".join(q.choices), 0))


def play_reply(scenario: Scenario, session: PlaySession) -> str:
    """What to show besides the new log lines: help, the state, a check, an error."""
    if session.reply == "help":
        return "\n".join(f"  {cmd:<14} {what}" for cmd, what in PLAY_HELP)
    if session.reply == "state":
        buffer = io.StringIO()
        text.state(scenario, session.state, session.state.date, session.branch, buffer)
        return buffer.getvalue().rstrip("\n")
    if session.reply == "back":
        return f"back: undone; you are again at {session.state.date}"
    if session.reply == "error":
        return f"error: {session.notice}"
    return session.notice


def prompt_text(session: PlaySession) -> str:
    if session.question is not None:
        return question_text(session.question)
    if session.decision is not None:
        return decision_text(session, session.decision)
    return ""


KEEP_WHOLE = ("DEADLINE", "EXTENSION", "WINDOW", "RULE", "BLOCKED", "Skipped", "You pass", "(your")


def _cell(line: str, width: int) -> list[str]:
    """A line of the side-by-side table: what the clock did and what the student did is
    wrapped in full; a recorded event's summary is shortened to one line."""
    if line.startswith(KEEP_WHOLE):
        return textwrap.wrap(line, width, subsequent_indent="  ") or [""]
    return [textwrap.shorten(line, width, placeholder="...")]


def comparison_text(c: Comparison, party: str) -> str:
    """The student's path beside the recorded one, then the outcomes."""
    half = (WIDTH - 14) // 2
    lines = [
        f"YOUR PATH (as {party}) BESIDE THE RECORD, to the close of {c.end}",
        f"{'date':<12}{'the record':<{half}}  {'your path'}",
    ]
    for day in c.days:
        left = [y for x in day.recorded for y in _cell(x, half)]
        right = ["(same)"] if day.same else [y for x in day.yours for y in _cell(x, half)]
        for i in range(max(len(left), len(right), 1)):
            date = str(day.day) if i == 0 else ""
            mark = "*" if i == 0 and not day.same else " "
            a = left[i] if i < len(left) else ""
            b = right[i] if i < len(right) else ""
            lines.append(f"{date:<11}{mark}{a:<{half}}  {b}".rstrip())
    lines.append("")
    for title, outcomes in (
        ("DEADLINES", c.deadlines),
        ("DOCUMENTS", c.documents),
        ("OTHER DIFFERENCES", c.others),
    ):
        if outcomes:
            lines.append(f"{title} at the close of {c.end}")
        for o in outcomes:
            if not o.changed:
                lines.append(f"  {o.what}: {o.recorded} (same on both paths)")
                continue
            lines.append(f"  {o.what}   << changed")
            lines.append(f"    the record: {o.recorded}")
            lines.append(f"    your path:  {o.yours}")
    changed = len(c.changed)
    lines.append(
        f"{changed} outcome{'s' * (changed != 1)} differ from the record"
        if changed
        else "every outcome matches the record"
    )
    if c.asked:
        lines.append(f"predictions: {c.right} of {c.asked} right")
    return "\n".join(lines)

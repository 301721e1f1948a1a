"""Teaching sessions: step-through and role play, as pure state machines.

A session is an immutable value; every command gives a new session and a reply, and
"back" is a pointer to an earlier snapshot. Nothing here reads input or prints: the
``step`` and ``play`` commands (``negotiation.cli.teach``) feed lines in and render the
replies (``negotiation.render.session``).
"""

from __future__ import annotations

from negotiation.teach.script import Frame, ScriptItem, agenda, end_day, recorded_frames

__all__ = ["Frame", "ScriptItem", "agenda", "end_day", "recorded_frames"]

"""Renderers: text (rich), markdown (plain strings), JSON and CSV, over shared data views.

The CLI wires options to the loader and the engine and hands the results here; nothing
in this package loads files or runs the engine except through what it is given.
"""

from __future__ import annotations

from negotiation.render import csvout, jsonout, markdown, text, views

__all__ = ["csvout", "jsonout", "markdown", "text", "views"]

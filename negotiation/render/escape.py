"""Escaping user text for each output format, and the stream the CLI writes through.

Scenario text (titles, names, summaries, sources) is anyone's text. Every renderer
escapes it for its own format, over one shared step:

* ``visible``: the one terminal escape. Characters that act on a terminal or break a
  file format instead of printing (C0 controls but tab and newline, DEL, C1 controls,
  bidirectional embeddings, overrides and isolates, lone surrogates, U+FFFE/U+FFFF)
  become visible stand-ins of the same width: a C0 control its Unicode control picture
  (ESC is ``␛``, NUL ``␀``), DEL ``␡``, anything else U+FFFD ``�``. So an OSC 52
  clipboard write or a screen clear in a title prints as harmless text, and SVG/XML
  stays well-formed. Every text renderer, the rich console and the CLI's output
  streams use it.
* ``markdown_text`` (and ``code_span``): HTML escaped as entities (no raw tag, so no
  ``<script>`` and no ``on...=`` attribute), Markdown punctuation that could make a link,
  an image, emphasis, a code span or a table cell backslash-escaped.
* ``mermaid_label`` (quoted flowchart labels, Mermaid's ``#...;`` entity codes) and
  ``mermaid_name`` (gantt task names, pie slices: a plain name): never a newline (so
  never a new statement such as ``click ... javascript:``), never ``%`` (so never a
  ``%%{init}%%`` directive), never a quote or a backtick that ends the label or the
  fence.
* ``dot_text``: a DOT double-quoted string's content (backslash and quote escaped, so a
  title ending in ``\\`` cannot escape the closing quote; newlines as ``\\n``).
* ``xml_text``: text or attribute content of HTML, SVG and XML.
* ``json_text``: the JSON text itself, with the characters ``visible`` replaces written
  as ``\\uXXXX`` escapes (lossless, and safe on a terminal).

``TerminalStream`` wraps stdout and stderr for the CLI: everything written goes through
``visible``, is encoded with a fallback when the stream cannot encode it (a stream in
ASCII gets ``\\u2500`` rather than a ``UnicodeEncodeError``), and is bounded by
``persist.MAX_OUTPUT_BYTES`` (a write past the bound is refused, whole, with an
``OutputError``). A command that writes its output piece by piece holds it
(``TerminalStream.hold``): nothing reaches the stream until ``release``, so passing the
bound on the last line leaves the stream untouched, never a partial output followed by
an error. A rich console, which makes its text visible itself and adds its own styling
escapes, writes to ``rendered(stream)`` instead.
"""

from __future__ import annotations

import codecs
import html
import io
import re
from typing import TextIO, cast

from negotiation import persist
from negotiation.model.errors import OutputError

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
"""What ``visible`` replaces (tab and newline are kept)."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_STAND_IN = {chr(c): chr(0x2400 + c) for c in range(0x20)}
_STAND_IN["\x7f"] = "\u2421"
REPLACEMENT = "\ufffd"


def _stand_in(match: re.Match[str]) -> str:
    return _STAND_IN.get(match.group(), REPLACEMENT)


def visible(text: str) -> str:
    """``text`` with every character that acts on a terminal (or is not allowed in XML)
    replaced by a visible stand-in of the same width (see the module docstring)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_stand_in, text)


# -- Markdown ------------------------------------------------------------------------------

_MD_PUNCT = re.compile(r"[\\`*\[\]|]|(?<![^\W_])_|_(?![^\W_])")
"""Markdown punctuation escaped with a backslash: ``_`` only where it could open or
close emphasis (not inside a word such as ``twenty_point_plan``); ``~`` (the mark of
an inferred date) is left as written."""


def markdown_text(text: str, newline: str = " ") -> str:
    """Text for a Markdown paragraph, heading, list item or table cell: shown as
    written, never as markup. A newline becomes ``newline`` (``<br>`` in a table cell)."""
    text = html.escape(visible(text), quote=False)
    text = _MD_PUNCT.sub(r"\\\g<0>", text)
    return text.replace("\r", "").replace("\n", newline)


def code_span(text: str) -> str:
    """``text`` as a Markdown code span, with a fence longer than any run of backticks in
    it (so it cannot end the span early); on one line."""
    text = " ".join(visible(text).split("\n"))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# -- Mermaid -------------------------------------------------------------------------------

_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "%": "#37;",
    "`": "#96;",
    "<": "#lt;",
    ">": "#gt;",
}
_MERMAID_SPECIAL = re.compile(r"[#\"%`<>]")
_MERMAID_PLAIN = re.compile(r"[\s\"%`#:;<>{}\[\]|\\]+")


def mermaid_label(text: str) -> str:
    """Text inside a quoted Mermaid flowchart label (``["..."]``, ``|"..."|``) or a
    ``%%`` comment: one line, with Mermaid's entity codes for the characters that could
    end the label, start a directive, or be read as HTML."""
    line = " ".join(visible(text).split())
    return _MERMAID_SPECIAL.sub(lambda m: _MERMAID_ENTITIES[m.group()], line)


def mermaid_name(text: str) -> str:
    """A plain Mermaid name (a gantt title, section or task, a pie slice): one line with
    no character that Mermaid reads as syntax in those places (replaced by spaces)."""
    return " ".join(_MERMAID_PLAIN.sub(" ", visible(text)).split()) or "-"


# -- DOT, XML, JSON ------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """The content of a DOT double-quoted string (``label="..."``)."""
    text = visible(text).replace("\\", "\\\\").replace('"', '\\"')
    return text.replace("\r", "").replace("\n", "\\n")


def xml_text(text: str) -> str:
    """Text or attribute content for HTML, SVG and XML (quotes escaped too)."""
    return html.escape(visible(text), quote=True)


def json_text(text: str) -> str:
    """JSON text with the characters ``visible`` replaces written as ``\\uXXXX`` escapes
    (``json.dumps`` already escapes C0 controls; this adds DEL, C1 controls, bidi
    controls and lone surrogates). They can only occur inside JSON strings."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- the CLI's streams ---------------------------------------------------------------------


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB" if size >= 2**20 else f"{size:,} bytes"


def encodable(text: str, encoding: str) -> str:
    """``text`` with what ``encoding`` cannot encode written as ``\\uXXXX`` escapes."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = "utf-8"
    if name == "utf-8":  # only a lone surrogate cannot be encoded
        if _SURROGATE.search(text) is None:
            return text
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.encode(name, "backslashreplace").decode(name)


class TerminalStream(io.TextIOBase):
    """A text stream over stdout or stderr (see the module docstring): ``write`` makes
    text visible, ``write_rendered`` writes text already made visible (a rich console's
    output, with its own styling escapes); both encode with a fallback and count what
    was written against ``limit`` bytes (None: ``persist.MAX_OUTPUT_BYTES``, read at
    each write). Between ``hold()`` and ``release()`` what is written is kept, counted,
    and written to the stream in one piece at the release (``discard()`` drops it)."""

    def __init__(self, inner: TextIO, name: str, limit: int | None = None) -> None:
        super().__init__()
        self.inner = inner
        self.label = name
        self.limit = limit
        self.written = 0
        self._held: list[str] | None = None
        self._held_size = 0

    @property
    def bound(self) -> int:
        """The most bytes this stream writes."""
        return persist.MAX_OUTPUT_BYTES if self.limit is None else self.limit

    @property
    def holding(self) -> bool:
        return self._held is not None

    def hold(self) -> None:
        """Keep what is written from now on until ``release`` or ``discard``."""
        if self._held is None:
            self._held = []
            self._held_size = 0

    def release(self) -> None:
        """Write what was held, in one piece, and stop holding."""
        held, self._held = self._held, None
        if held:
            self.inner.write(encodable("".join(held), self.encoding))
            self.inner.flush()

    def discard(self) -> None:
        """Drop what was held (it was never written) and stop holding."""
        if self._held is not None:
            self.written -= self._held_size
            self._held = None

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        isatty = getattr(self.inner, "isatty", None)
        return bool(isatty()) if callable(isatty) else False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return self.write_rendered(visible(text))

    def write_rendered(self, text: str) -> int:
        limit = self.bound
        size = len(text)
        if size * 4 + self.written > limit:
            size = len(text.encode("utf-8", "surrogatepass"))
        if self.written + size > limit:
            what = "nothing was written" if self.holding else "it was not written"
            raise OutputError(
                f"the output to {self.label} would pass the {_mib(limit)} limit "
                f"({_mib(self.written + size)}); {what}",
                self.label,
            )
        self.written += size
        if self._held is not None:
            self._held.append(text)
            self._held_size += size
        else:
            self.inner.write(encodable(text, self.encoding))
        return len(text)

    def flush(self) -> None:
        if self._held is None:
            self.inner.flush()


class _Rendered(io.TextIOBase):
    """The ``write_rendered`` side of a ``TerminalStream``, as a stream (for a rich
    console that draws straight to the terminal, such as a progress bar)."""

    def __init__(self, owner: TerminalStream) -> None:
        super().__init__()
        self.owner = owner

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.owner.encoding

    def isatty(self) -> bool:
        return self.owner.isatty()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return self.owner.write_rendered(text)

    def flush(self) -> None:
        self.owner.flush()


def rendered(stream: TextIO) -> TextIO:
    """A stream for text already made visible (a rich console's output): a
    ``TerminalStream``'s ``write_rendered`` side, or ``stream`` itself."""
    if isinstance(stream, TerminalStream):
        return cast(TextIO, _Rendered(stream))
    return stream


__all__ = [
    "TerminalStream",
    "code_span",
    "dot_text",
    "encodable",
    "json_text",
    "markdown_text",
    "mermaid_label",
    "mermaid_name",
    "rendered",
    "visible",
    "xml_text",
]

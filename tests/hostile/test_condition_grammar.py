"""The condition language cannot reach attributes, calls or imports: proofs by structure
and by search.

1. The parser builds only the fixed set of AST node classes, whose fields are plain
   data (names, booleans, numbers, dates, child nodes): nothing callable, nothing
   looked up by name.
2. The tokenizer knows names, numbers, dates and the punctuation ``( ) . ,`` only; every
   other character (quotes, brackets, operators, ``:``, ``;``, ``@``, ...) is refused.
3. Evaluation reads the state only through the ``Facts`` protocol, with names the
   scenario defines: a spy records every access.
4. The module's source imports nothing that could run code and calls no ``eval``,
   ``exec``, ``getattr``, ``__import__``, ``importlib``.
5. Hypothesis: arbitrary text either parses into such a tree or raises
   ``ConditionError``, never anything else.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import importlib
import inspect
import string
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation import conditions
from negotiation.conditions import Node, evaluate, explain, parse
from negotiation.model.errors import ConditionError

SOURCES = sorted(Path(conditions.__file__).parent.glob("*.py"))
"""The condition language: every module of its package."""

NODE_CLASSES = {
    "Const",
    "Not",
    "And",
    "Or",
    "DocState",
    "DeadlineDue",
    "PointIs",
    "PointValue",
    "OfferPending",
    "StanceIs",
    "RelationHolds",
    "HasActed",
    "Participation",
    "Excluded",
    "AllAccept",
    "FactHolds",
    "FactHeld",
    "DeadlineIs",
    "DateCmp",
    "VoteFailed",
    "RatifiedCount",
    "RatifiedWeight",
    "ThresholdMet",
    "RuleFired",
    "DeadlineFired",
    "FactUnknown",
}
PLAIN = {str, bool, int, float, dt.date, type(None)}


class Vocab:
    """A scenario's names, including ones that look like Python's."""

    def parties(self) -> set[str]:
        return {"alpha", "beta", "beta.parliament", "system", "os"}

    def documents(self) -> set[str]:
        return {"plan", "eval", "builtins"}

    def points(self, document: str) -> set[str]:
        return {"p1", "p2"} if document == "plan" else set()

    def options(self, document: str, point: str) -> list[str]:
        return ["low", "high"] if (document, point) == ("plan", "p1") else []

    def document_states(self, document: str) -> set[str]:
        return {"draft", "proposed", "agreed", "signed"}

    def facts(self) -> set[str]:
        return {"talks_open", "import_done"}

    def deadlines(self) -> set[str]:
        return {"christmas"}


VOCAB = Vocab()
NAMES = (
    VOCAB.parties()
    | VOCAB.documents()
    | VOCAB.facts()
    | VOCAB.deadlines()
    | {f"plan.{p}" for p in VOCAB.points("plan")}
)
FACTS_API = {
    name
    for name, _ in inspect.getmembers(conditions.Facts)
    if not name.startswith("_") and name in conditions.Facts.__dict__
}


def all_nodes(node: Node) -> list[Node]:
    return list(conditions.walk(node))


# -- 1. the AST is plain data --------------------------------------------------------------


def test_the_ast_classes_are_a_closed_set_of_plain_data() -> None:
    modules = [
        importlib.import_module(
            "negotiation.conditions" + ("" if p.stem == "__init__" else f".{p.stem}")
        )
        for p in SOURCES
    ]
    found = {
        name
        for module in modules
        for name, obj in vars(module).items()
        if isinstance(obj, type) and issubclass(obj, Node) and obj is not Node
    }
    assert found == NODE_CLASSES
    hints_ok = {"str", "bool", "int", "float", "dt.date", "Node", "tuple[Node, ...]",
                "tuple[str, ...] | None", "str | None", "int | None"}
    for name in NODE_CLASSES:
        cls = getattr(conditions, name)
        assert dataclasses.is_dataclass(cls)
        assert vars(cls)["__dataclass_params__"].frozen
        for f in dataclasses.fields(cls):
            assert f.type in hints_ok, f"{name}.{f.name}: {f.type}"


def check_tree(node: Node) -> None:
    for n in all_nodes(node):
        assert type(n).__name__ in NODE_CLASSES
        for f in dataclasses.fields(n):
            value = getattr(n, f.name)
            if isinstance(value, tuple):
                assert all(isinstance(v, Node) or type(v) is str for v in value)
            else:
                assert isinstance(value, Node) or type(value) in PLAIN, (f.name, value)
                assert not callable(value) or isinstance(value, Node)


# -- 2. the tokenizer -------------------------------------------------------------------------

ALLOWED = set(string.ascii_letters + string.digits + "_().,%-" + string.whitespace)
FORBIDDEN = sorted(set(string.printable) - ALLOWED)


@pytest.mark.parametrize("char", FORBIDDEN)
def test_every_other_character_is_refused(char: str) -> None:
    with pytest.raises(ConditionError, match="unexpected character") as info:
        parse(f"plan is agreed and fact talks_open {char} true", VOCAB)
    assert info.value.position == len("plan is agreed and fact talks_open ")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("__import__('os')", "unexpected character"),
        ("__import__ os", "unknown name '__import__'"),
        ("__builtins__", "unknown name '__builtins__'"),
        ("plan.__class__ is agreed", "unknown point '__class__' of 'plan'"),
        ("plan.__class__.__mro__", "unknown point '__class__'"),
        ("alpha.__dict__ supports plan", "unknown name 'alpha.__dict__'"),
        ("system(id)", "unexpected '\\(' after party 'system'"),
        ("os.system", "unknown name 'os.system'"),
        ("plan()", "expected 'is', got '\\('"),
        ("10**1000000", "unexpected character '*'"),
        ("fact talks_open has held for at least 1" + "0" * 1000 + " days", "at most"),
        ("date is before 99999-01-01", "unexpected character '-'"),
        ("lambda: true", "unexpected character ':'"),
        ("true if true else false", "unexpected 'if'"),
        ("[x for x in ()]", "unexpected character '\\['"),
        ("`id`", "unexpected character '`'"),
        ("true; import os", "unexpected character ';'"),
        ("true\x00", "unexpected character"),
        ("ｔｒｕｅ", "unexpected character"),
        ("", "empty condition"),
    ],
)
def test_python_constructs_are_refused(text: str, reason: str) -> None:
    with pytest.raises(ConditionError, match=reason):
        parse(text, VOCAB)


def test_dangerous_looking_names_are_only_names() -> None:
    """Names that spell Python builtins are the scenario's own ids: dictionary keys."""
    node = parse("system supports eval and os has signed builtins", VOCAB)
    check_tree(node)
    spy = Spy()
    assert evaluate(node, spy) is False
    assert {call[0] for call in spy.calls} <= FACTS_API


# -- 3. evaluation touches only the Facts protocol -------------------------------------------


class Spy:
    """A ``Facts`` that records every access; unknown attribute access fails the test."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    @property
    def today(self) -> dt.date:
        self.calls.append(("today", ()))
        return dt.date(2025, 12, 10)

    def _record(self, name: str, args: tuple[Any, ...], result: Any) -> Any:
        for a in args:
            assert a in NAMES or a in {"supports", "opposes", "guarantees", "mediates_for"}, a
        self.calls.append((name, args))
        return result

    def document_state(self, document: str) -> str:
        return str(self._record("document_state", (document,), "proposed"))

    def document_visited(self, document: str) -> tuple[str, ...]:
        return tuple(self._record("document_visited", (document,), ("draft", "proposed")))

    def point_status(self, document: str, point: str) -> str:
        return str(self._record("point_status", (f"{document}.{point}",), "open"))

    def point_value(self, document: str, point: str) -> str | None:
        found: str | None = self._record("point_value", (f"{document}.{point}",), None)
        return found

    def offer_by(self, document: str) -> str | None:
        found: str | None = self._record("offer_by", (document,), "alpha")
        return found

    def stance(self, party: str, target: str) -> str:
        return str(self._record("stance", (party, target), "supports"))

    def relation(self, source: str, relation: str, target: str) -> bool:
        return bool(self._record("relation", (source, relation, target), True))

    def fact_since(self, fact: str) -> dt.date | bool | None:
        result: dt.date | bool | None = self._record("fact_since", (fact,), dt.date(2025, 12, 1))
        return result

    def fact_unknown(self, fact: str) -> bool:
        return bool(self._record("fact_unknown", (fact,), False))

    def failed_by(self, document: str) -> tuple[str, ...]:
        return tuple(self._record("failed_by", (document,), ()))

    def weight(self, name: str) -> dict[str, float]:
        return dict(self._record("weight", (name,), {}))

    def threshold_shortfall(self, document: str) -> list[str] | None:
        found: list[str] | None = self._record("threshold_shortfall", (document,), None)
        return found

    def rule_fired(self, rule: str) -> int:
        return int(self._record("rule_fired", (rule,), 0))

    def deadline_status(self, deadline: str) -> str:
        return str(self._record("deadline_status", (deadline,), "pending"))

    def deadline_due(self, deadline: str) -> dt.date | None:
        result: dt.date | None = self._record("deadline_due", (deadline,), dt.date(2025, 12, 1))
        return result

    def signed_by(self, document: str) -> tuple[str, ...]:
        return tuple(self._record("signed_by", (document,), ("alpha",)))

    def ratified_by(self, document: str) -> tuple[str, ...]:
        return tuple(self._record("ratified_by", (document,), ()))

    def required_parties(self, document: str) -> list[str] | None:
        return list(self._record("required_parties", (document,), ["alpha", "beta"]))

    def standing(
        self, party: str, document: str
    ) -> tuple[str, dt.date, dt.date | None] | None:
        found: tuple[str, dt.date, dt.date | None] | None = self._record(
            "standing", (party, document), None)
        return found

    def excluded(self, party: str) -> tuple[dt.date, str | None] | None:
        found: tuple[dt.date, str | None] | None = self._record("excluded", (party,), None)
        return found

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"evaluation reached for {name!r}, outside the Facts protocol")


def test_the_spy_implements_the_protocol() -> None:
    assert {name for name in vars(Spy) if not name.startswith("_")} == FACTS_API


PARTIES = sorted(VOCAB.parties())
TOP = [p for p in PARTIES if "." not in p]  # 'mediates for' names a party, not a body
DOCS = ["plan", "eval", "builtins"]
ATOMS = st.one_of(
    st.builds("{} is {}".format, st.sampled_from(DOCS), st.sampled_from(["draft", "agreed"])),
    st.builds("{} has reached signed".format, st.sampled_from(DOCS)),
    st.builds("plan.{} is {}".format, st.sampled_from(["p1", "p2"]), st.sampled_from(["open"])),
    st.builds(
        "{} {} {}".format,
        st.sampled_from(PARTIES),
        st.sampled_from(["supports", "opposes", "accepts", "rejects"]),
        st.sampled_from([*DOCS, "plan.p1"]),
    ),
    st.builds("{} guarantees {}".format, st.sampled_from(PARTIES), st.sampled_from(PARTIES)),
    st.builds("{} mediates for {}".format, st.sampled_from(PARTIES), st.sampled_from(TOP)),
    st.builds("{} has signed {}".format, st.sampled_from(PARTIES), st.sampled_from(DOCS)),
    st.builds("all required parties accept {}".format, st.sampled_from(DOCS)),
    st.builds("an offer is pending on {}".format, st.sampled_from(DOCS)),
    st.builds("plan.p1 is agreed on {}".format, st.sampled_from(["low", "high"])),
    st.builds("fact {} is {}".format, st.sampled_from(["talks_open"]), st.sampled_from(["true"])),
    st.builds("fact import_done has held for at least {} days".format, st.integers(0, 99_999)),
    st.builds("deadline christmas is {}".format, st.sampled_from(["pending", "missed"])),
    st.builds("date is on or after {}".format, st.dates().map(dt.date.isoformat)),
    st.sampled_from(["true", "false"]),
)
CONDITIONS = st.recursive(
    ATOMS,
    lambda inner: st.one_of(
        inner.map("not {}".format),
        inner.map("({})".format),
        st.builds("{} and {}".format, inner, inner),
        st.builds("{} or {}".format, inner, inner),
    ),
    max_leaves=12,
)


@settings(max_examples=300)
@given(CONDITIONS)
def test_valid_conditions_evaluate_through_the_facts_protocol_only(text: str) -> None:
    try:
        node = parse(text, VOCAB)
    except ConditionError as e:
        error: ConditionError | None = e
    else:
        error = None
    if error is not None:  # built from the grammar: only a budget may refuse it
        assert "nested deeper" in str(error) or "longer than" in str(error)
        return
    check_tree(node)
    spy = Spy()
    evaluate(node, spy)
    explain(node, spy)
    assert {name for name, _ in spy.calls} <= FACTS_API


# -- 4. the source ---------------------------------------------------------------------------

BANNED_NAMES = {
    "eval",
    "exec",
    "compile",
    "getattr",
    "setattr",
    "delattr",
    "__import__",
    "globals",
    "locals",
    "vars",
    "open",
    "input",
    "breakpoint",
}
BANNED_ATTRIBUTES = {"import_module", "system", "popen", "__getattribute__", "__subclasses__"}
ALLOWED_IMPORTS = {
    "__future__",
    "datetime",
    "difflib",
    "re",
    "collections.abc",
    "dataclasses",
    "typing",
    "negotiation.model.errors",  # the package's own errors module
    "negotiation.model.documents",  # counts and shares of ratifiers (pure functions)
    "negotiation.conditions.syntax",  # the language's own syntax tree and parser
    "negotiation.conditions.parser",
}


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_the_source_neither_imports_nor_calls_anything_that_runs_code(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                assert func.id not in BANNED_NAMES, f"line {node.lineno}: {func.id}()"
            if isinstance(func, ast.Attribute):
                assert func.attr not in BANNED_ATTRIBUTES, f"line {node.lineno}: .{func.attr}()"
        if isinstance(node, ast.Import):
            assert {a.name for a in node.names} <= ALLOWED_IMPORTS, ast.dump(node)
        if isinstance(node, ast.ImportFrom):
            assert (node.module or "") in ALLOWED_IMPORTS, ast.dump(node)


# -- 5. arbitrary text -----------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        *sorted(NAMES),
        "not",
        "and",
        "or",
        "(",
        ")",
        ".",
        ",",
        "is",
        "has",
        "reached",
        "signed",
        "supports",
        "fact",
        "deadline",
        "date",
        "held",
        "for",
        "at",
        "least",
        "days",
        "2025-12-10",
        "9" * 30,
        "__class__",
        "__import__",
        "'os'",
        "()",
        "**",
        "[0]",
    ]
)


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=40).map(" ".join)))
def test_arbitrary_text_parses_or_raises_condition_error(text: str) -> None:
    try:
        node = parse(text, VOCAB)
    except ConditionError as e:
        error: ConditionError | None = e
    else:
        error = None
    if error is not None:
        assert 0 <= error.position <= len(text)
        return
    check_tree(node)
    spy = Spy()
    evaluate(node, spy)
    assert {name for name, _ in spy.calls} <= FACTS_API


def test_protocol_method_names_are_what_the_spy_checks() -> None:
    hints = typing.get_type_hints(conditions.Facts.document_state)
    assert hints["return"] is str
    assert "document_state" in FACTS_API
    assert "today" in FACTS_API

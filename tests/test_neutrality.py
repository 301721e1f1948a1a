"""Neutrality and fidelity checks for seeds and project text.

* Seed items are well formed: ids, paragraph references, status/kind values, notes on
  every inferred date or attribution.
* The source article's loaded words appear nowhere in project text, except as the short
  ``quote`` of an attributed opinion item in a seed file.
* No run of six consecutive words from the source article appears anywhere in project text.
  The article is not needed at run time: ``tests/data/article_shingles.txt`` holds truncated
  SHA-256 digests of its 6-word shingles (see ``write_shingle_file`` for how to regenerate it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

SEEDS_DIR = ROOT / "seeds"
DATA_DIR = ROOT / "tests" / "data"
SHINGLE_FILE = DATA_DIR / "article_shingles.txt"
SHINGLE_GLOB = "*shingles.txt"  # every source's digests; tests/data itself is never scanned

SCAN_DIRS = ("negotiation", "scenarios", "seeds", "docs")
SCAN_TOP_FILES = ("README.md",)
SCAN_SUFFIXES = frozenset({".py", ".yaml", ".yml", ".md", ".json", ".html"})
SKIP_DIR_NAMES = frozenset({"__pycache__", "node_modules"})

SHINGLE_SIZE = 6
HASH_CHARS = 16
MAX_QUOTE_WORDS = 3
PARA_MIN, PARA_MAX = 1, 18

STATUSES = frozenset({"confirmed", "claimed", "disputed"})
KINDS = frozenset({"reported_fact", "official_statement", "opinion"})
PRECISIONS = frozenset({"exact", "month", "range"})
CLAIM_SECTIONS = ("events", "opinions", "deadlines", "documents")
ITEM_SECTIONS = ("dates", "parties", "documents", "deadlines", "events", "opinions", "unknowns")

# The article's loaded vocabulary. This list lives only here (tests/ is not scanned).
LOADED_TERMS = (
    r"dictators?",
    r"enablers?",
    r"capricious",
    r"backtracking",
    r"refusal\s+of\s+peace",
    r"generous\s+extension",
    r"gifted",
)
LOADED_RE = re.compile(r"\b(?:" + "|".join(LOADED_TERMS) + r")\b", re.IGNORECASE)
QUOTE_LINE_RE = re.compile(r"^\s*(?:-\s+)?quote:\s*(?P<value>\S.*?)\s*$")
SNAKE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
NON_ALNUM_RE = re.compile(r"[^0-9a-z]+")


# --------------------------------------------------------------------------- helpers


def normalize_words(text: str) -> list[str]:
    """Lowercase, turn every non-alphanumeric character into a space, split on whitespace."""
    return NON_ALNUM_RE.sub(" ", text.lower()).split()


def shingle_hash(words: Sequence[str]) -> str:
    """The truncated SHA-256 hex digest of a shingle (its words joined by single spaces)."""
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:HASH_CHARS]


def text_shingle_hashes(text: str) -> set[str]:
    """Hashes of every 6-word shingle of ``text``, one paragraph (line) at a time."""
    hashes: set[str] = set()
    for paragraph in text.splitlines():
        words = normalize_words(paragraph)
        for i in range(len(words) - SHINGLE_SIZE + 1):
            hashes.add(shingle_hash(words[i : i + SHINGLE_SIZE]))
    return hashes


def write_shingle_file(article: str | Path, out: str | Path) -> int:
    """Write the shingle data file for ``article`` (line N = paragraph N); return the count.

    Regenerate from the repo root with::

        python -c "import sys; sys.path.insert(0, 'tests'); import test_neutrality as t; \
t.write_shingle_file('/work/shared/seeds/000_587f944356045ec1.txt', \
'tests/data/article_shingles.txt')"
    """
    hashes = sorted(text_shingle_hashes(Path(article).read_text(encoding="utf-8")))
    header = [
        "# Truncated SHA-256 digests (first 16 hex chars) of every 6-word shingle of the seed",
        "# article /work/shared/seeds/000_587f944356045ec1.txt, one paragraph (line) at a time,",
        "# all 18 paragraphs. Normalisation: lowercase, non-alphanumerics -> space, split on",
        "# whitespace; a shingle is its 6 words joined by single spaces. No article text here.",
        "# Used by tests/test_neutrality.py to detect copied sentences. Regenerate (repo root):",
        "# python -c \"import sys; sys.path.insert(0, 'tests'); import test_neutrality as t; "
        "t.write_shingle_file('/work/shared/seeds/000_587f944356045ec1.txt', "
        "'tests/data/article_shingles.txt')\"",
    ]
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text("\n".join([*header, *hashes]) + "\n", encoding="utf-8")
    return len(hashes)


def read_shingle_file(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def load_shingle_hashes() -> set[str]:
    """The digests of all sources' shingles (``tests/data/*shingles.txt``)."""
    hashes: set[str] = set()
    for path in sorted(DATA_DIR.glob(SHINGLE_GLOB)):
        hashes |= read_shingle_file(path)
    return hashes


def iter_project_files() -> Iterator[Path]:
    """Project text files to scan: SCAN_DIRS recursively plus top-level files; never tests/."""
    for name in SCAN_TOP_FILES:
        path = ROOT / name
        if path.is_file():
            yield path
    for dirname in SCAN_DIRS:
        base = ROOT / dirname
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel_parts = path.relative_to(ROOT).parts
            if any(p.startswith(".") or p in SKIP_DIR_NAMES for p in rel_parts):
                continue
            if path.is_file() and path.suffix in SCAN_SUFFIXES:
                yield path


def seed_files() -> list[Path]:
    return sorted([*SEEDS_DIR.glob("*.yaml"), *SEEDS_DIR.glob("*.yml")])


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def walk_dicts(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping inside ``node``, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk_dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_dicts(value)


def section_items(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    items = data.get(section) or []
    assert isinstance(items, list), f"section {section!r} must be a list"
    return items


def allowed_quotes(data: Any) -> set[str]:
    """The ``quote`` values of items whose ``kind`` is ``opinion``."""
    return {
        str(d["quote"]) for d in walk_dicts(data) if d.get("kind") == "opinion" and "quote" in d
    }


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


SEED_FILES = seed_files()
SEED_PARAMS = [pytest.param(p, id=p.name) for p in SEED_FILES]


# --------------------------------------------------------------------------- a. seed items


def test_seed_files_exist() -> None:
    assert SEED_FILES, "expected at least one seed file in seeds/"


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_items_have_ids_and_paras(path: Path) -> None:
    data = load_yaml(path)
    problems: list[str] = []
    seen: set[str] = set()
    for section in ITEM_SECTIONS:
        for n, item in enumerate(section_items(data, section)):
            where = f"{section}[{n}]"
            item_id = item.get("id")
            if not isinstance(item_id, str) or not SNAKE_RE.match(item_id):
                problems.append(f"{where}: id {item_id!r} is not snake_case")
            elif item_id in seen:
                problems.append(f"{where}: duplicate id {item_id!r}")
            else:
                seen.add(item_id)
            paras = item.get("paras")
            if not isinstance(paras, list) or not paras:
                problems.append(f"{where} ({item_id}): missing 'paras' list")
                continue
            for para in paras:
                ok = isinstance(para, int) and not isinstance(para, bool)
                if not ok or not PARA_MIN <= para <= PARA_MAX:
                    problems.append(f"{where} ({item_id}): paragraph {para!r} not in 1..18")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_status_and_kind_values(path: Path) -> None:
    data = load_yaml(path)
    problems: list[str] = []
    for section in CLAIM_SECTIONS:
        for item in section_items(data, section):
            item_id = item.get("id")
            if "status" in item and item["status"] not in STATUSES:
                problems.append(f"{section}/{item_id}: status {item['status']!r}")
            if "kind" in item and item["kind"] not in KINDS:
                problems.append(f"{section}/{item_id}: kind {item['kind']!r}")
    for item in section_items(data, "events"):
        for key in ("status", "kind", "speaker", "via", "what", "date"):
            if key not in item:
                problems.append(f"events/{item.get('id')}: missing {key!r}")
    for item in section_items(data, "opinions"):
        if item.get("kind") != "opinion" or not item.get("speaker") or not item.get("summary"):
            problems.append(f"opinions/{item.get('id')}: needs kind opinion, speaker, summary")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_inferred_things_have_notes(path: Path) -> None:
    problems: list[str] = []
    for node in walk_dicts(load_yaml(path)):
        for key, value in node.items():
            if value is not True or not (key == "inferred" or key.endswith("_inferred")):
                continue
            note_key = "note" if key == "inferred" else key.removesuffix("_inferred") + "_note"
            if not node.get(note_key):
                problems.append(f"{node.get('id', node.get('value'))!r}: {key} without {note_key}")
        if "precision" in node and node["precision"] not in PRECISIONS:
            problems.append(f"{node.get('id', node.get('value'))!r}: bad precision")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_references_resolve(path: Path) -> None:
    data = load_yaml(path)
    parties = section_items(data, "parties")
    party_ids = {p["id"] for p in parties}
    people_ids = {person["id"] for p in parties for person in p.get("people") or []}
    source_id = (data.get("source") or {}).get("id")
    problems: list[str] = []
    for section in CLAIM_SECTIONS:
        for item in section_items(data, section):
            for who in item.get("who") or []:
                if who not in party_ids:
                    problems.append(f"{item['id']}: unknown party {who!r}")
            for person in item.get("participants") or []:
                if person not in people_ids:
                    problems.append(f"{item['id']}: unknown person {person!r}")
            speaker = item.get("speaker")
            if speaker is not None and speaker not in people_ids | party_ids:
                problems.append(f"{item['id']}: unknown speaker {speaker!r}")
            if "via" in item and item["via"] != source_id:
                problems.append(f"{item['id']}: via {item['via']!r} is not the source id")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SEED_PARAMS)
def test_quotes_only_in_opinions_and_short(path: Path) -> None:
    problems: list[str] = []
    for node in walk_dicts(load_yaml(path)):
        if "quote" not in node:
            continue
        if node.get("kind") != "opinion" or not node.get("speaker"):
            problems.append(f"{node.get('id')!r}: quote outside an attributed opinion item")
        if len(str(node["quote"]).split()) > MAX_QUOTE_WORDS:
            problems.append(f"{node.get('id')!r}: quote longer than {MAX_QUOTE_WORDS} words")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- b. loaded words


def _is_allowed_quote_line(line: str, quotes: set[str]) -> bool:
    match = QUOTE_LINE_RE.match(line)
    if not match:
        return False
    try:
        value = yaml.safe_load(match.group("value"))
    except yaml.YAMLError:
        return False
    return str(value) in quotes


def test_no_loaded_words() -> None:
    hits: list[str] = []
    for path in iter_project_files():
        is_seed = path.parent == SEEDS_DIR and path.suffix in {".yaml", ".yml"}
        quotes = allowed_quotes(load_yaml(path)) if is_seed else set()
        text = path.read_text(encoding="utf-8", errors="replace")
        for lineno, line in enumerate(text.splitlines(), start=1):
            if is_seed and _is_allowed_quote_line(line, quotes):
                continue
            for match in LOADED_RE.finditer(line):
                hits.append(f"{rel(path)}:{lineno}: loaded term {match.group(0)!r}")
    assert not hits, "loaded words outside an attributed opinion quote:\n" + "\n".join(hits)


# --------------------------------------------------------------------------- c. copied text


def test_shingle_file_is_well_formed() -> None:
    raw = SHINGLE_FILE.read_text(encoding="utf-8").splitlines()
    assert raw, "the data file is empty"
    assert raw[0].startswith("#"), "the data file needs a header comment"
    hashes = read_shingle_file(SHINGLE_FILE)
    assert len(hashes) > 100
    assert all(re.fullmatch(rf"[0-9a-f]{{{HASH_CHARS}}}", h) for h in hashes)


def test_shingle_helpers() -> None:
    words = normalize_words("Alpha-beta, GAMMA’s  delta\n1 2")
    assert words == ["alpha", "beta", "gamma", "s", "delta", "1", "2"]
    assert shingle_hash(words[:6]) == shingle_hash(["alpha", "beta", "gamma", "s", "delta", "1"])
    assert len(text_shingle_hashes("a b c d e f g")) == 2
    assert not text_shingle_hashes("a b c\nd e f")  # shingles do not cross paragraphs


def test_no_copied_article_runs() -> None:
    article = load_shingle_hashes()
    hits: list[str] = []
    for path in iter_project_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        tokens = [
            (word, lineno)
            for lineno, line in enumerate(text.splitlines(), start=1)
            for word in normalize_words(line)
        ]
        words = [w for w, _ in tokens]
        for i in range(len(words) - SHINGLE_SIZE + 1):
            window = words[i : i + SHINGLE_SIZE]
            if shingle_hash(window) in article:
                hits.append(f"{rel(path)}:{tokens[i][1]}: {' '.join(window)!r}")
    assert not hits, "6-word runs copied from the source article:\n" + "\n".join(hits)

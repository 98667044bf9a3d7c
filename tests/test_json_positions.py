"""The quick walk over JSON that ``fast_load`` accepted records the places ``scan`` records.

``regions_of_valid`` positions every finding of a JSON file without checking the text, so it
must agree with ``scan``, the checking parser, on every text both read: the same paths, key
and value offsets, in the same order, shifted by the same ``base``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kling_lint.load import json_format, load
from kling_lint.load.text import LineIndex

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
JSON_WHITESPACE = " \t\n\r"

# Characters that JSON escapes or that a scanner might trip on: quotes, backslashes, control
# characters, lone surrogates, brackets and separators inside strings, non-ASCII.
_AWKWARD = st.sampled_from('"\\/\b\f\n\r\t\x00\x1f\u2028\ud800\udfff\u00e9\U0001f600{}[],: ')
_TEXT = st.text(st.one_of(st.characters(), _AWKWARD), max_size=12)
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-10**40, 10**40),
    st.floats(allow_nan=False, allow_infinity=False), _TEXT,
)
_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_TEXT, children, max_size=4)),
    max_leaves=25,
)
_SPACE = st.text(st.sampled_from(JSON_WHITESPACE), max_size=3)


def _same_regions(text: str, base: int = 0) -> None:
    """The law: for a text ``fast_load`` accepts, the walk records what ``scan`` records."""
    json_format.fast_load(text)  # raises if the text is outside what the walk is for
    _, expected, _ = json_format.scan(text, base)
    assert list(json_format.regions_of_valid(text, base).items()) == list(expected.items())


@st.composite
def _separators(draw: Any) -> tuple[str, str]:
    return draw(_SPACE) + "," + draw(_SPACE), draw(_SPACE) + ":" + draw(_SPACE)


@given(
    _VALUES,
    st.one_of(st.none(), st.integers(0, 3), st.text(st.sampled_from(JSON_WHITESPACE), max_size=3)),
    st.one_of(st.none(), _separators()),
    st.booleans(),
    _SPACE,
    _SPACE,
    st.integers(0, 10**6),
)
def test_walk_records_what_scan_records(value: Any, indent: Any, separators: Any, ascii_only: bool,
                                        before: str, after: str, base: int) -> None:
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=ascii_only)
    _same_regions(before + text + after, base)


def _spaced(value: Any, gaps: list[str], ascii_only: bool) -> str:
    """``value`` as JSON with the next of ``gaps`` between every two tokens, inside empty
    containers too (where ``json.dumps`` never writes any)."""
    turn = iter(range(10**9))

    def gap() -> str:
        return gaps[next(turn) % len(gaps)]

    def dump(item: Any) -> str:
        if isinstance(item, dict):
            members = [json.dumps(key, ensure_ascii=ascii_only) + gap() + ":" + gap() + dump(child)
                       for key, child in item.items()]
            return "{" + gap() + (gap() + "," + gap()).join(members) + gap() + "}"
        if isinstance(item, list):
            return "[" + gap() + (gap() + "," + gap()).join(dump(child) for child in item) + gap() + "]"
        return json.dumps(item, ensure_ascii=ascii_only)

    return gap() + dump(value) + gap()


@given(_VALUES, st.lists(_SPACE, min_size=1, max_size=6), st.booleans(), st.integers(0, 10**6))
def test_walk_records_what_scan_records_with_space_anywhere(value: Any, gaps: list[str], ascii_only: bool,
                                                             base: int) -> None:
    _same_regions(_spaced(value, gaps, ascii_only), base)


@pytest.mark.parametrize("text", [
    "0", "-1.5e+10", " 2E-3 ", "true", "null", '"\\ud800"', '"a\\"b\\\\"',
    "[]", "{}", "[[], {}, [{}], {\"\": []}]",
    '{"caf\\u00e9": {"\\"q\\"": [1, {"\\\\": "x"}]}, "cafe": "é", "": null}',
    '\r\n\t{ "a" : [ 1 , [ 2 ] , { } ] , "b" :{"c":"}]"}}\n',
])
def test_walk_on_hand_written_texts(text: str) -> None:
    _same_regions(text)
    _same_regions(text, 17)


def _read_fast(path: Path) -> bool:
    """Whether the loader reads ``path`` with json.loads (the others, a syntax error or a
    repeated key, are read by scan itself, and have no regions of their own to compare)."""
    try:
        json_format.fast_load(path.read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001 - whatever fast_load refuses, as the loader does
        return False
    return True


@pytest.mark.parametrize("path", [p for p in sorted(EXAMPLES.rglob("*.json")) if _read_fast(p)], ids=lambda path: path.name)
def test_loader_places_examples_as_scan_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    _same_regions(text)
    (document,) = load(text.encode("utf-8"), "json").documents
    _, regions, _ = json_format.scan(text)
    assert dict(document.positions()) == dict(json_format.positions(regions, LineIndex(text)))


def test_loader_places_jsonl_lines_as_scan_does() -> None:
    """Each line is walked with its offset in the file as ``base``; lines after a CRLF too."""
    lines = [json.dumps({"model": "m", "prompt": "é\u2028", "n": [1, {"k": None}]}), "",
             '  {"a" : {"b\\u00e9": [ ]}}\r', '[1, "x"]']
    text = "\n".join(lines) + "\n"
    index = LineIndex(text)
    documents = load(text.encode("utf-8"), "jsonl").documents
    bases = [text.index(line) for line in lines if line]
    assert len(documents) == len(bases) == 3
    for document, base, line in zip(documents, bases, (line for line in lines if line), strict=True):
        line = line.rstrip("\r")
        _same_regions(line, base)
        _, regions, _ = json_format.scan(line, base)
        assert dict(document.positions()) == dict(json_format.positions(regions, index))

"""The line reader for simple YAML (load/yaml_simple.py) agrees with the full reader, or stands aside.

The law, for any text: ``read_simple_yaml`` answers None, or the full reader reads the same
single document from the text, without a problem to report (no duplicate key, no YAML 1.1
ambiguity), to the same value, type for type, with the same positions for every key and value. Texts come from a writer that picks styles at
random (plain, quoted, folded and literal scalars, comments, blank lines, indentation, ``---``,
CRLF), from ruamel.yaml's own dumper, from line-level mutations of the examples, and from
lines of YAML fragments. Other tests check that the usual files are indeed read here.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from kling_lint.engine import lint_bytes
from kling_lint.load import yaml_simple
from kling_lint.load.yaml_format import YamlError, read_yaml
from kling_lint.load.yaml_simple import read_simple_yaml

from strategies import broken_requests, strict, valid_requests, yaml_text

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def assert_agrees(text: str) -> None:
    positions: dict = {}
    simple = read_simple_yaml(text, positions)
    event(f"read by the line reader: {simple is not None}")
    if simple is None:
        return
    try:
        documents = read_yaml(text, with_positions=True)
    except YamlError as error:
        raise AssertionError(f"the line reader read {simple!r}; the full reader refuses: {error}") from None
    assert [doc.problems for doc in documents] == [[]], documents[0].problems if documents else "no document"
    assert strict(simple) == strict([documents[0].value])
    assert positions == documents[0].positions


# ---------------------------------------------------------------- a writer of many styles

WORDS = ["model", "prompt", "a cat", "16:9", "kling-v3-std-silent", "https://example.com/a.png", "5", "0.5",
         "-3", "yes", "no", "null", "~", "true", "1e3", "0x1F", "010", ".5", "1_000", "<<", "#", " # ", "a #b",
         "a#b", "key: value", "a:", ":a", "-", "- a", "? a", "[a]", "{}", "[]", "&a", "*a", "!x", "|", ">-",
         "'", '"', "it's", 'say "hi"', "é", "咖啡", "\\", "a\\nb", "  padded  ", "", "@x", "`x`", "%x", "---",
         "...", "2026-11-25", "12:30:00", "+1", "-.inf", ".NaN", "0o17", "Null", "ON", "n", "Y"]
SCALARS = st.one_of(
    st.sampled_from(WORDS),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.:/'\"-]{0,30}", fullmatch=True),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12),
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
    st.integers(-1000, 1000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
KEYS = st.one_of(st.sampled_from(WORDS), st.from_regex(r"[A-Za-z_$][A-Za-z0-9_.$-]{0,8}", fullmatch=True),
                 st.text(max_size=6))
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(st.lists(children, min_size=1, max_size=4),
                               st.dictionaries(KEYS, children, min_size=1, max_size=4)),
    max_leaves=12,
)


# Trees of ordinary keys and values: most of what they make is simple YAML, so the writer's
# styles (not odd scalars) decide what the line reader sees.
TAME_SCALARS = st.one_of(st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.:/'\"-]{0,30}[A-Za-z0-9.]", fullmatch=True),
                         st.integers(-1000, 1000), st.floats(allow_nan=False, allow_infinity=False), st.booleans())
TAME_TREES = st.recursive(
    TAME_SCALARS,
    lambda children: st.one_of(st.lists(children, min_size=1, max_size=4),
                               st.dictionaries(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True), children,
                                               min_size=1, max_size=4)),
    max_leaves=12,
)


def _quoted_double(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _quoted_single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@st.composite
def _scalar_text(draw: st.DrawFn, value: Any, indent: int) -> tuple[str, list[str]]:
    """A scalar as written after "key: " or "- ", and the lines of a block scalar if any."""
    if not isinstance(value, str):
        plain = json.dumps(value) if value is not None else draw(st.sampled_from(["null", "~", ""]))
        return (plain if draw(st.integers(0, 5)) else _quoted_double(str(value))), []
    style = draw(st.sampled_from(["plain", "plain", "double", "single", "folded", "literal"]))
    if style == "plain":
        return value, []
    if style == "double":
        return _quoted_double(value), []
    if style == "single":
        return _quoted_single(value), []
    header = (">" if style == "folded" else "|") + draw(st.sampled_from(["", "-", "+", "2", " # c"]))
    pad = " " * (indent + draw(st.integers(0, 3)))
    lines = value.split(" ") if style == "folded" and draw(st.booleans()) else value.split("\n")
    between = draw(st.sampled_from(["", "", pad, " " * (len(pad) + 1)]))
    block = []
    for number, line in enumerate(lines):
        if number and draw(st.integers(0, 4)) == 0:
            block.append(between)
        block.append(pad + line if line else "")
    return header, block


@st.composite
def styled_yaml(draw: st.DrawFn) -> str:
    value = draw(st.one_of(TAME_TREES.filter(lambda tree: isinstance(tree, dict)), valid_requests(),
                           st.dictionaries(KEYS, TREES, min_size=1, max_size=6), TREES))
    step = draw(st.integers(1, 4))
    level_lists = draw(st.booleans())
    lines: list[str] = []

    def comment() -> str:
        return draw(st.sampled_from(["", "", "", " # note", "  #", "#x"]))

    def key_text(key: Any) -> str:
        text = str(key) if not isinstance(key, str) else key
        return draw(st.sampled_from([text, text, _quoted_double(text), _quoted_single(text)]))

    def write(node: Any, indent: int, first_prefix: str | None = None) -> None:
        """Write a mapping or list; the first line may start after a "- " prefix."""
        entries = list(node.items()) if isinstance(node, dict) else [(None, item) for item in node]
        for number, (key, item) in enumerate(entries):
            pad = first_prefix if number == 0 and first_prefix is not None else " " * indent
            head = f"{pad}{key_text(key)}:" if isinstance(node, dict) else f"{pad}-"
            if isinstance(item, (dict, list)) and item:
                if isinstance(node, list) and draw(st.booleans()):
                    write(item, indent + 2, first_prefix=head + " ")
                    continue
                lines.append(head + (comment() if isinstance(node, dict) else ""))
                inner = indent if isinstance(item, list) and isinstance(node, dict) and level_lists else indent + step
                write(item, inner)
            else:
                scalar, block = draw(_scalar_text(item if item not in ({}, []) else None, indent + step)) \
                    if item not in ({}, []) else (json.dumps(item), [])
                lines.append(f"{head} {scalar}" + (comment() if not block else ""))
                lines.extend(block)
            if draw(st.integers(0, 6)) == 0:
                lines.append(draw(st.sampled_from(["", " ", "# between", "   # indented comment"])))

    if isinstance(value, (dict, list)) and value:
        write(value, 0)
    else:
        lines.append(draw(_scalar_text(value, 0))[0])
    if draw(st.integers(0, 4)) == 0:
        lines.insert(0, draw(st.sampled_from(["---", "--- ", "# head", "%YAML 1.2\n---"])))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + draw(st.sampled_from([newline, newline, "", "\n\n"]))


@given(styled_yaml())
@example("a: >-\n  one\n\n  two\n")
@example("a: |\n  one\n  two\nb: 1\n")
@example("a:\n- x\n- y\nb: 1\n")
@example("- a\n")
@example("a: 'it''s'\n")
@example('a: "\\u00e9\\/\\t"\n')
@example("a: >\n  x\n")
@example("a: |\n  x")
def test_styled_yaml(text: str) -> None:
    assert_agrees(text)


# ---------------------------------------------------------------- ruamel.yaml's own dumps


@given(TREES, st.booleans())
def test_ruamel_dumps(value: Any, wide: bool) -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    if wide:
        yaml.width = 4096
    out = io.StringIO()
    yaml.dump(value, out)
    assert_agrees(out.getvalue())


# ---------------------------------------------------------------- lines of fragments, and mutations

FRAGMENTS = ["", " ", "  ", "    ", "- ", "-", "key", "model", "prompt", "a b", ":", ": ", " #", "#", "'", '"',
             "\\", "|", ">-", ">", "|-", "{}", "[]", "{", "[", "&a ", "*a", "!!str ", "? ", "---", "...", "<<",
             "yes", "1", "0.5", "é", "\t", "\r", "\u2028", "\x85", "\ufeff", "x: y", "x:", '"k": ', "'k': "]
fragment_lines = st.lists(st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join), max_size=10).map("\n".join)


@given(fragment_lines)
def test_lines_of_fragments(text: str) -> None:
    assert_agrees(text)


def _yaml_examples() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.rglob("*.yaml"))]


@given(st.sampled_from(_yaml_examples()), st.data())
def test_mutated_examples(text: str, data: st.DataObject) -> None:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["indent", "dedent", "delete", "duplicate", "swap", "insert"]))
        if kind == "indent":
            lines[at] = " " * data.draw(st.integers(1, 3)) + lines[at]
        elif kind == "dedent":
            lines[at] = lines[at][data.draw(st.integers(1, 3)):]
        elif kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        else:
            lines.insert(at, data.draw(fragment_lines))
    assert_agrees("\n".join(lines))


# ---------------------------------------------------------------- it is used, and changes nothing


def test_the_usual_files_are_read_by_the_line_reader() -> None:
    for name in ("text-to-video", "image-to-video", "first-and-last-frame", "multi-prompt-image-to-video"):
        text = (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8")
        assert read_simple_yaml(text) is not None, name


@given(valid_requests())
def test_generated_requests_are_read_by_the_line_reader(request: dict[str, Any]) -> None:
    assert read_simple_yaml(yaml_text(request)) is not None


def _findings_both_ways(data: bytes) -> tuple[list, list]:
    """The findings for a YAML file with the line reader, and with the full reader alone."""
    with_it = lint_bytes(data, "request.yaml")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(yaml_simple, "read_simple_yaml", lambda text, positions=None, problems=None: None)
        return with_it, lint_bytes(data, "request.yaml")


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.yaml")), ids=lambda path: path.name)
def test_findings_are_the_same_without_the_line_reader(path: Path) -> None:
    with_it, without = _findings_both_ways(path.read_bytes())
    assert with_it == without


@given(st.one_of(broken_requests().map(lambda broken: yaml_text(broken.request)), styled_yaml()))
def test_findings_on_generated_files_are_the_same_without_the_line_reader(text: str) -> None:
    event(f"read by the line reader: {read_simple_yaml(text) is not None}")
    with_it, without = _findings_both_ways(text.encode("utf-8"))
    assert with_it == without


LIMIT_TEXTS = {
    "more values than the reader allows": "k:\n" + ("- " * 20 + "x\n") * 20_000,
    "nested deeper than the line reader goes": "".join(" " * (2 * depth) + f"k{depth}:\n" for depth in range(120)) + " " * 240 + "v: 1\n",
    "many keys": "".join(f"k{number}: {number}\n" for number in range(40_000)),
}


@pytest.mark.parametrize("text", LIMIT_TEXTS.values(), ids=LIMIT_TEXTS.keys())
def test_texts_near_the_limits_get_the_full_readers_findings(text: str) -> None:
    assert read_simple_yaml(text) is None
    with_it, without = _findings_both_ways(text.encode("utf-8"))
    assert with_it == without

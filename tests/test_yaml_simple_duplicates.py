"""A key written twice is read by the line reader (load/yaml_simple.py) as the full reader reads it.

The law, for any text: when ``read_simple_yaml`` is given a problems list and answers, the full
reader (``yaml_format.read_yaml`` with positions) reads one document from the text with the same
value (the last of the repeated values, in the key's first place), the same positions and the
same problems, word for word and place for place; and a file's findings are the same with the
line reader as without it. Texts are generated requests with a key repeated at the top level,
in ``extra_body`` and in a ``multi_prompt`` item (the value again, another scalar, or another
entry's whole block), the writer's many styles with lines repeated, and the examples.

A file with a repeated key is the usual mistake that used to need ruamel.yaml; checking one
no longer imports it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from strategies import strict, valid_requests, yaml_scalar, yaml_string
from test_yaml_simple import _findings_both_ways, styled_yaml

from kling_lint import rule_ids
from kling_lint.findings import Problem
from kling_lint.load.document import Span
from kling_lint.load.yaml_format import YamlError, read_yaml
from kling_lint.load.yaml_simple import read_simple_yaml

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def read_both_ways(text: str) -> tuple[list[Any] | None, list[Problem], dict[Any, Span]]:
    """The line reader's answer for ``text``, held to the full reader's whenever it answers."""
    positions: dict[Any, Span] = {}
    problems: list[Problem] = []
    simple = read_simple_yaml(text, positions, problems)
    if simple is None:
        assert problems == [], "a text left to the full reader carries no problem of the line reader's"
        return None, problems, positions
    try:
        documents = read_yaml(text, with_positions=True)
    except YamlError as error:
        raise AssertionError(f"the line reader read {simple!r}; the full reader refuses: {error}") from None
    assert len(documents) == 1
    assert strict(simple) == strict([documents[0].value])
    assert problems == documents[0].problems
    assert positions == documents[0].positions
    return simple, problems, positions


# ---------------------------------------------------------------- requests with a key written twice


class Entries(list[tuple[str, Any]]):
    """A mapping as its written entries, in order: unlike a dict, it can hold a key twice."""


def _entries(value: Any) -> Any:
    if isinstance(value, dict):
        return Entries((key, _entries(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_entries(item) for item in value]
    return value


def _is_leaf(value: Any) -> bool:
    return not isinstance(value, list) or not value


def _leaf_text(value: Any) -> str:
    if isinstance(value, Entries):
        return "{}"
    return yaml_scalar(value)


def _lines(node: Any, indent: int, draw: st.DrawFn) -> list[str]:
    """Block YAML for ``node``, its keys written plain where they can be, else quoted."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(node, Entries):
        for key, item in node:
            plain = re.fullmatch(r"[a-z_][a-z0-9_]*", key) is not None and draw(st.integers(0, 3)) > 0
            head = f"{pad}{key if plain else yaml_string(key)}:"
            if _is_leaf(item):
                lines.append(f"{head} {_leaf_text(item)}")
            else:
                lines.append(head)
                lines.extend(_lines(item, indent + 2, draw))
        return lines
    for item in node:
        if _is_leaf(item):
            lines.append(f"{pad}- {_leaf_text(item)}")
        else:
            inner = _lines(item, indent + 2, draw)
            inner[0] = f"{pad}- {inner[0][indent + 2:]}"
            lines.extend(inner)
    return lines


def _find(entries: Entries, key: str) -> Any:
    return next((item for name, item in entries if name == key), None)


def _target(request: Entries, where: str) -> Entries:
    """The mapping that gets the repeated key; ``extra_body`` or a shot is added if missing."""
    if where == "top level":
        return request
    extra = _find(request, "extra_body")
    if not isinstance(extra, Entries):
        extra = Entries([("negative_prompt", "blur")])
        request.append(("extra_body", extra))
    if where == "extra_body":
        return extra
    shots = _find(extra, "multi_prompt")
    if not isinstance(shots, list) or not shots or not isinstance(shots[0], Entries):
        shots = [Entries([("prompt", "a shot"), ("duration", 5)])]
        extra.append(("multi_prompt", shots))
    return shots[-1]


@st.composite
def repeated_key_texts(draw: st.DrawFn, where: str) -> str:
    """A generated request, written as block YAML, with one key of ``where`` written again."""
    request = _entries(draw(valid_requests()))
    target = _target(request, where)
    if not target:  # an empty extra_body
        target.append(("negative_prompt", "blur"))
    for _ in range(draw(st.integers(1, 2))):  # twice, or three times
        key, first = draw(st.sampled_from(list(target)))
        others = [item for _, item in target]
        again = draw(st.one_of(st.just(first), st.sampled_from(others), st.sampled_from(["again", 7, 0.5, True])))
        target.insert(draw(st.integers(0, len(target))), (key, again))
    return "\n".join(_lines(request, 0, draw)) + "\n"


WHERE = ("top level", "extra_body", "multi_prompt item")


@pytest.mark.parametrize("where", WHERE)
@given(data=st.data())
def test_a_repeated_key_is_read_and_linted_as_by_the_full_reader(where: str, data: st.DataObject) -> None:
    text = data.draw(repeated_key_texts(where))
    simple, problems, _ = read_both_ways(text)
    assert simple is not None, "the line reader leaves the text to the full reader"
    assert problems and {problem.rule for problem in problems} == {rule_ids.DUPLICATE_KEY}
    with_it, without = _findings_both_ways(text.encode("utf-8"))
    assert with_it == without


# The cases a generator meets rarely, each against the full reader.
@pytest.mark.parametrize("text", [
    "model: a\nmodel: b\n",
    "model: a\nprompt: x\nmodel: b\nmodel: c\n",  # three times: two problems
    'model: a\n"model": b\n',  # the same key, quoted
    "extra_body:\n  a: 1\n  b: 2\nextra_body:\n  c: 3\n",  # a block again: the first block's positions stay
    "extra_body:\n  a: 1\n  a: 2\nextra_body:\n  b: 1\n  b: 2\n",  # problems in the order the reader finds them
    "extra_body:\n  multi_prompt:\n  - a: 1\n    a: 2\n  - b: 1\nextra_body: 1\n",  # a list level with its key
    "k:\n  - 1\n  - 2\n  - 3\nk:\n  - 4\n",  # a shorter list again
    "k: 1\nk:\n  a: 1\n",  # a scalar, then a block
    "a:\n  - x: 1\n    x:\n      y: 2\n      y: 3\n",  # in a list item, nested
    "model: a  # note\nmodel: 'b'  # again\n",
])
def test_unusual_repeats_agree_with_the_full_reader(text: str) -> None:
    simple, problems, _ = read_both_ways(text)
    assert simple is not None and problems
    with_it, without = _findings_both_ways(text.encode("utf-8"))
    assert with_it == without


def test_the_duplicate_key_example_is_read_by_the_line_reader() -> None:
    text = (EXAMPLES / "invalid" / "duplicate-key.yaml").read_text(encoding="utf-8")
    simple, problems, _ = read_both_ways(text)
    assert simple is not None
    assert [(problem.rule, problem.path) for problem in problems] == [(rule_ids.DUPLICATE_KEY, ("extra_body", "cfg_scale"))]


def test_without_a_problems_list_a_repeated_key_is_left_to_the_full_reader() -> None:
    assert read_simple_yaml("model: a\nmodel: b\n") is None


# ---------------------------------------------------------------- any text, lines repeated


def _repeat_lines(text: str, data: st.DataObject) -> str:
    """Lines written again: mostly right after themselves (a key repeated in its mapping),
    else anywhere."""
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(lines) - 1))
        to = data.draw(st.one_of(st.just(at + 1), st.just(at + 1), st.integers(0, len(lines))))
        lines.insert(to, lines[at])
    return "\n".join(lines)


@given(styled_yaml(), st.data())
@example("a: 1\nb:\n  c: 2\n  c: 3\n", None)
def test_styled_yaml_with_lines_repeated(text: str, data: st.DataObject | None) -> None:
    simple, problems, _ = read_both_ways(_repeat_lines(text, data) if data is not None else text)
    event(f"read by the line reader: {simple is not None}, with a problem: {bool(problems)}")


def _yaml_examples() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.rglob("*.yaml"))]


@given(st.sampled_from(_yaml_examples()), st.data())
def test_examples_with_lines_repeated(text: str, data: st.DataObject) -> None:
    simple, problems, _ = read_both_ways(_repeat_lines(text, data))
    event(f"read by the line reader: {simple is not None}, with a problem: {bool(problems)}")


# ---------------------------------------------------------------- no YAML parser for it


def _modules_loaded_by(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_checking_a_file_with_a_repeated_key_never_imports_the_yaml_parser(tmp_path: Path) -> None:
    request = tmp_path / "twice.yaml"
    request.write_text("model: kling-v3-std-silent\nprompt: a lighthouse at dusk\nmodel: kling-v3-pro-silent\n"
                       "extra_body:\n  cfg_scale: 0.5\n  cfg_scale: 0.6\n")
    code = (
        "from kling_lint import lint_file\nfrom kling_lint.cli import main\n"
        f"findings = lint_file({str(request)!r})\n"
        f"assert [f.rule for f in findings] == [{rule_ids.DUPLICATE_KEY!r}] * 2, findings\n"
        f"try:\n    main(['check', {str(request)!r}])\nexcept SystemExit as e:\n    assert e.code == 1, e.code\n"
    )
    loaded = _modules_loaded_by(code)
    assert not {m for m in loaded if m.startswith(("ruamel", "_ruamel_yaml"))}
    assert "kling_lint.load.yaml_simple" in loaded  # the line reader read it (the test is not vacuous)


def test_the_same_file_with_a_flow_list_does_import_it(tmp_path: Path) -> None:
    """The check above can fail: a file the line reader leaves to the full reader imports ruamel."""
    request = tmp_path / "flow.yaml"
    request.write_text("model: kling-v3-std-silent\nprompt: x\nmodel: kling-v3-pro-silent\nextra_body: {cfg_scale: 0.5}\n")
    loaded = _modules_loaded_by(f"from kling_lint import lint_file\nlint_file({str(request)!r})")
    assert {m for m in loaded if m.startswith(("ruamel", "_ruamel_yaml"))}

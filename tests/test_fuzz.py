"""Fuzzing: whatever bytes a file holds, kling-lint answers with findings, never an exception.

Arbitrary bytes and text, arbitrary JSON-like trees written as JSON and YAML, and mutations of
the valid examples (a byte flipped, inserted or deleted, a key renamed) go through
``lint_bytes`` under every file suffix, and through the CLI in process. Every finding must
name a known rule, say something, and point inside the file.

HYPOTHESIS_PROFILE=long runs 100,000 examples a test (see tests/conftest.py).
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from kling_lint import RULES
from kling_lint.cli import main
from kling_lint.engine import lint_bytes
from kling_lint.findings import Finding, Severity
from kling_lint.report import FORMATS

SUFFIXES = (".json", ".yaml", ".jsonl")
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

_INLINE_EXAMPLES = {
    "text-to-video.json": b'{"model": "kling-v3-std-silent", "prompt": "a cat", "duration": 5}',
    "image-to-video.yaml": b"model: kling-v3-pro-audio\nprompt: a cat jumps\nimage: https://example.com/cat.png\nduration: 10\n",
    "multi-shot.json": (
        b'{\n  "model": "kling-v3-pro-silent",\n  "duration": 6,\n  "extra_body": {\n    "shot_type": "customize",\n'
        b'    "multi_prompt": [{"prompt": "a cat", "duration": 3}, {"prompt": "a dog", "duration": 3}]\n  }\n}\n'
    ),
    "batch.jsonl": b'{"model": "kling-v3-std-silent", "prompt": "a cat"}\n{"model": "kling-v3-std-audio", "prompt": "a dog"}\n',
}


def _examples() -> dict[str, bytes]:
    found = {
        path.name: path.read_bytes()
        for path in sorted(EXAMPLES.glob("*"))
        if path.is_file() and path.suffix in (".json", ".yaml", ".yml", ".jsonl")
    } if EXAMPLES.is_dir() else {}
    return found or _INLINE_EXAMPLES


VALID_EXAMPLES = _examples()


def _importable_formats() -> list[str]:
    import importlib

    names = []
    for name, module in FORMATS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        names.append(name)
    return names


OUTPUT_FORMATS = _importable_formats()


# ---------------------------------------------------------------- the laws every finding keeps


def assert_sound(findings: list[Finding], data: bytes, name: str) -> None:
    """Known rule, severity of that rule, a message, and a place inside the file."""
    lines = data.count(b"\n") + 1  # lines as kling-lint counts them: "\n" ends a line
    for finding in findings:
        assert finding.rule in RULES, finding
        assert finding.severity is RULES[finding.rule].severity, finding
        assert isinstance(finding.message, str) and finding.message.strip(), finding
        assert finding.file == name
        assert isinstance(finding.line, int) and isinstance(finding.column, int), finding
        assert 1 <= finding.line <= lines + 1, (finding, lines)
        assert finding.column >= 1, finding
        if finding.end_line is not None:
            assert (finding.end_line, finding.end_column) >= (finding.line, finding.column), finding
        # whatever the file held, every text of a finding can be written out as UTF-8
        for text in (finding.message, finding.hint or "", finding.json_path, finding.snippet or ""):
            text.encode("utf-8")


def check_bytes(data: bytes, stem: str = "fuzz") -> None:
    for suffix in SUFFIXES:
        name = stem + suffix
        assert_sound(lint_bytes(data, name), data, name)


# ---------------------------------------------------------------- arbitrary bytes and text

# Pieces that take a reader to its odd corners, mixed with arbitrary bytes.
FRAGMENTS = [
    b"{", b"}", b"[", b"]", b'"', b"'", b":", b",", b"\n", b"\r", b"\r\n", b"\t", b" ", b"\x00",
    b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3", b"\xe2\x80\xa8", b"\xc2\x85", b"\\u", b"\\ud800", b"\\",
    b"---", b"...", b"- ", b"? ", b"&a ", b"*a", b"<<", b"!!str ", b"!!python/object:x ", b"!x ", b"%YAML 1.2\n",
    b"#", b"|", b">", b"null", b"true", b"NaN", b"Infinity", b"-0", b"1e400", b"0x1F", b"010", b"16:9", b"no",
    b"9" * 50, b"sk-" + b"a" * 30, b"Bearer abcdefghijklmnop",
    b'"model"', b'"prompt"', b'"duration"', b'"extra_body"', b'"multi_prompt"', b'"image"',
    b"model: ", b"prompt: ", b"duration: ", b"extra_body:\n  ", b"multi_prompt:\n  - ",
    b'"kling-v3-std-silent"', b"kling-v3-pro-audio", b"https://example.com/a.png",
]

byte_soup = st.lists(st.one_of(st.binary(max_size=8), st.sampled_from(FRAGMENTS)), max_size=40).map(b"".join)


@given(st.binary(max_size=512))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"a: [\r\r\r\r\r")
@example(b"a: '\xe2\x80\xa8\xe2\x80\xa8\xe2\x80\xa8\n")
def test_arbitrary_bytes(data: bytes) -> None:
    check_bytes(data)


@given(byte_soup)
def test_arbitrary_byte_soup(data: bytes) -> None:
    check_bytes(data)


@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    check_bytes(text.encode("utf-8"))


# ---------------------------------------------------------------- arbitrary JSON-like trees

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**4000), max_value=10**4000),  # huge, still printable
    st.floats(),  # NaN and both infinities included
    st.text(max_size=20),
    st.sampled_from(["kling-v3-std-silent", "16:9", "customize", "intelligent", "5", "sk-" + "x" * 20, "", " ", "no", "0x10"]),
)
keys = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["model", "prompt", "image", "last_image", "aspect_ratio", "duration", "extra_body", "cfg_scale",
                     "shot_type", "negative_prompt", "multi_prompt", "element_list", "element_id", "index", "$schema", "<<"]),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=6), st.dictionaries(keys, children, max_size=6)),
    max_leaves=30,
)
# Requests whose known fields hold arbitrary trees: deep enough to reach every rule.
requests = st.fixed_dictionaries(
    {},
    optional={
        "model": st.one_of(st.just("kling-v3-std-silent"), trees),
        "prompt": st.one_of(st.just("a cat"), trees),
        "image": trees,
        "last_image": trees,
        "duration": st.one_of(st.integers(-3, 20), trees),
        "aspect_ratio": trees,
        "extra_body": st.one_of(
            trees,
            st.fixed_dictionaries(
                {},
                optional={
                    "cfg_scale": trees,
                    "shot_type": trees,
                    "negative_prompt": trees,
                    "multi_prompt": st.one_of(trees, st.lists(st.dictionaries(keys, trees, max_size=4), max_size=8)),
                    "element_list": st.one_of(trees, st.lists(st.dictionaries(keys, trees, max_size=2), max_size=5)),
                },
            ),
        ),
    },
)
documents = st.one_of(trees, requests)


def to_json(value: Any, indent: int | None, ascii_only: bool) -> bytes:
    return json.dumps(value, indent=indent, ensure_ascii=ascii_only).encode("utf-8")


def to_yaml(value: Any, flow: bool) -> bytes:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = flow
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(value, out)
    return out.getvalue().encode("utf-8")


@given(documents, st.sampled_from([None, 0, 2]), st.booleans())
def test_trees_written_as_json(value: Any, indent: int | None, ascii_only: bool) -> None:
    data = to_json(value, indent, ascii_only)
    check_bytes(data)
    line = to_json(value, None, ascii_only)  # one request a line, three times
    batch = line + b"\n" + line + b"\r\n" + line
    assert_sound(lint_bytes(batch, "batch.jsonl"), batch, "batch.jsonl")


@given(documents, st.booleans())
def test_trees_written_as_yaml(value: Any, flow: bool) -> None:
    data = to_yaml(value, flow)
    for name in ("fuzz.yaml", "fuzz.yml"):
        assert_sound(lint_bytes(data, name), data, name)
    many = data + b"---\n" + data
    assert_sound(lint_bytes(many, "many.yaml"), many, "many.yaml")


@given(st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5)), children, max_size=4),
), max_leaves=20))
def test_yaml_trees_with_keys_of_any_type(value: Any) -> None:
    data = to_yaml(value, False)
    assert_sound(lint_bytes(data, "keys.yaml"), data, "keys.yaml")


# ---------------------------------------------------------------- mutations of valid examples

_KEY = re.compile(rb'"([A-Za-z_$][A-Za-z0-9_]*)"\s*:|^(\s*-?\s*)([A-Za-z_][A-Za-z0-9_]*):', re.MULTILINE)


@st.composite
def mutated_examples(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(VALID_EXAMPLES)))
    data = bytearray(VALID_EXAMPLES[name])
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "rename", "duplicate", "truncate"]))
        if kind == "flip" and data:
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.one_of(st.binary(min_size=1, max_size=4), st.sampled_from(FRAGMENTS)))
        elif kind == "delete" and data:
            at = draw(st.integers(0, len(data) - 1))
            del data[at:at + draw(st.integers(1, 4))]
        elif kind == "rename":
            found = list(_KEY.finditer(bytes(data)))
            if found:
                match = draw(st.sampled_from(found))
                group = 1 if match.group(1) is not None else 3
                new = draw(st.one_of(
                    st.text(max_size=12).map(lambda text: text.encode("utf-8")),
                    st.sampled_from([b"model", b"prompt", b"duration", b"extra_body", b"cfg", b"aspect-ratio", b"sound", b"<<", b""]),
                ))
                data[match.start(group):match.end(group)] = new
        elif kind == "duplicate" and data:
            start = draw(st.integers(0, len(data) - 1))
            end = draw(st.integers(start, min(len(data), start + 40)))
            data[end:end] = data[start:end]
        elif kind == "truncate" and data:
            del data[draw(st.integers(0, len(data) - 1)):]
    return name, bytes(data)


@given(mutated_examples())
def test_mutated_examples(case: tuple[str, bytes]) -> None:
    name, data = case
    assert_sound(lint_bytes(data, name), data, name)
    check_bytes(data, "mutated")


def test_the_examples_are_valid_to_start_with() -> None:
    for name, data in VALID_EXAMPLES.items():
        findings = lint_bytes(data, name)
        assert not [f for f in findings if f.severity is Severity.ERROR], (name, findings)


# ---------------------------------------------------------------- the CLI, in process


@given(
    st.one_of(byte_soup, mutated_examples().map(lambda case: case[1]), documents.map(lambda value: to_json(value, 2, False))),
    st.sampled_from(SUFFIXES + (".yml",)),
    st.sampled_from(OUTPUT_FORMATS),
)
def test_the_cli_on_fuzzed_files(data: bytes, suffix: str, output_format: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "request" + suffix)
        other = os.path.join(folder, "other.json")
        with open(path, "wb") as handle:
            handle.write(data)
        with open(other, "wb") as handle:
            handle.write(b'{"model": "kling-v3-std-silent", "prompt": "a cat", "bogus": 1}')
        result = CliRunner().invoke(main, ["check", "--format", output_format, path, other])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2)
    assert result.exit_code == 1  # the other file always has an error, and every file is readable
    assert "Traceback" not in result.output
    assert "bogus" in result.stdout  # the other file was still checked
    if output_format == "json":
        document = json.loads(result.stdout)
        assert document["summary"]["files"] == 2
        for diagnostic in document["diagnostics"]:
            assert diagnostic["rule"] in RULES
            assert diagnostic["message"].strip()
            assert diagnostic["line"] >= 1 and diagnostic["column"] >= 1


@given(byte_soup)
def test_the_cli_on_fuzzed_standard_input(data: bytes) -> None:
    result = CliRunner().invoke(main, ["check", "-"], input=data)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output

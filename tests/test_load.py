"""Positions are counted one way: lines from 1, columns from 1 in characters, CRLF as one break."""

from __future__ import annotations

import pytest

from kling_lint import lint_text
from kling_lint.load import load
from kling_lint.load.text import DecodeError, LineIndex, decode
from kling_lint.load.yaml_format import resolve_plain, yaml11_reading


def test_line_index_counts_characters_not_bytes() -> None:
    index = LineIndex("ab\néé: x\n")
    assert index.position(0) == (1, 1)
    assert index.position(3) == (2, 1)
    assert index.position(7) == (2, 5)
    assert index.line_text(2) == "éé: x"


def test_line_index_treats_crlf_as_one_break() -> None:
    index = LineIndex("a\r\nbc\r\n")
    assert index.position(3) == (2, 1)
    assert index.line_text(1) == "a"


def test_decode_drops_a_bom_and_refuses_utf16_and_binary() -> None:
    assert decode(b"\xef\xbb\xbf{}") == "{}"
    with pytest.raises(DecodeError, match="UTF-16"):
        decode("{}".encode("utf-16"))
    with pytest.raises(DecodeError, match="NUL") as caught:
        decode(b'{"a":\n 1\x00}')
    assert (caught.value.line, caught.value.column) == (2, 3)


def test_invalid_utf8_is_placed_at_the_bad_byte() -> None:
    with pytest.raises(DecodeError) as caught:
        decode('{"é": "\xff"}'.encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    assert (caught.value.line, caught.value.column) == (1, 8)


SAME_REQUEST = {
    "json": '{\r\n  "model": "kling-v3-std-silent",\r\n  "prompt": "é",\r\n  "duration": 99\r\n}\r\n',
    "yaml": "model: kling-v3-std-silent\r\nprompt: é\r\nduration: 99\r\n",
}


@pytest.mark.parametrize("fmt, line, column", [("json", 4, 15), ("yaml", 3, 11)])
def test_positions_with_crlf_bom_and_non_ascii(fmt: str, line: int, column: int) -> None:
    data = b"\xef\xbb\xbf" + SAME_REQUEST[fmt].encode("utf-8")
    [finding] = lint_text(data, f"r.{fmt}")
    assert (finding.rule, finding.line, finding.column) == ("duration-range", line, column)
    assert finding.snippet.endswith("99" if fmt == "yaml" else "99")


def test_json_fast_and_scanned_reads_agree_on_duplicates() -> None:
    loaded = load(b'{"a": {"b": 1, "b": 2}}', "json")
    [document] = loaded.documents
    assert document.value == {"a": {"b": 2}}
    [problem] = document.problems
    assert (problem.rule, problem.path, problem.position[:2]) == ("duplicate-key", ("a", "b"), (1, 16))


@pytest.mark.parametrize(
    "text, value",
    [("~", None), ("", None), ("true", True), ("False", False), ("010", 10), ("0o10", 8), ("0x1F", 31),
     ("1_000", "1_000"), ("16:9", "16:9"), ("1e3", 1000.0), (".5", 0.5), ("yes", "yes"), ("-.inf", float("-inf"))],
)
def test_yaml_12_core_schema(text: str, value: object) -> None:
    assert resolve_plain(text) == value and type(resolve_plain(text)) is type(value)


@pytest.mark.parametrize(
    "text, value", [("16:9", 969), ("yes", True), ("off", False), ("010", 8), ("1_000", 1000), ("0b11", 3)]
)
def test_yaml_11_readings(text: str, value: object) -> None:
    assert yaml11_reading(text) == value


def test_multi_document_yaml_positions_each_request_in_the_file() -> None:
    text = "model: kling-v3-std-silent\nprompt: a\n---\nmodel: nope\nprompt: b\n"
    [finding] = lint_text(text, "two.yaml")
    assert (finding.rule, finding.line, finding.column, finding.json_path) == ("model-unknown", 4, 8, "$.model")


def test_jsonl_positions_each_line() -> None:
    text = '{"model": "kling-v3-std-silent", "prompt": "a"}\n\n{"model": "kling-v3-std-silent", "prompt": "b", "duration": 2}\n'
    [finding] = lint_text(text, "batch.jsonl")
    assert (finding.rule, finding.line, finding.column) == ("duration-range", 3, 61)


from hypothesis import given, strategies as st  # noqa: E402

from kling_lint.load.yaml_format import is_plain_string  # noqa: E402


@given(st.text(max_size=12) | st.sampled_from(["yes", "No", "on", "OFF", "null", "~", "true", "1_0", "16:9", ".nan", "-1", "y", "n"]))
def test_the_plain_string_shortcut_never_changes_a_value(text: str) -> None:
    if is_plain_string(text):
        assert resolve_plain(text) == text
        assert yaml11_reading(text) == text


def test_a_bad_jsonl_line_is_its_own_finding_and_the_others_are_still_checked() -> None:
    text = '{"model": "kling-v3-std-silent", "prompt": "a"}\n{"model": \n{"model": "kling-v3-std-silent", "prompt": "b", "duration": 2}\n'
    found = [(f.rule, f.line, f.column) for f in lint_text(text, "batch.jsonl")]
    assert found == [("syntax", 2, 1), ("duration-range", 3, 61)]  # the brace left open

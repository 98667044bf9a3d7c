"""What the loaders read, refuse and say, item by item (issues 13 and 19): for each, the command
line's exit status, the finding's rule, message and place, and that the rest of the file is
still checked."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kling_lint import lint_text
from kling_lint.cli import main
from kling_lint.load import format_of, load
from kling_lint.load.yaml_format import SLOW_READER_BUDGET, yaml11_reading

VALID = '{"model": "kling-v3-std-silent", "prompt": "a cat"}'


def check(*args: str, input: bytes | None = None) -> tuple[int, list[tuple[str, int, int, str]]]:
    """``kling-lint check --format json ARGS``: the exit status and (rule, line, column, message)."""
    result = CliRunner().invoke(main, ["check", "--format", "json", *args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    found = json.loads(result.stdout)["diagnostics"]
    return result.exit_code, [(d["rule"], d["line"], d["column"], d["message"]) for d in found]


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


def places(text: str, name: str) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in lint_text(text, name)]


# ---------------------------------------------------------------- 13.1 YAML 1.2 flow style

KITE = "{model: kling-v3-std-silent, prompt: A red kite, image: https://cdn.example.com/kite.png, duration: 5}\n"


def test_flow_style_with_colons_in_plain_scalars_is_read(tmp_path: Path) -> None:
    assert check(write(tmp_path, "kite.yaml", KITE)) == (0, [])
    [document] = load(KITE.encode(), "yaml").documents
    assert document.value["image"] == "https://cdn.example.com/kite.png"


def test_an_aspect_ratio_in_flow_style_is_a_string_with_its_yaml11_warning(tmp_path: Path) -> None:
    text = "{model: kling-v3-std-silent, prompt: A red kite, aspect_ratio: 9:16}\n"
    status, found = check(write(tmp_path, "ratio.yaml", text))
    assert status == 0
    assert [(rule, line, column) for rule, line, column, _ in found] == [("yaml11-ambiguous", 1, 64)]
    assert found[0][3].startswith('9:16 is the string "9:16" in YAML 1.2')


def test_findings_in_a_flow_style_file_are_placed_at_the_value(tmp_path: Path) -> None:
    text = "{model: kling-v3-std-silnt, prompt: A red kite,\n image: https://cdn.example.com/kite.png, duration: 20}\n"
    status, found = check(write(tmp_path, "kite.yaml", text))
    assert status == 1
    assert [(rule, line, column) for rule, line, column, _ in found] == [("model-unknown", 1, 9), ("duration-range", 2, 53)]


def test_flow_style_in_one_document_of_several(tmp_path: Path) -> None:
    text = "model: kling-v3-std-silent\nprompt: a\n---\n" + KITE + "---\n{model: nope, prompt: b, image: https://x.example/b.png}\n"
    status, found = check(write(tmp_path, "three.yaml", text))
    assert (status, [(rule, line, column) for rule, line, column, _ in found]) == (1, [("model-unknown", 6, 9)])


def test_what_neither_parser_reads_is_reported_where_the_c_parser_stopped() -> None:
    # YAML 1.2 reads "b:c" as one scalar, but not the unclosed bracket after it.
    assert places("{a: b:c, d: [e}\n", "x.yaml")[0][0] == "syntax"
    assert places("{url: http://a.example/x.png, prompt: [\n", "x.yaml") == [("syntax", 1, 39)]


def test_a_document_larger_than_the_slow_readers_budget_keeps_the_c_parsers_error() -> None:
    long = "x" * SLOW_READER_BUDGET
    text = "{model: kling-v3-std-silent, prompt: " + long + ", image: http://a.example/x.png}\n"
    started = time.perf_counter()
    found = lint_text(text, "big.yaml")
    assert time.perf_counter() - started < 10
    assert [(f.rule, f.line) for f in found] == [("syntax", 1)]
    assert "found unexpected ':'" in found[0].message


# ---------------------------------------------------------------- 13.6 an empty document

def test_an_empty_document_is_reported_at_its_marker_and_the_others_are_checked(tmp_path: Path) -> None:
    text = "model: kling-v3-std-silent\nprompt: a\n---\n# only a comment\n---\nmodel: nope\nprompt: b\n"
    status, found = check(write(tmp_path, "empty.yaml", text))
    assert status == 1
    assert [(rule, line, column) for rule, line, column, _ in found] == [("syntax", 3, 1), ("model-unknown", 6, 8)]
    assert "this document is empty" in found[0][3]


def test_a_null_document_is_not_empty() -> None:
    found = lint_text("--- ~\n", "null.yaml")
    assert [(f.rule, f.line, f.column) for f in found] == [("type-mismatch", 1, 5)]


# ---------------------------------------------------------------- 13.7 every readable document is checked

@pytest.mark.parametrize(
    "broken, message, where",
    [
        ("model: [a, b\n", "this [ is never closed", (4, 8)),
        ("model: a\n  prompt: b\n", "mapping values are not allowed", (5, 9)),
        ("model: !custom x\n", "the YAML tag !custom is not allowed", (4, 8)),
        ("model: a\x01\n", "the character U+0001 is not allowed in YAML", (4, 9)),
        ("cfg: .nan\n", ".nan is NaN", (4, 6)),
        ("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
         "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "'billion laughs'", (8, 33)),  # the 8th *d passes 100,000
    ],
)
def test_a_document_that_cannot_be_read_does_not_hide_the_others(tmp_path: Path, broken: str, message: str, where: tuple[int, int]) -> None:
    text = "model: kling-v3-std-silent\nprompt: a\n---\n" + broken + "---\nmodel: nope\nprompt: b\n"
    status, found = check(write(tmp_path, "docs.yaml", text))
    assert status == 1
    syntax, unknown = found
    assert (syntax[0], syntax[1:3]) == ("syntax", where) and message in syntax[3]
    assert unknown[:3] == ("model-unknown", text.count("\n", 0, text.index("model: nope")) + 1, 8)


def test_directives_and_comments_stay_with_the_document_they_precede() -> None:
    text = "model: [\n...\n# a comment\n%YAML 1.2\n---\nmodel: nope\nprompt: b\n...\n# the end\n"
    assert places(text, "x.yaml") == [("syntax", 1, 8), ("model-unknown", 6, 8)]


# ---------------------------------------------------------------- 13.8 JSON Lines by name and by content

BATCH = '{"model": "kling-v3-std-silent", "prompt": "a"}\n{"model": "kling-v3-std-silent", "prompt": "b", "duration": 2}\n'


def test_ndjson_is_json_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "batch.ndjson", BATCH)
    assert check(path)[0] == 1
    assert [(rule, line, column) for rule, line, column, _ in check(path)[1]] == [("duration-range", 2, 61)]
    assert check(str(tmp_path)) == check(path)  # found in a folder too


def test_one_json_value_a_line_on_standard_input_is_a_batch() -> None:
    status, found = check("-", input=BATCH.encode())
    assert (status, [(rule, line, column) for rule, line, column, _ in found]) == (1, [("duration-range", 2, 61)])
    assert format_of("<stdin>", BATCH.encode()) == "jsonl"


def test_a_json_request_over_several_lines_on_standard_input_is_one_request() -> None:
    pretty = json.dumps({"model": "kling-v3-std-silent", "prompt": "a", "duration": 2}, indent=2)
    assert format_of("<stdin>", pretty.encode()) == "json"
    status, found = check("-", input=pretty.encode())
    assert (status, [(rule, line) for rule, line, _, _ in found]) == (1, [("duration-range", 4)])
    assert format_of("<stdin>", (VALID + "\n\n").encode()) == "json"


def test_a_yaml_flow_mapping_on_standard_input_is_read_as_yaml() -> None:
    flow = b"{model: kling-v3-std-audio, prompt: a fox, duration: 2}\n"
    assert format_of("<stdin>", flow) == "yaml"
    status, found = check("-", input=flow)
    assert (status, [(rule, line, column) for rule, line, column, _ in found]) == (1, [("duration-range", 1, 54)])
    over_lines = b"{ model: kling-v3-std-silent,\n  prompt: a fox }\n---\n{model: kling-v3-std-silent, prompt: b}\n"
    assert format_of("<stdin>", over_lines) == "yaml" and check("-", input=over_lines) == (0, [])
    assert format_of("<stdin>", b"{'model': 'kling-v3-std-silent', 'prompt': 'a'}") == "yaml"  # quoted, but not as JSON quotes
    assert format_of("<stdin>", b"{}") == format_of("<stdin>", b'{ "model": 1}') == "json"  # JSON's own openings


@pytest.mark.parametrize("text", [
    b'{"model": "kling-v3-std-silent", "prompt": "a",}',  # a trailing comma: YAML reads it, a gateway would not
    b"{model: kling-v3-std-silent, prompt: [a}",  # neither JSON nor YAML
    b"{",
])
def test_what_starts_as_json_and_is_not_a_flow_mapping_keeps_jsons_syntax_error(text: bytes) -> None:
    assert format_of("<stdin>", text) == "json"
    status, found = check("-", input=text)
    assert status == 1 and [rule for rule, _, _, _ in found] == ["syntax"]


# ---------------------------------------------------------------- 13.12 messages that name the mistake

@pytest.mark.parametrize(
    "name, text, message, where",
    [
        ("tab.yaml", "model: kling-v3-std-silent\nprompt: a\nextra_body:\n\tcfg_scale: 0.5\n",
         "a tab indents this line; YAML indents with spaces only", (4, 1)),
        ("tab-after-spaces.yaml", "extra_body:\n  cfg_scale: 0.5\n  \tshot_type: customize\n",
         "a tab indents this line; YAML indents with spaces only", (3, 3)),
        ("bracket.yaml", "model: kling-v3-std-silent\nprompt: a\nextra_body:\n  element_list: [{element_id: a}\n",
         "this [ is never closed: the document ends before its ']'", (4, 17)),
        ("bracket-then-document.yaml", "model: [a, b\n---\nmodel: kling-v3-std-silent\nprompt: a\n",
         "this [ is never closed: the document ends before its ']'", (1, 8)),
        ("brace.yaml", "extra_body: {cfg_scale: 0.5\nmodel: kling-v3-std-silent\n",
         "this { is never closed: line 2 is reached without its '}'", (1, 13)),
        ("quote.yaml", 'model: kling-v3-std-silent\nprompt: "a cat\n', "this quoted string is never closed", (2, 9)),
        ("comment.json", '{"model": "kling-v3-std-silent", // the model\n "prompt": "a"}', "JSON allows no comments", (1, 34)),
        ("block-comment.json", '{"model": "kling-v3-std-silent", /* c */ "prompt": "a"}', "JSON allows no comments", (1, 34)),
        ("hash-comment.json", '# a request\n{"model": "kling-v3-std-silent", "prompt": "a"}', "JSON allows no comments", (1, 1)),
        ("trailing-comma.json", '{"model": "kling-v3-std-silent", "prompt": "a",\n}', "JSON allows no comma after the last item", (1, 47)),
        ("trailing-comma-list.json", '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"element_list": [{"element_id": "a"}, ]}}',
         "JSON allows no comma after the last item", (1, 100)),
        ("open.json", '{"model": "kling-v3-std-silent",\n "extra_body": {"element_list": [\n', "this [ is never closed: the text ends before its ']'", (2, 33)),
    ],
)
def test_a_mistake_is_said_in_its_own_words_where_it_is(tmp_path: Path, name: str, text: str, message: str, where: tuple[int, int]) -> None:
    status, found = check(write(tmp_path, name, text))
    assert status == 1
    [(rule, line, column, said)] = found
    assert (rule, (line, column)) == ("syntax", where) and said.startswith(message)


def test_a_tab_after_a_key_is_not_indentation() -> None:
    assert places("model:\tkling-v3-std-silent\nprompt: a\n", "x.yaml") == []


# ---------------------------------------------------------------- 19.7 a BOM before JSON on standard input

def test_json_with_a_bom_on_standard_input_is_read_as_json() -> None:
    data = b'\xef\xbb\xbf{"model": "kling-v3-std-silent", "prompt": "\\ud83d\\udc08 walks", "duration": 2}'
    assert format_of("<stdin>", data) == "json"
    status, found = check("-", input=data)
    column = data.decode("utf-8-sig").index("2}") + 1
    assert (status, [(rule, line, column) for rule, line, column, _ in found]) == (1, [("duration-range", 1, column)])
    assert check("-", input=data) == check("-", input=data[3:])


# ---------------------------------------------------------------- 19.8 long lists are not alias bombs

def test_a_list_of_100000_items_reads_the_same_as_json_and_as_yaml(tmp_path: Path) -> None:
    items = list(range(100_001))
    request = {"model": "kling-v3-std-silent", "prompt": "a", "frames": items}
    as_json = check(write(tmp_path, "long.json", json.dumps(request)))
    as_yaml = check(write(tmp_path, "long.yaml", "model: kling-v3-std-silent\nprompt: a\nframes:\n" + "".join(f"- {i}\n" for i in items)))
    flow = check(write(tmp_path, "flow.yaml", json.dumps(request).replace('"', "")))
    assert as_json[0] == as_yaml[0] == flow[0] == 1
    assert [(rule, message) for rule, _, _, message in as_json[1]] == [(rule, message) for rule, _, _, message in as_yaml[1]]
    assert [(rule, message) for rule, _, _, message in flow[1]] == [(rule, message) for rule, _, _, message in as_json[1]]
    assert [rule for rule, *_ in as_yaml[1]] == ["unknown-key"]


def test_aliases_are_still_counted() -> None:
    text = "a: &a [" + ", ".join(["x"] * 1000) + "]\nb: [" + ", ".join(["*a"] * 101) + "]\n"
    [finding] = lint_text(text, "laughs.yaml")
    assert (finding.rule, finding.line) == ("syntax", 2)
    assert "aliases repeat more than 100,000 values" in finding.message


# ---------------------------------------------------------------- 19.9 NaN and infinity are not JSON

NON_FINITE = [
    (".nan", ".nan is NaN, which JSON cannot hold"),
    (".NaN", ".NaN is NaN, which JSON cannot hold"),
    (".inf", ".inf is infinity, which JSON cannot hold"),
    ("-.inf", "-.inf is infinity, which JSON cannot hold"),
    ("+.Inf", "+.Inf is infinity, which JSON cannot hold"),
    ("!!float .nan", ".nan is NaN, which JSON cannot hold"),
    ("1e400", "1e400 is too large a number: it reads as infinity"),
    ("!!float 1" + "0" * 400, "is too large a number: it reads as infinity"),
]


@pytest.mark.parametrize("value, message", NON_FINITE)
def test_nan_and_infinity_in_yaml_are_refused_at_the_value(tmp_path: Path, value: str, message: str) -> None:
    text = f"model: kling-v3-std-silent\nprompt: a\nextra_body:\n  cfg_scale: {value}\n"
    status, found = check(write(tmp_path, "nan.yaml", text))
    assert status == 1
    [(rule, line, column, said)] = found  # no yaml11-ambiguous warning beside it
    assert (rule, line, column) == ("syntax", 4, 14) and message in said


@pytest.mark.parametrize("value, message", [("NaN", "NaN is not valid JSON"), ("-Infinity", "-Infinity is not valid JSON"),
                                            ("1e400", "1e400 is too large a number"), ("-1.5e999", "-1.5e999 is too large a number")])
def test_nan_and_infinity_in_json_are_refused_at_the_value(tmp_path: Path, value: str, message: str) -> None:
    text = '{"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"cfg_scale": ' + value + "}}"
    for name, line in (("nan.json", text), ("nan.jsonl", VALID + "\n" + text + "\n")):
        status, found = check(write(tmp_path, name, line))
        assert status == 1
        [(rule, row, column, said)] = found
        assert (rule, row, column) == ("syntax", 1 if name == "nan.json" else 2, 77) and said.startswith(message)


def test_yaml_11_reads_nan_and_infinity_as_yaml_12_does() -> None:
    assert math.isnan(yaml11_reading(".nan"))
    assert yaml11_reading("-.inf") == float("-inf")
    found = lint_text('model: kling-v3-std-silent\nprompt: a\nextra_body:\n  cfg_scale: ".nan"\n', "x.yaml")
    assert [(f.rule, f.line, f.column) for f in found] == [("type-mismatch", 4, 14)]  # quoted: a string


# ---------------------------------------------------------------- 19.11 linear per-value checks

@pytest.mark.parametrize("value", ["1" + ":0" * 400_000, "-1" + ":0" * 400_000, "1" + ":0" * 400_000 + ".5", "1" + "_0" * 400_000])
def test_a_long_yaml_11_look_alike_costs_linear_time(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "long.yaml", f"model: kling-v3-std-silent\nprompt: a\nduration: {value}\n")
    started = time.perf_counter()
    status, found = check(path)
    assert time.perf_counter() - started < 5  # quadratic, this took about a minute
    assert status == 1
    assert [(rule, line, column) for rule, line, column, _ in found] == [("duration-range", 3, 11), ("yaml11-ambiguous", 3, 11)]


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from strategies import broken_requests, json_text, valid_requests, yaml_text  # noqa: E402


def _found(data: bytes, name: str) -> list[tuple[str, str, int | None, int | None, str]]:
    return [(f.rule, f.json_path, f.line, f.column, f.message) for f in lint_text(data, name)]


@given(st.one_of(valid_requests(), broken_requests().map(lambda broken: broken.request)), st.sampled_from(["json", "yaml"]))
def test_a_bom_and_standard_input_change_no_finding(request: object, fmt: str) -> None:
    text = (json_text if fmt == "json" else yaml_text)(request).encode("utf-8")
    expected = _found(text, f"r.{fmt}")
    for data in (text, b"\xef\xbb\xbf" + text):
        assert _found(data, f"r.{fmt}") == expected
        assert _found(data, "<stdin>") == expected

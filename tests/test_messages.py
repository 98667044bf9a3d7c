"""Messages a person reads right (issue 13, items 5 and 11-18): each asserted as `kling-lint check`
prints it (message, position, exit status), from a file written the way people write them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kling_lint
from kling_lint.cli import main


def check(tmp_path: Path, text: str, name: str = "r.yaml") -> tuple[int, list[dict]]:
    """Exit status and diagnostics of `kling-lint check --format json` on a file holding ``text``."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)], catch_exceptions=False)
    return result.exit_code, json.loads(result.output)["diagnostics"]


def found(diagnostics: list[dict]) -> set[tuple[int, int, str, str]]:
    return {(d["line"], d["column"], d["rule"], d["json_path"]) for d in diagnostics}


def one(diagnostics: list[dict], rule: str) -> dict:
    chosen = [d for d in diagnostics if d["rule"] == rule]
    assert len(chosen) == 1, diagnostics
    return chosen[0]


HEAD = "model: kling-v3-std-silent\nprompt: A red kite over a beach.\n"


# ---------------------------------------------------------------- 13.5 every rule fires on its own condition


@pytest.mark.parametrize("value", ['"20"', '"2"', '"0"', '"5.5"', '"-3"'])
def test_a_numeric_string_out_of_range_gets_both_rules_and_one_edit_fixes_both(tmp_path: Path, value: str) -> None:
    status, diagnostics = check(tmp_path, HEAD + f"duration: {value}\n")
    assert status == 1
    assert found(diagnostics) == {(3, 11, "duration-range", "$.duration"), (3, 11, "duration-as-string", "$.duration")}
    as_string = one(diagnostics, "duration-as-string")
    assert as_string["message"] == f"duration is the string {value}, not a number"
    assert as_string["hint"] == "write duration as a number without quotes, a whole number of seconds from 3 to 15"
    assert one(diagnostics, "duration-range")["hint"] == "use a whole number of seconds from 3 to 15, without quotes"


def test_a_numeric_string_in_range_is_only_a_string(tmp_path: Path) -> None:
    status, diagnostics = check(tmp_path, HEAD + 'duration: "010"\n')
    assert status == 0 and found(diagnostics) == {(3, 11, "duration-as-string", "$.duration")}
    assert one(diagnostics, "duration-as-string")["hint"] == "write duration: 10 without quotes"


def test_a_shot_duration_string_out_of_range_gets_both_rules(tmp_path: Path) -> None:
    text = ("model: kling-v3-std-silent\nextra_body:\n  shot_type: customize\n  multi_prompt:\n"
            '    - prompt: A kite.\n      duration: "0"\n')
    status, diagnostics = check(tmp_path, text)
    at = "$.extra_body.multi_prompt[0].duration"
    assert status == 1 and found(diagnostics) == {(6, 17, "shot-duration", at), (6, 17, "duration-as-string", at)}
    assert one(diagnostics, "duration-as-string")["hint"].endswith("without quotes, a whole number of seconds, at least 1")


def test_a_duration_string_of_more_digits_than_python_converts_is_a_finding_not_a_crash() -> None:
    request = {"model": "kling-v3-std-silent", "prompt": "a kite", "duration": "1" * 5000}
    assert {f.rule for f in kling_lint.lint(request)} == {"duration-range", "duration-as-string"}


# ---------------------------------------------------------------- 13.13 blank, and which invisible character


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ('"   "', "prompt is blank: it holds only 3 spaces"),
        ('"\\u0085"', "prompt is blank: it holds only U+0085 (next line), an invisible character"),
        ('"\\t\\u3000\\u3000"', "prompt is blank: it holds only a tab and 2 × U+3000 (ideographic space), invisible characters"),
        ('""', "prompt is empty"),
    ],
)
def test_a_blank_prompt_is_called_blank_and_its_characters_named(tmp_path: Path, value: str, said: str) -> None:
    status, diagnostics = check(tmp_path, f'{{"model": "kling-v3-std-silent", "prompt": {value}}}\n', "r.json")
    assert status == 1 and found(diagnostics) == {(1, 44, "prompt-empty", "$.prompt")}
    assert diagnostics[0]["message"] == said


def test_a_blank_shot_prompt_is_called_blank() -> None:
    request = {"model": "kling-v3-std-silent", "extra_body": {"shot_type": "customize", "multi_prompt": [{"prompt": "\u00a0"}]}}
    (finding,) = kling_lint.lint(request)
    assert finding.message == "extra_body.multi_prompt[0].prompt is blank: it holds only U+00A0 (no-break space), an invisible character"


# ---------------------------------------------------------------- 13.14 equally close candidates are all named


@pytest.mark.parametrize(
    ("model", "hint"),
    [
        ("kling-v3-pro", 'did you mean "kling-v3-pro-silent" or "kling-v3-pro-audio"?'),
        ("kling-v3-std", 'did you mean "kling-v3-std-silent" or "kling-v3-std-audio"?'),
        ("kling-v3-silent", 'did you mean "kling-v3-std-silent" or "kling-v3-pro-silent"?'),
        ("kling-v3-standard-silent", 'did you mean "kling-v3-std-silent"?'),
        ("kling-v2", "use one of kling-v3-std-silent, kling-v3-std-audio, kling-v3-pro-silent, kling-v3-pro-audio"),
    ],
)
def test_did_you_mean_names_every_equally_close_model(tmp_path: Path, model: str, hint: str) -> None:
    status, diagnostics = check(tmp_path, f"model: {model}\nprompt: A kite.\n")
    assert status == 1 and found(diagnostics) == {(1, 8, "model-unknown", "$.model")}
    assert diagnostics[0]["hint"] == hint


def test_did_you_mean_names_every_equally_close_key(tmp_path: Path) -> None:
    status, diagnostics = check(tmp_path, HEAD + "extra_body:\n  prompt: blur\n")
    # "prompt" in extra_body: the top-level prompt and negative_prompt start alike
    assert status == 1 and found(diagnostics) == {(4, 3, "unknown-key", "$.extra_body.prompt")}
    assert diagnostics[0]["hint"] == "did you mean prompt at the top level?"
    # The packaged schema has no two keys equally close to a likely slip: a copy with one more.
    import copy

    from kling_lint.contract import Contract, default_contract
    from kling_lint.contract.suggest import suggest_key

    schema = copy.deepcopy(default_contract().schema)
    schema["properties"]["extra_body"]["properties"]["shot_count"] = {"type": "integer"}
    assert suggest_key("shot", ("extra_body",), Contract(schema)) == "did you mean shot_type or shot_count?"
    assert suggest_key("shot", ("extra_body",), default_contract()) == "did you mean shot_type?"


# ---------------------------------------------------------------- 13.16 keys that belong elsewhere


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("api_key", "Authorization header"),
        ("token", "Authorization header"),
        ("headers", "not part of the request body"),
        ("url", "on the command line"),
        ("name", "a request has no name"),
    ],
)
def test_a_key_of_the_http_request_says_where_it_goes(tmp_path: Path, key: str, says: str) -> None:
    status, diagnostics = check(tmp_path, HEAD + f"{key}: x\n")
    assert status == 1 and found(diagnostics) == {(3, 1, "unknown-key", f"$.{key}")}
    assert says in diagnostics[0]["hint"]


def test_the_hints_of_keys_that_belong_elsewhere_are_the_schemas() -> None:
    from kling_lint.contract import default_contract
    from kling_lint.contract.suggest import TRANSPORT_KEYS, suggest_key

    contract = default_contract()
    for key, hint in contract.schema[TRANSPORT_KEYS].items():
        assert suggest_key(key, (), contract) == hint


# ---------------------------------------------------------------- 13.17 findings about all the shots


def test_shot_durations_sum_points_at_multi_prompt_not_at_the_first_shot(tmp_path: Path) -> None:
    text = ("model: kling-v3-std-silent\nduration: 10\nextra_body:\n  shot_type: customize\n  multi_prompt:\n"
            "    - prompt: A kite.\n      duration: 3\n    - prompt: A beach.\n      duration: 3\n")
    status, diagnostics = check(tmp_path, text)
    assert status == 1 and found(diagnostics) == {(5, 3, "shot-durations-sum", "$.extra_body.multi_prompt")}
    assert (diagnostics[0]["end_line"], diagnostics[0]["end_column"]) == (5, 15)  # the key, not the list


# ---------------------------------------------------------------- memory: problems stream


def test_the_contract_streams_problems_without_holding_them() -> None:
    """A request with 50,000 wrong list entries: every problem passes through, and the check
    holds about as much memory for the last of them as for the first (a list of them all would
    hold some 25 MB)."""
    import tracemalloc

    from kling_lint.contract import default_contract

    contract = default_contract()
    request = {"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"element_list": [1] * 50_000}}
    list(contract.iter_check({"model": 1}))  # the explanation is built before measuring
    tracemalloc.start()
    try:
        count = sum(1 for _ in contract.iter_check(request))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 50_001  # every entry, and the list's length
    assert peak < 2_000_000, peak


def test_a_file_with_many_mistakes_reports_the_first_in_file_order_and_counts_the_rest() -> None:
    text = json.dumps({"model": "kling-v3-std-silent", "prompt": "a", "extra_body": {"element_list": [1] * 5000}})
    findings = kling_lint.lint_text(text, "r.json")
    assert len(findings) == 1001 and findings[-1].rule == "too-many-findings"
    assert "4,001 more findings" in findings[-1].message
    assert [f.json_path for f in findings[:3]] == ["$.extra_body.element_list", "$.extra_body.element_list[0]", "$.extra_body.element_list[1]"]


# ---------------------------------------------------------------- 13.18 / 19.10 values from Python

import collections  # noqa: E402
import decimal  # noqa: E402
import enum  # noqa: E402
import math  # noqa: E402
from typing import Any  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


class Model(enum.StrEnum):
    STD = "kling-v3-std-silent"


class Seconds(enum.IntEnum):
    FIVE = 5


def rule_paths(findings: list) -> set[tuple[str, str]]:
    return {(f.rule, f.json_path) for f in findings}


def test_what_a_caller_naturally_passes_is_read_as_json_would_send_it() -> None:
    request = collections.OrderedDict(model=Model.STD, prompt="A kite.", duration=Seconds.FIVE,
                                      extra_body={"element_list": ({"element_id": "el_1"},)})
    assert kling_lint.lint(request) == []
    assert rule_paths(kling_lint.lint({**request, "duration": Seconds.FIVE + 20})) == {("duration-range", "$.duration")}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (b"a kite", "prompt is a Python bytes value, which JSON cannot hold"),
        (decimal.Decimal("0.5"), "prompt is a Python Decimal value, which JSON cannot hold"),
        ({"a"}, "prompt is a Python set value, which JSON cannot hold"),
        (math.nan, "prompt is NaN, which JSON cannot hold: a request cannot send it"),
        (-math.inf, "prompt is -Infinity, which JSON cannot hold: a request cannot send it"),
    ],
)
def test_what_json_cannot_hold_is_said_once_in_jsons_words(value: Any, message: str) -> None:
    (finding,) = kling_lint.lint({"model": "kling-v3-std-silent", "prompt": value})
    assert (finding.rule, finding.json_path, finding.message) == ("type-mismatch", "$.prompt", message)


def test_keys_json_cannot_hold_and_cycles_are_findings_not_exceptions() -> None:
    request: dict[Any, Any] = {"model": "kling-v3-std-silent", "prompt": "a", (1, 2): 3, None: 1, 1.5: 2}
    assert rule_paths(kling_lint.lint(request)) == {
        ("type-mismatch", "$['<tuple key>']"), ("unknown-key", "$.null"), ("unknown-key", "$['1.5']")}
    request = {"model": "kling-v3-std-silent", "prompt": "a"}
    request["extra_body"] = request
    (finding,) = kling_lint.lint(request)
    assert (finding.json_path, finding.message) == ("$.extra_body", "extra_body contains itself, which JSON cannot hold")


def test_a_value_whose_eq_raises_is_read_by_its_characters() -> None:
    class Touchy(str):
        __hash__ = str.__hash__

        def __eq__(self, other: object) -> bool:
            raise RuntimeError("no comparing")

    assert kling_lint.lint({"model": Touchy("kling-v3-std-silent"), "prompt": Touchy("a"), Touchy("duration"): 5}) == []
    (finding,) = kling_lint.lint({"model": "kling-v3-std-silent", "prompt": "a", "extra_body": object()})
    assert finding.message == "extra_body is a Python object value, which JSON cannot hold"


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-30, 30), st.floats(allow_nan=False, allow_infinity=False),
                     st.text(max_size=6), st.sampled_from(["kling-v3-std-silent", "5", "customize", Model.STD, Seconds.FIVE]))
_KEYS = st.one_of(st.sampled_from(["model", "prompt", "duration", "image", "extra_body", "multi_prompt", "element_list",
                                   "element_id", "cfg_scale", "shot_type", "index", "1", "null"]),
                  st.text(max_size=4), st.integers(-2, 2), st.none(), st.booleans())
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.lists(inner, max_size=4).map(tuple),
                            st.dictionaries(_KEYS, inner, max_size=5), st.dictionaries(_KEYS, inner, max_size=5).map(collections.OrderedDict)),
    max_leaves=20,
)


@given(st.fixed_dictionaries({"model": st.sampled_from(["kling-v3-std-silent", Model.STD, 3])}, optional={"prompt": _SCALARS}).flatmap(
    lambda base: st.dictionaries(_KEYS, _VALUES, max_size=4).map(lambda more: {**base, **more})))
def test_any_value_json_dumps_accepts_gives_the_findings_of_its_json_text(value: dict) -> None:
    text = json.dumps(value, allow_nan=False)
    assert rule_paths(kling_lint.lint(value)) == rule_paths(kling_lint.lint_text(text, "r.json")), text


# ---------------------------------------------------------------- 13.11 element_list entries as shots are


@pytest.mark.parametrize(
    ("entry", "where", "rule", "message", "hint"),
    [
        ('{"id": "market-stall"}', (5, 23), "unknown-key", "id is not a known key in an element reference", "did you mean element_id?"),
        ('{"element_id": "a", "weight": 1}', (5, 42), "unknown-key", "weight is not a known key in an element reference",
         "remove weight; an element reference takes element_id"),
        ("{}", (5, 22), "element-list", "extra_body.element_list[0] has no element_id",
         "write each entry as {element_id: <non-empty string or positive integer>}"),
    ],
)
def test_an_element_entry_gets_one_finding_per_mistake(tmp_path: Path, entry: str, where: tuple, rule: str, message: str, hint: str) -> None:
    text = ('{\n  "model": "kling-v3-std-silent",\n  "prompt": "A market.",\n  "extra_body": {\n'
            f'    "element_list": [{entry}]\n  }}\n}}\n')
    status, diagnostics = check(tmp_path, text, "r.json")
    assert status == 1 and len(diagnostics) == 1, diagnostics
    (d,) = diagnostics
    assert ((d["line"], d["column"]), d["rule"], d["message"], d["hint"]) == (where, rule, message, hint)


def test_a_shot_prompt_under_another_name_is_one_finding() -> None:
    request = {"model": "kling-v3-std-silent", "extra_body": {"shot_type": "customize", "multi_prompt": [{"promt": "A kite."}]}}
    (finding,) = kling_lint.lint(request)
    assert (finding.rule, finding.json_path, finding.hint) == ("unknown-key", "$.extra_body.multi_prompt[0].promt", "did you mean prompt?")


# ---------------------------------------------------------------- 13.15 a hint leads to fewer findings

_LAST_IMAGE_MULTI = ("model: kling-v3-std-silent\nlast_image: https://example.com/a.png\nextra_body:\n"
                     "  shot_type: customize\n  multi_prompt:\n    - prompt: A kite.\n")


@pytest.mark.parametrize(
    ("text", "rule", "hint", "edited"),
    [
        (_LAST_IMAGE_MULTI, "last-image-without-image", "remove last_image: a multi-shot video takes a first frame only",
         _LAST_IMAGE_MULTI.replace("last_image: https://example.com/a.png\n", "")),
        (HEAD + "duration: 1_0\n", "yaml11-ambiguous", 'quote it ("1_0") if you mean the text, or write 10 if you mean the number',
         HEAD + "duration: 10\n"),
        (HEAD + 'duration: "20"\n', "duration-as-string",
         "write duration as a number without quotes, a whole number of seconds from 3 to 15", HEAD + "duration: 15\n"),
        (HEAD + 'duration: "7"\n', "duration-as-string", "write duration: 7 without quotes", HEAD + "duration: 7\n"),
        ("model: kling-v3-pro\nprompt: A kite.\n", "model-unknown", 'did you mean "kling-v3-pro-silent" or "kling-v3-pro-audio"?',
         "model: kling-v3-pro-silent\nprompt: A kite.\n"),
    ],
)
def test_following_a_hint_leaves_fewer_findings(tmp_path: Path, text: str, rule: str, hint: str, edited: str) -> None:
    status, before = check(tmp_path, text)
    assert one(before, rule)["hint"] == hint
    after_status, after = check(tmp_path, edited)
    assert len(after) < len(before) and after_status <= status, after
    assert not after, after  # here the one edit the hint names fixes the file

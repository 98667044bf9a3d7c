"""Property tests of the contract (docs/contract.md), on generated requests and files.

1. a valid request has no error: as a dict, as JSON, as YAML, and through the CLI;
2. one broken constraint fires exactly its rule, at its json_path;
3. the same request as JSON and as YAML (and as a dict) gets the same findings;
4. a finding's line:column points at the offending key or value in the file;
5. the fast paths agree with the slow ones: schema check, jsonschema, JSON reader.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections import Counter
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import kling_lint
from kling_lint.cli import main
from kling_lint.contract import RULES, check
from kling_lint.contract import default_contract
from kling_lint.contract.schema import load_schema

conforms, violations = default_contract().conforms, default_contract().violations
from kling_lint.engine import lint_bytes
from kling_lint.findings import Finding, format_path
from kling_lint.load import json_format
from kling_lint.redact import SECRET

from strategies import (
    AT_KEY_RULES,
    AT_MULTI_PROMPT_KEY_RULES,
    BREAKERS,
    WHITESPACE,
    Broken,
    broken_requests,
    fuzzy_requests,
    json_text,
    json_values,
    key_text,
    strict,
    valid_requests,
    value_head,
    yaml_text,
)

ERROR = "error"


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def shown(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [(f.rule, f.json_path, f.severity.value, f.line, f.column, f.message) for f in findings]


def comparable(findings: list[Finding]) -> Counter[tuple[Any, ...]]:
    return Counter((f.rule, f.json_path, f.severity.value, f.message, f.hint) for f in findings)


def both_texts(request: Any) -> dict[str, str]:
    return {"json": json_text(request), "yaml": yaml_text(request)}


# ---------------------------------------------------------------- 1. valid in, no error out


@given(valid_requests())
def test_valid_requests_have_no_error(request: dict[str, Any]) -> None:
    assert errors(kling_lint.lint(request)) == []
    for fmt, text in both_texts(request).items():
        findings = kling_lint.lint_text(text, f"r.{fmt}")
        assert errors(findings) == [], (fmt, text, shown(findings))
        assert not any(f.rule == "yaml11-ambiguous" for f in findings), text


@given(valid_requests())
def test_valid_request_files_pass_the_cli(request: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for fmt, text in both_texts(request).items():
            path = os.path.join(folder, f"request.{fmt}")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            paths.append(path)
        result = CliRunner().invoke(main, ["check", *paths])
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------- 2. one broken constraint, one rule


def test_the_breakers_cover_every_error_rule_a_request_can_break() -> None:
    # Not here: image-too-large, whose 10 MB image per example would take minutes; tests/test_images.py
    # holds it (and the fetch rules, source "fetch", which only --fetch-images applies).
    unbreakable = {"image-too-large"}
    breakable = {r.id for r in RULES.values() if r.severity == ERROR and r.source not in ("reader", "internal", "fetch")} - unbreakable
    assert breakable <= {b.rule for b in BREAKERS}


@pytest.mark.parametrize("rule", sorted({b.rule for b in BREAKERS}))
@given(data=st.data())
def test_one_broken_constraint_fires_exactly_its_rule(rule: str, data: st.DataObject) -> None:
    broken: Broken = data.draw(broken_requests((rule,)))
    where = format_path(broken.path)
    for findings in (kling_lint.lint(broken.request), kling_lint.lint_text(json_text(broken.request), "r.json")):
        found = errors(findings)
        # the breaker's own rule: a key of an element written under another name is unknown-key
        assert {f.rule for f in found} == {broken.rule}, (where, shown(findings))
        assert any(f.rule == broken.rule and f.json_path == where for f in found), (where, shown(findings))


@pytest.mark.parametrize("where", ["top", "shot"])
@given(
    number=st.integers(1, 20),
    before=st.one_of(st.just(""), st.text(st.sampled_from(WHITESPACE), max_size=2)),
    after=st.one_of(st.sampled_from(["", "\n"]), st.text(st.sampled_from(WHITESPACE), max_size=2)),
)
def test_a_duration_string_is_never_taken_silently(where: str, number: int, before: str, after: str) -> None:
    """A string duration is a numeric string (warning duration-as-string) or it is not (an error):
    never neither. White space around the digits must not slip through."""
    text = before + str(number) + after
    if where == "top":
        request = {"model": "kling-v3-std-silent", "prompt": "a lighthouse", "duration": text}
        at = "$.duration"
    else:
        request = {"model": "kling-v3-std-silent", "duration": 15,
                   "extra_body": {"shot_type": "customize", "multi_prompt": [{"prompt": "a lighthouse", "duration": text}]}}
        at = "$.extra_body.multi_prompt[0].duration"
    findings = kling_lint.lint(request)
    there = [f for f in findings if f.json_path == at or f.rule == "shot-durations-sum"]
    assert there, (repr(text), shown(findings))


# ---------------------------------------------------------------- 3. JSON and YAML agree


@given(st.one_of(valid_requests(), broken_requests().map(lambda b: b.request)))
def test_json_and_yaml_give_the_same_findings(request: Any) -> None:
    texts = both_texts(request)
    from_json = kling_lint.lint_text(texts["json"], "r.json")
    from_yaml = kling_lint.lint_text(texts["yaml"], "r.yaml")
    assert comparable(from_json) == comparable(from_yaml), (texts["yaml"], shown(from_json), shown(from_yaml))
    assert comparable(from_json) == comparable(kling_lint.lint(request))


# ---------------------------------------------------------------- 4. positions point at the text


def _paths(value: Any, path: tuple[Any, ...] = ()) -> dict[str, tuple[tuple[Any, ...], Any]]:
    """json_path -> (path, value) for every value in the request."""
    out = {format_path(path): (path, value)}
    if isinstance(value, dict):
        for key, item in value.items():
            out.update(_paths(item, path + (key,)))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            out.update(_paths(item, path + (number,)))
    return out


@given(broken_requests())
def test_positions_point_at_the_offending_text(broken: Broken) -> None:
    values = _paths(broken.request)
    for fmt, text in both_texts(broken.request).items():
        lines = text.split("\n")
        for finding in kling_lint.lint_text(text, f"r.{fmt}"):
            assert finding.json_path in values, (fmt, shown([finding]))
            path, value = values[finding.json_path]
            if finding.rule == broken.rule and finding.json_path == format_path(broken.path):
                at_key = broken.at_key
            else:  # a key that has no place in the contract, or a cross-field rule anchored on a key
                at_key = finding.rule in AT_KEY_RULES or (finding.rule in AT_MULTI_PROMPT_KEY_RULES and path[-1:] == ("multi_prompt",)) or (
                    finding.rule == "element-list" and len(path) == 4 and path[-1] != "element_id"
                )
            expected = key_text(path[-1], fmt) if at_key else value_head(value, fmt)
            line = lines[finding.line - 1]
            there = line[finding.column - 1:]
            token = SECRET.match(there) if finding.rule == "secret-in-request" else None
            if token:  # at the token itself, within the value (issue 13.2); an escaped one: at the value
                assert token.group() in value, (fmt, shown([finding]), line)
                assert line[finding.column - 1:finding.end_column - 1] == token.group(), (fmt, shown([finding]))
                continue
            assert there.startswith(expected), (fmt, shown([finding]), expected, line)
            single = at_key or not isinstance(value, (dict, list)) or not value
            if single:  # a key or a scalar: the span is exactly its text
                assert finding.end_line == finding.line, (fmt, shown([finding]))
                assert line[finding.column - 1:finding.end_column - 1] == expected, (fmt, shown([finding]), finding.end_column)


# ---------------------------------------------------------------- 5. fast path == slow path


def _same_problems(request: Any) -> None:
    fast = check(request)
    slow = check(request, explain_always=True)
    assert Counter(fast) == Counter(slow), (request, fast, slow)


@functools.cache
def _reference() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(load_schema())


@given(st.one_of(valid_requests(), broken_requests().map(lambda b: b.request), fuzzy_requests()))
def test_fast_check_equals_explained_check_and_jsonschema(request: Any) -> None:
    _same_problems(request)
    assert conforms(request) == _reference().is_valid(request), request
    expected = Counter((tuple(e.path), e.validator) for e in _reference().iter_errors(request))
    assert Counter((v.path, v.keyword) for v in violations(request)) == expected, request


@given(valid_requests())
def test_valid_requests_conform_to_the_schema(request: dict[str, Any]) -> None:
    assert conforms(request) and _reference().is_valid(request)


@given(st.one_of(valid_requests(), broken_requests().map(lambda b: b.request)))
def test_lint_bytes_fast_equals_explained(request: Any) -> None:
    data = json_text(request).encode("utf-8")
    assert lint_bytes(data, "x.json") == lint_bytes(data, "x.json", explain_always=True)


@given(
    st.one_of(valid_requests(), broken_requests().map(lambda b: b.request), json_values),
    st.sampled_from([None, 0, 2, "\t"]),
    st.booleans(),
)
def test_json_scanner_reads_what_json_loads_reads(value: Any, indent: Any, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    scanned, _, duplicates = json_format.scan(text)
    assert strict(scanned) == strict(json.loads(text))
    assert duplicates == []

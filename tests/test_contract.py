"""The Contract: one schema in, every check, message, hint, suggestion and rule text out.

The central test copies the packaged schema, changes the contract in it (longer videos, more
shots, a fifth model, another aspect ratio, longer prompts) and shows that everything kling-lint
says follows, with no Python change: a contract change is one edit, in the schema.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import kling_lint
from kling_lint import rule_ids
from kling_lint.contract import Contract, default_contract
from kling_lint.contract.schema import load_schema
from kling_lint.engine import lint_bytes
from kling_lint.findings import Severity

from strategies import broken_requests, fuzzy_requests, json_values, valid_requests

NEW_MODEL = "kling-v3-omni-std"
NEW_RATIO = "4:3"
LONGEST, MOST_SHOTS, LONGEST_PROMPT = 20, 8, 3000


def changed_schema() -> dict[str, Any]:
    """The packaged schema with the contract changed, as a team would edit its copy."""
    schema = copy.deepcopy(load_schema())
    fields = schema["properties"]
    fields["model"]["enum"].append(NEW_MODEL)
    fields["aspect_ratio"]["enum"].append(NEW_RATIO)
    fields["prompt"]["maxLength"] = LONGEST_PROMPT
    whole, text = fields["duration"]["anyOf"]
    whole["maximum"] = LONGEST
    text["pattern"] = "^0*(?:[3-9]|1[0-9]|20)(?!\\n)$"  # the same range, for a numeric string
    fields["extra_body"]["properties"]["multi_prompt"]["maxItems"] = MOST_SHOTS
    return schema


@pytest.fixture(scope="module")
def changed() -> Contract:
    return Contract(changed_schema())


def request(**fields: Any) -> dict[str, Any]:
    return {"model": "kling-v3-std-silent", "prompt": "a lighthouse at dusk", **fields}


def shots(count: int, each: int | None = None) -> dict[str, Any]:
    timed = {} if each is None else {"duration": each}
    return {"shot_type": "customize", "multi_prompt": [{"prompt": f"shot {n}", **timed} for n in range(count)]}


def findings(contract: Contract, value: Any) -> list[tuple[str, str, str | None]]:
    """(rule, message, hint) of a request, checked as a JSON file: the path the command takes."""
    found = lint_bytes(json.dumps(value).encode(), "r.json", contract=contract)
    return [(f.rule, f.message, f.hint) for f in found]


def only(contract: Contract, value: Any) -> tuple[str, str, str | None]:
    [finding] = findings(contract, value)
    return finding


# ---------------------------------------------------------------- a contract change is one edit


def test_the_fast_check_follows_the_schema(changed: Contract) -> None:
    new = request(model=NEW_MODEL, aspect_ratio=NEW_RATIO, duration=LONGEST, prompt="x" * LONGEST_PROMPT)
    assert changed.conforms(new) and not default_contract().conforms(new)
    assert findings(changed, new) == []
    assert {rule for rule, _, _ in findings(default_contract(), new)} == {
        rule_ids.MODEL_UNKNOWN, rule_ids.ASPECT_RATIO_UNKNOWN, rule_ids.DURATION_RANGE, rule_ids.PROMPT_TOO_LONG}
    multi = {"model": NEW_MODEL, "duration": LONGEST - 4, "extra_body": shots(MOST_SHOTS, 2)}
    assert changed.conforms(multi) and findings(changed, multi) == []
    assert changed.conforms(request(duration=str(LONGEST))) and not changed.conforms(request(duration=str(LONGEST + 1)))


def test_messages_and_hints_follow_the_schema(changed: Contract) -> None:
    rule, message, hint = only(changed, request(duration=LONGEST + 1))
    assert rule == rule_ids.DURATION_RANGE and f"from 3 to {LONGEST}, got {LONGEST + 1}" in message and f"to {LONGEST}" in str(hint)
    rule, message, hint = only(changed, request(prompt="x" * (LONGEST_PROMPT + 1)))
    assert rule == rule_ids.PROMPT_TOO_LONG and f"more than the {LONGEST_PROMPT} allowed" in message
    rule, message, hint = only(changed, {"model": NEW_MODEL, "extra_body": shots(MOST_SHOTS + 1)})
    assert rule == rule_ids.MULTI_PROMPT_SIZE and f"more than {MOST_SHOTS}" in message and f"at most {MOST_SHOTS}" in str(hint)
    rule, message, hint = only(changed, {"model": NEW_MODEL, "extra_body": {"shot_type": "customize", "multi_prompt": []}})
    assert f"1 to {MOST_SHOTS} shots" in str(hint)
    rule, message, hint = only(changed, request(aspect_ratio="4:4"))
    assert rule == rule_ids.ASPECT_RATIO_UNKNOWN and hint is not None and hint.endswith(f", {NEW_RATIO}")
    rule, message, hint = only(changed, {"prompt": "a"})
    assert rule == rule_ids.MODEL_MISSING and str(hint).endswith(NEW_MODEL)
    # The default duration and the range decide what a sum of shots may be set to.
    rule, message, hint = only(changed, {"model": NEW_MODEL, "duration": 10, "extra_body": shots(MOST_SHOTS, 2)})
    assert rule == rule_ids.SHOT_DURATIONS_SUM and f"set duration to {2 * MOST_SHOTS}" in str(hint)
    over = {"model": "kling-v3-std-silent", "duration": 10, "extra_body": shots(6, 3)}  # 18 s: past the packaged range
    assert "set duration" not in str(only(default_contract(), over)[2]) and "set duration to 18" in str(only(changed, over)[2])
    rule, message, hint = only(changed, request(duration=str(LONGEST)))
    assert rule == rule_ids.DURATION_AS_STRING  # in range now: a warning, not a range error


def test_did_you_mean_follows_the_schema(changed: Contract) -> None:
    rule, message, hint = only(changed, request(model="kling-v3-omni-st"))
    assert rule == rule_ids.MODEL_UNKNOWN and hint == f'did you mean "{NEW_MODEL}"?'
    assert only(default_contract(), request(model="kling-v3-omni-st"))[2] != hint


def test_rule_texts_follow_the_schema(changed: Contract) -> None:
    rules = changed.rules
    assert "five" in rules[rule_ids.MODEL_UNKNOWN].summary and NEW_MODEL in rules[rule_ids.MODEL_UNKNOWN].details
    assert f"from 3 to {LONGEST}" in rules[rule_ids.DURATION_RANGE].summary
    assert str(LONGEST_PROMPT) in rules[rule_ids.PROMPT_TOO_LONG].summary
    assert NEW_RATIO in rules[rule_ids.ASPECT_RATIO_UNKNOWN].summary
    assert f"more than {MOST_SHOTS} shots" in rules[rule_ids.MULTI_PROMPT_SIZE].summary
    assert kling_lint.RULES[rule_ids.DURATION_RANGE].summary != rules[rule_ids.DURATION_RANGE].summary


def test_field_answers_follow_the_schema(changed: Contract) -> None:
    assert changed.allowed(("model",))[-1] == NEW_MODEL
    assert changed.field(("duration",)).maximum == LONGEST
    assert changed.field(("extra_body", "multi_prompt")).max_items == MOST_SHOTS
    assert changed.field(("extra_body", "multi_prompt", "*", "prompt")).max_length == changed.field(("extra_body", "multi_prompt", 3, "prompt")).max_length


def test_every_documented_value_is_read_from_the_schema() -> None:
    for contract in (default_contract(), Contract(changed_schema())):
        for rule in contract.rules.values():
            assert not re.search(r"\{[\w.*$]+:[\w-]+\}", rule.doc), (rule.id, rule.doc)  # every placeholder filled


@given(st.one_of(valid_requests(), broken_requests().map(lambda b: b.request), fuzzy_requests(), json_values))
def test_a_changed_contract_agrees_with_jsonschema_and_with_itself(value: Any) -> None:
    contract = _changed()
    reference = _changed_reference()
    assert contract.conforms(value) == (not contract.violations(value)) == reference.is_valid(value)
    assert sorted(map(repr, contract.check(value))) == sorted(map(repr, contract.check(value, explain_always=True)))


_CACHE: dict[str, Any] = {}


def _changed() -> Contract:
    return _CACHE.setdefault("contract", Contract(changed_schema()))


def _changed_reference() -> Any:
    return _CACHE.setdefault("reference", jsonschema.Draft202012Validator(changed_schema()))


# ---------------------------------------------------------------- the schema's own coherence


@pytest.mark.parametrize("schema", [load_schema(), changed_schema()], ids=["packaged", "changed"])
def test_a_numeric_string_pattern_states_the_same_range_as_the_number(schema: dict[str, Any]) -> None:
    contract = Contract(schema)
    for path in (("duration",), ("extra_body", "multi_prompt", "*", "duration")):
        whole, text = contract.field(path).get("anyOf")
        pattern = re.compile(text["pattern"])
        for number in range(0, 200):
            in_range = whole.get("minimum", 0) <= number <= whole.get("maximum", float("inf"))
            assert bool(pattern.search(str(number))) == in_range, (path, number)


def test_defaults_are_the_schema_default_keywords() -> None:
    fields = load_schema()["properties"]
    expected = {(name,): sub["default"] for name, sub in fields.items() if "default" in sub}
    assert default_contract().defaults() == expected and len(expected) >= 2


def test_the_schema_stays_a_valid_draft_2020_12_schema_with_its_annotations() -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema())
    assert jsonschema.Draft202012Validator(load_schema()).is_valid(request())


# ---------------------------------------------------------------- state, severities, no silent pass


def test_clearing_the_schema_cache_breaks_nothing() -> None:
    before = kling_lint.lint(request(duration=99))
    load_schema.cache_clear()
    assert kling_lint.lint(request(duration=99)) == before
    assert Contract().check(request(duration=99))


def test_severities_are_overridden_without_editing_the_table() -> None:
    value = request(image="https://example.com/a.png", aspect_ratio="16:9")
    strict = default_contract().with_severities({rule_ids.ASPECT_RATIO_IGNORED: "error"})
    [finding] = kling_lint.lint(value, contract=strict)
    assert finding.severity is Severity.ERROR and strict.rules[rule_ids.ASPECT_RATIO_IGNORED].severity is Severity.ERROR
    [finding] = kling_lint.lint(value)
    assert finding.severity is Severity.WARNING and kling_lint.RULES[rule_ids.ASPECT_RATIO_IGNORED].severity is Severity.WARNING
    assert Contract(severities={rule_ids.ASPECT_RATIO_IGNORED: Severity.ERROR}).severity(rule_ids.ASPECT_RATIO_IGNORED) is Severity.ERROR
    with pytest.raises(ValueError, match="no rule 'no-such-rule'"):
        default_contract().with_severities({"no-such-rule": "error"})
    with pytest.raises(ValueError):
        default_contract().with_severities({rule_ids.ASPECT_RATIO_IGNORED: "fatal"})


def test_a_disagreement_between_check_and_explanation_is_a_finding() -> None:
    contract = Contract()
    contract.compiled.conforms = lambda value: False  # type: ignore[method-assign]  # a check that wrongly fails
    assert [p.rule for p in contract.check(request())] == [rule_ids.INTERNAL_CONSISTENCY]
    contract = Contract()
    contract.compiled.iter_violations = lambda value: iter(())  # type: ignore[method-assign]  # an explanation that finds nothing
    assert rule_ids.INTERNAL_CONSISTENCY in [p.rule for p in contract.check(request(duration=99))]


def test_docs_contract_md_is_generated_from_the_schema_and_the_rule_table() -> None:
    import pathlib
    import subprocess
    import sys

    root = pathlib.Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "scripts/contract_doc.py", "--check"], cwd=root)
    assert result.returncode == 0, "run: python scripts/contract_doc.py"


def test_workers_check_against_the_contract_they_are_given(tmp_path: Any, changed: Contract) -> None:
    from kling_lint import parallel

    paths = []
    for number in range(parallel.CHUNK + 2):  # enough for a second process
        path = tmp_path / f"{number}.json"
        path.write_text(json.dumps(request(duration=LONGEST, aspect_ratio=NEW_RATIO)))
        paths.append(str(path))
    assert all(not result.findings for result in kling_lint.lint_paths(paths, jobs=2, contract=changed))
    assert all(result.findings for result in kling_lint.lint_paths(paths, jobs=2))

"""`kling-lint rules ID` (and `explain ID`): every rule of the table has its four parts, and its
examples do what they say: the failing one fires the rule, the fixed one does not.

The test iterates over the rule table itself, so a rule added later fails here until it has a
"Why it matters:" paragraph in its docstring and an examples/invalid/<rule>.<ext> file with a
fixed twin at examples/fixed/<the same name> (or, for a rule no request can show, a worded
<rule>.md in both folders).
"""

from __future__ import annotations

import fnmatch
import json
import pathlib
import tomllib

import pytest
from click.testing import CliRunner
from test_images_fetch import ImageServer, check
from test_images_fetch import server as server  # the fixture: a local image server on 127.0.0.1

import kling_lint
from kling_lint import rule_docs, rule_ids
from kling_lint.cli import main

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RULE_IDS = list(kling_lint.RULES)  # the table's order; every rule, including ones merged later
# The rules no request file can show: a file that is not there, a findings cap, kling-lint's
# check on itself. They get a worded example.
WORDED = {rule_ids.UNREADABLE, rule_ids.TOO_MANY_FINDINGS, rule_ids.INTERNAL_CONSISTENCY}
FETCH_FOLDER = "invalid/fetch/"  # examples only --fetch-images shows: their URLs' host is played by a local server
FETCH_HOST = "https://frames.example.com/"
SECTIONS = ("What it finds", "Why it matters", "Example (examples/invalid/", "Fixed (examples/fixed/", "Switch it off")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def doc(rule_id: str) -> rule_docs.RuleDoc:
    return rule_docs.document(kling_lint.RULES[rule_id])


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_has_the_four_parts(rule_id: str) -> None:
    found = doc(rule_id)
    assert found.what.startswith(found.summary) and found.summary.endswith(".")
    assert len(found.why.split()) >= 8, f"{rule_id}: write a 'Why it matters:' paragraph in its docstring"
    assert found.why != found.summary and found.why not in found.what
    assert found.failing is not None and found.fixed is not None, f"{rule_id}: no examples/invalid file with a twin in examples/fixed"
    assert found.failing.text.strip() and found.fixed.text.strip() and found.failing.text != found.fixed.text
    assert found.failing.worded == found.fixed.worded == (rule_id in WORDED)
    switch = found.switch_off
    assert (switch.config is None) != (switch.config_why_not is None) and (switch.inline is None) != (switch.inline_why_not is None)
    text = run("rules", rule_id).output
    positions = [text.find(section) for section in SECTIONS]
    assert -1 not in positions and positions == sorted(positions), (rule_id, positions)
    assert text.startswith(f"{rule_id} ({kling_lint.RULES[rule_id].severity.value})\n")
    assert found.why.split()[-1] in text  # the why is printed, not only held


def _fetched(rule_id: str) -> bool:
    """Whether the rule's example is one only --fetch-images shows (examples/invalid/fetch/)."""
    pair = rule_docs.example_pair(rule_id, str(EXAMPLES))
    return pair is not None and pair[0].startswith(FETCH_FOLDER)


def _examples_with_requests(fetched: bool) -> list[str]:
    return [rule_id for rule_id in RULE_IDS if rule_id not in WORDED and _fetched(rule_id) == fetched]


def _pair(rule_id: str) -> tuple[str, str]:
    pair = rule_docs.example_pair(rule_id, str(EXAMPLES))
    assert pair is not None, rule_id
    assert not pair[0].endswith(rule_docs.WORDED), f"{rule_id} can be shown by a request: give it a request example"
    return pair


@pytest.mark.parametrize("rule_id", _examples_with_requests(fetched=False))
def test_the_failing_example_fires_the_rule_and_the_fixed_one_does_not(rule_id: str) -> None:
    failing, fixed = (str(EXAMPLES / relative) for relative in _pair(rule_id))
    assert rule_id in {finding.rule for finding in kling_lint.lint_file(failing)}
    assert rule_id not in {finding.rule for finding in kling_lint.lint_file(fixed)}


@pytest.mark.parametrize("rule_id", _examples_with_requests(fetched=True))
def test_a_fetch_example_fires_with_fetch_images_and_its_fixed_twin_does_not(server: ImageServer, tmp_path: pathlib.Path, rule_id: str) -> None:
    """The fetch examples' host is played by tests/test_images_fetch.py's server on 127.0.0.1."""
    rules = []
    for relative in _pair(rule_id):
        text = (EXAMPLES / relative).read_text(encoding="utf-8")
        assert FETCH_HOST in text, relative
        copy = tmp_path / relative.replace("/", "-")
        copy.write_text(text.replace(FETCH_HOST, server.base + "/"), encoding="utf-8")
        rules.append({diagnostic["rule"] for diagnostic in check(copy)[1]})
    assert rule_id in rules[0] and rule_id not in rules[1], rules
    assert rules[1] == set(), "a fixed request has no finding at all, fetched too"


def test_the_fixed_twins_are_documented_and_a_fixed_request_has_no_finding_at_all() -> None:
    for path in (EXAMPLES / "fixed").rglob("*"):
        if not path.is_file():
            continue
        rule_id = path.name.split(".", 1)[0]
        assert rule_id in kling_lint.RULES, f"{path.name} is not named after a rule"
        assert (EXAMPLES / "invalid" / path.relative_to(EXAMPLES / "fixed")).is_file(), f"{path.name} has no failing twin"
        if path.suffix != rule_docs.WORDED:  # a docs example shows the fix alone, no other warning
            assert kling_lint.lint_file(str(path)) == [], path.name


def test_the_example_lines_for_tests_are_not_shown() -> None:
    text = run("rules", rule_ids.DUPLICATE_KEY).output
    assert "# expect:" in (EXAMPLES / "invalid" / "duplicate-key.yaml").read_text(encoding="utf-8")
    assert "# expect:" not in text and "cfg_scale: 0.8" in text


def test_a_token_in_an_example_is_masked() -> None:
    source = (EXAMPLES / "invalid" / "secret-in-request.yaml").read_text(encoding="utf-8")
    token = next(word for word in source.replace("=", " ").split() if word.startswith("sk-"))
    for output in (run("rules", rule_ids.SECRET_IN_REQUEST).output, run("rules", "--format", "json").output):
        assert token not in output and "sk-****" in output


def test_a_long_line_is_shown_cut_with_its_length() -> None:
    text = run("rules", rule_ids.PROMPT_TOO_LONG).output
    assert max(len(line) for line in text.splitlines()) <= rule_docs.LONGEST_LINE + 4
    assert "characters in all)" in text


def test_switching_off_names_the_config_line_and_the_comment() -> None:
    text = run("rules", rule_ids.DURATION_RANGE).output
    assert f'ignore = ["{rule_ids.DURATION_RANGE}"]' in text and "[tool.kling-lint]" in text
    assert f"# kling-lint: disable={rule_ids.DURATION_RANGE}" in text
    secret = run("rules", rule_ids.SECRET_IN_REQUEST).output
    assert "disable=" not in secret and "cannot silence it" in secret and f'ignore = ["{rule_ids.SECRET_IN_REQUEST}"]' in secret
    syntax = run("rules", rule_ids.SYNTAX).output
    assert "ignore = " not in syntax and "disable=" not in syntax


def test_explain_is_rules_with_an_id() -> None:
    for rule_id in (rule_ids.UNKNOWN_KEY, rule_ids.UNREADABLE):
        assert run("explain", rule_id).output == run("rules", rule_id).output
        assert run("explain", rule_id, "--format", "json").output == run("rules", rule_id, "--format", "json").output


def test_an_unknown_rule_is_a_clear_error() -> None:
    for command in ("rules", "explain"):
        result = CliRunner().invoke(main, [command, "no-such-rule"])
        assert result.exit_code == 2 and "no rule 'no-such-rule'" in result.output and "Traceback" not in result.output


def test_rules_format_json_gives_every_part_of_every_rule() -> None:
    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    documents = json.loads(result.output)
    assert [entry["id"] for entry in documents] == RULE_IDS
    for entry in documents:
        assert entry["summary"] and entry["why"] and entry["severity"] in ("error", "warning")
        failing, fixed = entry["example"]["failing"], entry["example"]["fixed"]
        assert failing["file"].startswith("examples/invalid/") and fixed["file"].startswith("examples/fixed/")
        on_disk = (ROOT / fixed["file"]).read_text(encoding="utf-8")
        assert fixed["text"] == on_disk  # a fixed example is shown as it is
        assert set(entry["switch_off"]) == {"config", "config_why_not", "inline", "inline_why_not"}
    one = json.loads(run("rules", rule_ids.SHOT_INDEX, "--format", "json").output)
    assert one == documents[RULE_IDS.index(rule_ids.SHOT_INDEX)]


def test_the_why_follows_the_schema() -> None:
    """Values in the docs are read from the schema: a contract with other limits says other words."""
    import copy

    from kling_lint.contract import Contract, default_contract

    schema = copy.deepcopy(default_contract().schema)
    shots = schema["properties"]["extra_body"]["properties"]["multi_prompt"]
    shots["maxItems"] = 41
    rule = Contract(schema).rules[rule_ids.MULTI_PROMPT_SIZE]
    assert "most 41;" in rule_docs.document(rule).why


def test_every_example_the_docs_use_is_installed_with_the_package() -> None:
    """pyproject.toml's package data for kling_lint.examples covers every documented example
    (tests/test_precommit_hook.py compares a real install's `rules --format json` with this one)."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert setuptools["package-dir"]["kling_lint.examples"] == "examples"
    assert "kling_lint.examples" in setuptools["packages"]
    patterns = setuptools["package-data"]["kling_lint.examples"]
    for rule_id in RULE_IDS:
        for relative in rule_docs.example_pair(rule_id, str(EXAMPLES)) or ():
            # setuptools' "**/" matches no folder too
            assert any(fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.replace("**/", "")) for pattern in patterns), relative


def test_the_lists_of_rules_that_cannot_be_switched_off_agree_with_the_configuration() -> None:
    """The configuration and the suppressions (config.py, suppress.py) hold their own lists."""
    config = pytest.importorskip("kling_lint.config")
    suppress = pytest.importorskip("kling_lint.suppress")
    assert set(rule_docs.NOT_CONFIGURABLE) == set(config.FIXED_RULES)
    assert set(rule_docs.NOT_SILENCEABLE) == set(suppress.NEVER_SILENCED)

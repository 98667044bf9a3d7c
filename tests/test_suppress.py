"""Suppressions in YAML comments: every form, and the unused-suppression warning for each way a
suppression can silence nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import kling_lint
from kling_lint.cli import main
from kling_lint.suppress import MARKER, NEVER_SILENCED, read_directives

from strategies import Broken, broken_requests, yaml_text

INVALID = Path(__file__).resolve().parent.parent / "examples" / "invalid"

# Three findings on three lines: model-unknown (2), duration-range (4), cfg-scale-range (6).
BASE = """\
model: kling-v3-standard-silent
prompt: A paper boat drifts down a rain-filled gutter.
duration: 20
extra_body:
  cfg_scale: 3
"""


def _found(text: str, name: str = "r.yaml") -> set[tuple[int, str]]:
    return {(f.line, f.rule) for f in kling_lint.lint_text(text, name)}


def _unused(text: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in kling_lint.lint_text(text, "r.yaml") if f.rule == "unused-suppression"]


def test_the_base_file_has_its_three_findings() -> None:
    assert _found(BASE) == {(1, "model-unknown"), (3, "duration-range"), (5, "cfg-scale-range")}


def test_at_the_end_of_a_line_a_suppression_silences_that_line() -> None:
    text = BASE.replace("duration: 20", "duration: 20  # kling-lint: disable=duration-range")
    assert _found(text) == {(1, "model-unknown"), (5, "cfg-scale-range")}


def test_a_suppression_silences_only_the_rules_it_names() -> None:
    text = BASE.replace("duration: 20", "duration: 20  # kling-lint: disable=model-unknown")
    assert (3, "duration-range") in _found(text)
    assert [message for _, _, message in _unused(text)] == [
        "disable=model-unknown silences nothing: there is no model-unknown finding on line 3"]


def test_alone_on_a_line_a_suppression_silences_the_next_line_with_content() -> None:
    text = BASE.replace("duration: 20", "# kling-lint: disable=duration-range\n\n# a remark\nduration: 20")
    assert _found(text) == {(1, "model-unknown"), (8, "cfg-scale-range")}
    # ...and only that line: the same rule further down is still reported.
    text = "# kling-lint: disable=duration-range\nmodel: kling-v3-std-silent\nprompt: x\nduration: 20\n"
    assert (4, "duration-range") in _found(text)
    assert _unused(text) == [(1, 23, "disable=duration-range silences nothing: there is no duration-range finding on line 2")]


def test_one_comment_names_several_rules() -> None:
    flow = "{model: kling-v3-standard-silent, prompt: x, duration: 20}  # kling-lint: disable=model-unknown, duration-range\n"
    assert _found(flow) == set()


def test_suppressions_on_their_own_lines_stack_onto_the_same_line() -> None:
    text = ("# kling-lint: disable=model-unknown\n# kling-lint: disable=duration-range\n"
            "{model: kling-v3-standard-silent, prompt: x, duration: 20}\n")
    assert _found(text) == set()


def test_disable_file_silences_the_rule_everywhere_in_the_file() -> None:
    text = "# kling-lint: disable-file=duration-range\n" + BASE + "---\n" + BASE
    assert {rule for _, rule in _found(text)} == {"model-unknown", "cfg-scale-range"}
    assert len(_found(text)) == 4


def test_disable_file_works_from_anywhere_in_the_file() -> None:
    assert {rule for _, rule in _found(BASE + "# kling-lint: disable-file=cfg-scale-range,model-unknown\n")} == {"duration-range"}


def test_an_unused_suppression_is_a_warning_pointing_at_its_rule_id() -> None:
    text = BASE.replace("prompt: A paper", "prompt: A paper").replace("extra_body:", "extra_body:  # kling-lint: disable=shot-index")
    (finding,) = [f for f in kling_lint.lint_text(text, "r.yaml") if f.rule == "unused-suppression"]
    assert finding.severity is kling_lint.Severity.WARNING
    line = text.splitlines()[3]
    assert (finding.line, finding.column, finding.end_column) == (4, line.index("shot-index") + 1, line.index("shot-index") + 1 + len("shot-index"))
    assert finding.hint == "remove shot-index from the comment"
    assert finding.snippet == line


def test_an_unused_disable_file_is_reported_too() -> None:
    assert _unused("# kling-lint: disable-file=image-base64\n" + BASE) == [
        (1, 28, "disable-file=image-base64 silences nothing: there is no image-base64 finding in this file")]


def test_an_unknown_rule_id_is_reported_with_a_guess() -> None:
    text = BASE.replace("duration: 20", "duration: 20  # kling-lint: disable=duraton-range")
    (finding,) = [f for f in kling_lint.lint_text(text, "r.yaml") if f.rule == "unused-suppression"]
    assert finding.message == 'disable=duraton-range names no rule: there is no rule "duraton-range"'
    assert finding.hint == "did you mean duration-range?"
    assert (3, "duration-range") in _found(text)


def test_a_secret_can_never_be_silenced_in_the_file() -> None:
    source = (INVALID / "secret-in-request.yaml").read_text(encoding="utf-8")
    before = [f for f in kling_lint.lint_text(source, "s.yaml") if f.rule == "secret-in-request"]
    assert before
    for form in ("disable", "disable-file"):
        lines = source.splitlines()
        lines[before[0].line - 1] += f"  # kling-lint: {form}=secret-in-request"
        findings = kling_lint.lint_text("\n".join(lines) + "\n", "s.yaml")
        assert [(f.line, f.column) for f in findings if f.rule == "secret-in-request"] == [(f.line, f.column) for f in before]
        (unused,) = [f for f in findings if f.rule == "unused-suppression"]
        assert unused.message == f"{form}=secret-in-request is not allowed"
        assert "$KLING_API_KEY" in unused.hint


@pytest.mark.parametrize("comment", ["# kling-lint: disabel=duration-range", "# kling-lint: disable duration-range",
                                     "# kling-lint: disable=", "# kling-lint: disable=duration-range,", "# kling-lint:"])
def test_a_kling_lint_comment_of_another_form_is_reported(comment: str) -> None:
    text = BASE.replace("duration: 20", f"duration: 20  {comment}")
    assert (3, "duration-range") in _found(text)
    (unused,) = _unused(text)
    assert unused == (3, 15, "this kling-lint comment is not a suppression")


def test_ordinary_comments_and_a_reason_after_the_ids_are_fine() -> None:
    text = BASE.replace("duration: 20", "duration: 20  # kling-lint: disable=duration-range  the gateway clamps it")
    text = "# see the kling-lint: docs\n" + text
    assert _found(text) == {(2, "model-unknown"), (6, "cfg-scale-range")}


def test_unused_suppression_warnings_can_be_silenced_themselves() -> None:
    text = "# kling-lint: disable-file=unused-suppression\n" + BASE.replace("duration: 20", "duration: 20  # kling-lint: disable=shot-index")
    assert {rule for _, rule in _found(text)} == {"model-unknown", "duration-range", "cfg-scale-range"}
    assert _unused(text) == []


@pytest.mark.parametrize("text", [
    # A "#" inside a quoted scalar, single or double, on one line or running over several.
    '{model: kling-v3-std-silent, prompt: "a # kling-lint: disable=duration-range", duration: 20}\n',
    "{model: kling-v3-std-silent, prompt: 'it''s # kling-lint: disable=duration-range', duration: 20}\n",
    'model: kling-v3-std-silent\nprompt: "a long\n  # kling-lint: disable=duration-range\n  prompt"\nduration: 20\n',
    'model: kling-v3-std-silent\nprompt: "say \\" # kling-lint: disable=duration-range"\nduration: 20\n',
    # A block scalar's lines.
    "model: kling-v3-std-silent\nprompt: |\n  # kling-lint: disable-file=duration-range\n  a boat\nduration: 20\n",
    "model: kling-v3-std-silent\nextra_body:\n  multi_prompt:\n    - prompt: >-\n        # kling-lint: disable-file=duration-range\n      duration: 2\nduration: 20\n",
    # No space before the "#": part of a plain scalar.
    "model: kling-v3-std-silent\nprompt: a#kling-lint:disable-file=duration-range\nduration: 20\n",
])
def test_a_hash_inside_a_value_is_not_a_comment(text: str) -> None:
    assert "duration-range" in {rule for _, rule in _found(text)}
    assert _unused(text) == []


def test_comments_after_a_quoted_or_block_value_are_read() -> None:
    text = 'model: kling-v3-standard-silent  # kling-lint: disable=model-unknown\nprompt: "a # b"  # kling-lint: disable=prompt-empty\n'
    assert _unused(text) == [(2, text.splitlines()[1].index("prompt-empty") + 1, "disable=prompt-empty silences nothing: there is no prompt-empty finding on line 2")]
    block = "model: kling-v3-std-silent\nprompt: |\n  a boat\nduration: 20  # kling-lint: disable=duration-range\n"
    assert _found(block) == set()
    nested = ("model: kling-v3-std-silent\nduration: 3\nextra_body:\n  multi_prompt:\n    - prompt: |\n        a boat\n"
              "      duration: 20  # kling-lint: disable=shot-duration\n")
    assert _unused(nested) == [(7, nested.splitlines()[6].index("shot-duration") + 1, "disable=shot-duration silences nothing: there is no shot-duration finding on line 7")]


def test_json_has_no_comments_a_string_that_looks_like_one_silences_nothing() -> None:
    text = json.dumps({"model": "kling-v3-std-silent", "prompt": "# kling-lint: disable-file=duration-range", "duration": 20})
    assert (1, "duration-range") in _found(text, "r.json")


def test_a_file_that_cannot_be_read_reports_its_syntax_error_alone() -> None:
    text = "# kling-lint: disable=syntax\nmodel: [unclosed\n"
    assert {rule for _, rule in _found(text)} == {"syntax"}


def test_the_engine_looks_for_the_marker_it_names() -> None:
    import inspect

    from kling_lint import engine

    assert f'"{MARKER}" in loaded.text' in inspect.getsource(engine.lint_bytes)


def test_directives_know_where_they_are_and_what_they_silence() -> None:
    text = "# kling-lint: disable-file=a\nx: 1\n\n  # kling-lint: disable=b,c\ny: 2  # kling-lint: disable=d\n# kling-lint: disable=e\n"
    directives, problems = read_directives(text)
    assert problems == []
    assert [(d.line, d.target, d.rules) for d in directives] == [
        (1, None, (("a", 28),)),
        (4, 5, (("b", 25), ("c", 27))),
        (5, 5, (("d", 29),)),
        (6, -1, (("e", 23),)),  # nothing follows: it silences nothing
    ]


def test_configuration_and_suppressions_work_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    request = tmp_path / "r.yaml"
    request.write_text(BASE.replace("duration: 20", "duration: 20  # kling-lint: disable=duration-range, shot-index"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".kling-lint.toml").write_text('ignore = ["unused-suppression"]\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(request)])
    assert {d["rule"] for d in json.loads(result.stdout)["diagnostics"]} == {"model-unknown", "cfg-scale-range"}
    result = CliRunner().invoke(main, ["check", "--format", "json", "--isolated", str(request)])
    assert {d["rule"] for d in json.loads(result.stdout)["diagnostics"]} == {"model-unknown", "cfg-scale-range", "unused-suppression"}


# ---------------------------------------------------------------- laws, on generated requests
# yaml_text writes every string double-quoted with its "#", quotes and backslashes, so these also
# hold the comment scan to YAML's reading of quoted scalars.


def _with_comments(text: str, rules_by_line: dict[int, list[str]]) -> str:
    lines = text.split("\n")
    for line, rules in rules_by_line.items():
        lines[line - 1] += f"  # kling-lint: disable={','.join(rules)}"
    return "\n".join(lines)


def _placed(findings) -> set[tuple[int | None, int | None, str, str]]:
    return {(f.line, f.column, f.rule, f.json_path) for f in findings}


@given(broken_requests())
def test_a_comment_naming_each_finding_on_its_line_silences_exactly_those(broken: Broken) -> None:
    text = yaml_text(broken.request)
    findings = kling_lint.lint_text(text, "r.yaml")
    rules_by_line: dict[int, list[str]] = {}
    for finding in findings:
        if finding.rule not in NEVER_SILENCED and finding.rule not in rules_by_line.get(finding.line, []):
            rules_by_line.setdefault(finding.line, []).append(finding.rule)
    after = kling_lint.lint_text(_with_comments(text, rules_by_line), "r.yaml")
    assert _placed(after) == _placed(f for f in findings if f.rule in NEVER_SILENCED)


@given(broken_requests(), st.data())
def test_a_comment_naming_a_rule_absent_from_its_line_silences_nothing_and_says_so(broken: Broken, data: st.DataObject) -> None:
    text = yaml_text(broken.request)
    findings = kling_lint.lint_text(text, "r.yaml")
    line = data.draw(st.integers(1, text.count("\n")), label="line")
    absent = sorted(set(kling_lint.RULES) - {f.rule for f in findings if f.line == line} - set(NEVER_SILENCED) - {"unused-suppression"})
    rule = data.draw(st.sampled_from(absent), label="rule")
    after = kling_lint.lint_text(_with_comments(text, {line: [rule]}), "r.yaml")
    unused = [f for f in after if f.rule == "unused-suppression"]
    assert [(f.line, f.message) for f in unused] == [(line, f"disable={rule} silences nothing: there is no {rule} finding on line {line}")]
    assert _placed(f for f in after if f.rule != "unused-suppression") == _placed(findings)

"""``check --fix``, ``--unsafe-fixes`` and ``--diff`` on real files: the examples' golden fixed
texts, how fixes are reported, and safe writing (a file changed meanwhile, a read-only file, a
symbolic link, a write or a fix that fails: each reported, nothing lost).

``UPDATE_GOLDEN=1 pytest tests/test_fix.py`` rewrites tests/golden/fixed/ from the tool's output.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import kling_lint.fix as fix_module
from kling_lint import edits, rule_ids
from kling_lint.cli import main
from kling_lint.contract.suggest import only_closest
from kling_lint.engine import lint_bytes
from kling_lint.findings import SAFE, Edit, Fix
from kling_lint.fix import apply_fixes, fix_bytes

ROOT = Path(__file__).resolve().parents[1]
INVALID = ROOT / "examples" / "invalid"
GOLDEN = Path(__file__).parent / "golden" / "fixed"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
REQUEST_FILES = sorted(p for p in INVALID.iterdir() if p.suffix in (".json", ".jsonl", ".yaml", ".yml"))


def _fixable(path: Path) -> list:
    return [f for f in lint_bytes(path.read_bytes(), str(path)) if f.fix is not None]


FIXABLE_EXAMPLES = [path for path in REQUEST_FILES if _fixable(path)]


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


# ---------------------------------------------------------------- every fixable rule


def test_every_fixable_rule_has_an_example_with_a_golden_fixed_text() -> None:
    fixable_rules = {f.rule for path in FIXABLE_EXAMPLES for f in _fixable(path)}
    assert fixable_rules >= {rule_ids.YAML11_AMBIGUOUS, rule_ids.DURATION_AS_STRING, rule_ids.SHOT_TYPE_UNKNOWN,
                             rule_ids.SHOT_INDEX, rule_ids.MODEL_UNKNOWN, rule_ids.UNKNOWN_KEY}
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(p.name for p in FIXABLE_EXAMPLES) or UPDATE


@pytest.mark.parametrize("path", FIXABLE_EXAMPLES, ids=lambda p: p.name)
def test_an_example_fixed_is_its_golden_text_and_clean_of_its_rules(path: Path) -> None:
    data = path.read_bytes()
    fixed_rules = {f.rule for f in _fixable(path)}
    outcome = fix_bytes(data, path.name, unsafe=True)
    golden = GOLDEN / path.name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_bytes(outcome.data)
    assert outcome.data == golden.read_bytes()
    assert outcome.data != data and outcome.note is None
    left = lint_bytes(golden.read_bytes(), path.name)
    assert not [f for f in left if f.fix is not None]
    assert not {f.rule for f in left} & fixed_rules
    for finding in lint_bytes(data, path.name):  # every finding with a fix is gone
        if finding.fix is not None:
            assert (finding.rule, finding.json_path) not in {(f.rule, f.json_path) for f in left}
    assert fix_bytes(outcome.data, path.name, unsafe=True).data == outcome.data  # nothing more to do


def test_safe_fixes_only_without_unsafe_fixes() -> None:
    model = INVALID / "model-unknown.yaml"
    assert fix_bytes(model.read_bytes(), model.name).data == model.read_bytes()
    shot_type = INVALID / "shot-type-unknown.json"
    fixed = fix_bytes(shot_type.read_bytes(), shot_type.name).data
    assert b'"shot_type": "intelligent"' in fixed


def test_no_fix_when_two_candidates_are_equally_close() -> None:
    assert only_closest("kling-v3-std", ("kling-v3-std-silent", "kling-v3-std-audio")) is None
    finding = next(f for f in lint_bytes(b'{"model": "kling-v3-std", "prompt": "a"}', "r.json") if f.rule == rule_ids.MODEL_UNKNOWN)
    assert finding.fix is None and finding.hint  # the hint still guesses; the fix does not


def test_a_key_already_in_the_target_object_is_not_moved() -> None:
    data = b'{"model": "kling-v3-std-silent", "prompt": "a", "negative_prompt": "x", "extra_body": {"negative_prompt": "y"}}'
    finding = next(f for f in lint_bytes(data, "r.json") if f.rule == rule_ids.UNKNOWN_KEY)
    assert finding.fix is None


def test_a_move_into_an_existing_object_in_block_yaml_keeps_comments_and_crlf() -> None:
    text = ("model: kling-v3-std-silent\r\nnegative_prompt: blur  # soft\r\nprompt: a lighthouse\r\n"
            "extra_body:\r\n  # the scale\r\n  cfg_scale: 0.5\r\n")
    fixed = fix_bytes(text.encode(), "r.yaml", unsafe=True).data.decode()
    assert fixed == ("model: kling-v3-std-silent\r\nprompt: a lighthouse\r\n"
                     "extra_body:\r\n  # the scale\r\n  negative_prompt: blur  # soft\r\n  cfg_scale: 0.5\r\n")


# ---------------------------------------------------------------- reporting


def test_json_sarif_and_text_report_the_fix() -> None:
    path = str(INVALID / "duration-as-string.json")
    document = json.loads(invoke("check", "--format", "json", path).output)
    fix = document["diagnostics"][0]["fix"]
    assert fix["applicability"] == "safe" and fix["message"]
    data = (INVALID / "duration-as-string.json").read_bytes().decode()
    [edit] = fix["edits"]
    assert data[edit["start"]:edit["end"]] == '"5"' and edit["text"] == "5"
    sarif = json.loads(invoke("check", "--format", "sarif", path).output)
    [replacement] = sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement == {"deletedRegion": {"charOffset": edit["start"], "charLength": 3}, "insertedContent": {"text": "5"}}
    text = invoke("check", "--color", "never", path).output
    assert "warning[duration-as-string] [*] duration is the string" in text
    assert "[*] 1 fixable with --fix" in text
    unsafe = invoke("check", "--color", "never", str(INVALID / "model-unknown.yaml")).output
    assert "[*]" not in unsafe and "1 more with --fix --unsafe-fixes" in unsafe


def test_a_finding_without_a_fix_has_no_fix_key() -> None:
    document = json.loads(invoke("check", "--format", "json", str(INVALID / "duration-range.json")).output)
    assert all("fix" not in d for d in document["diagnostics"])


# ---------------------------------------------------------------- the command


def _copy(tmp_path: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        target = tmp_path / name
        target.write_bytes((INVALID / name).read_bytes())
        out.append(target)
    return out


def test_fix_writes_only_files_with_a_fix_and_keeps_their_mode(tmp_path: Path) -> None:
    fixable, other = _copy(tmp_path, "duration-as-string.json", "duration-range.json")
    fixable.chmod(0o640)
    before_other = os.stat(other)
    result = invoke("check", "--fix", "--color", "never", str(tmp_path))
    assert result.exit_code == 1  # duration-range is left, and is an error
    assert fixable.read_bytes() == (GOLDEN / "duration-as-string.json").read_bytes()
    assert stat.S_IMODE(os.stat(fixable).st_mode) == 0o640
    after_other = os.stat(other)
    assert (after_other.st_ino, after_other.st_mtime_ns) == (before_other.st_ino, before_other.st_mtime_ns)
    assert "fixed 1 finding" in result.output and "duration-as-string" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duration-as-string.json", "duration-range.json"]  # no temporary left


def test_unsafe_fixes_apply_the_guesses_too(tmp_path: Path) -> None:
    [path] = _copy(tmp_path, "unknown-key.json")
    assert invoke("check", "--fix", str(path)).exit_code == 1  # unsafe only: not applied
    assert path.read_bytes() == (INVALID / "unknown-key.json").read_bytes()
    result = invoke("check", "--fix", "--unsafe-fixes", str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == (GOLDEN / "unknown-key.json").read_bytes()


def test_diff_writes_nothing_and_exits_1_when_there_is_something_to_fix(tmp_path: Path) -> None:
    [path] = _copy(tmp_path, "yaml11-ambiguous.yaml")
    before = path.read_bytes()
    result = invoke("check", "--diff", str(path))
    assert result.exit_code == 1
    assert '-aspect_ratio: 16:9\n+aspect_ratio: "16:9"' in result.stdout
    assert path.read_bytes() == before
    path.write_bytes((GOLDEN / "yaml11-ambiguous.yaml").read_bytes())
    clean = invoke("check", "--diff", str(path))
    assert clean.exit_code == 0 and clean.stdout == ""


def test_fix_on_standard_input_writes_the_fixed_text_to_standard_output() -> None:
    data = (INVALID / "shot-index.yaml").read_bytes()
    result = invoke("check", "--fix", "-", input=data)
    assert result.stdout_bytes == (GOLDEN / "shot-index.yaml").read_bytes()
    assert result.exit_code == 0


def test_a_symbolic_link_stays_a_link_and_its_target_is_fixed(tmp_path: Path) -> None:
    [target] = _copy(tmp_path, "duration-as-string.json")
    link = tmp_path / "link.json"
    link.symlink_to(target.name)
    invoke("check", "--fix", str(link))
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_bytes() == (GOLDEN / "duration-as-string.json").read_bytes()


def test_a_read_only_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    [path] = _copy(tmp_path, "duration-as-string.json")
    path.chmod(0o444)
    result = CliRunner().invoke(main, ["check", "--fix", str(path)])
    assert result.exit_code == 2
    assert "not fixed: the file is read-only" in result.stderr
    assert path.read_bytes() == (INVALID / "duration-as-string.json").read_bytes()
    assert "duration-as-string" in result.stdout  # the finding is still reported


def test_a_file_changed_between_read_and_write_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [path] = _copy(tmp_path, "duration-as-string.json")
    real_fix_bytes = fix_module.fix_bytes
    edited = b'{"model": "kling-v3-std-silent", "prompt": "someone else wrote this", "duration": "5"}'

    def meanwhile(*args, **kwargs):
        outcome = real_fix_bytes(*args, **kwargs)
        path.write_bytes(edited)  # another program saves the file while kling-lint works
        return outcome

    monkeypatch.setattr(fix_module, "fix_bytes", meanwhile)
    result = CliRunner().invoke(main, ["check", "--fix", str(path)])
    assert result.exit_code == 2
    assert "changed on disk since it was read" in result.stderr
    assert path.read_bytes() == edited


def test_a_write_that_fails_loses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [path] = _copy(tmp_path, "duration-as-string.json")

    def refuse(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fix_module.os, "replace", refuse)
    result = CliRunner().invoke(main, ["check", "--fix", str(path)])
    assert result.exit_code == 2 and "no space left on device" in result.stderr
    assert path.read_bytes() == (INVALID / "duration-as-string.json").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["duration-as-string.json"]


def test_a_fix_that_would_break_the_file_is_not_applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    [path] = _copy(tmp_path, "duration-as-string.json")
    monkeypatch.setattr(edits, "render", lambda value, written: '"5')  # a broken fix: an open string
    result = CliRunner().invoke(main, ["check", "--fix", str(path)])
    assert "please report this file" in result.stderr
    assert path.read_bytes() == (INVALID / "duration-as-string.json").read_bytes()
    assert "duration-as-string" in result.stdout  # still reported, as a warning (exit 0)
    assert result.exit_code == 0


def test_a_fix_that_adds_a_finding_is_not_applied() -> None:
    data = b'{"model": "kling-v3-std-silent", "prompt": "a", "duration": "5"}'
    broken = Fix(SAFE, (Edit(0, 1, '{"sound": true, '),), "adds an unknown key")
    assert apply_fixes(data.decode(), [broken])[0].startswith('{"sound": true, ')
    outcome = fix_bytes(data, "r.json")
    assert outcome.data == b'{"model": "kling-v3-std-silent", "prompt": "a", "duration": 5}'


def test_overlapping_fixes_wait_for_the_next_round() -> None:
    first = Fix(SAFE, (Edit(0, 3, "abc"),), "one")
    second = Fix(SAFE, (Edit(2, 4, "XY"),), "two")
    text, taken = apply_fixes("0123456", [second, first])
    assert text == "abc3456" and taken == (first,)


# ---------------------------------------------------------------- start-up cost


def _modules_after(args: list[str]) -> set[str]:
    code = (
        "import sys\nfrom kling_lint.run import run_check\n"
        f"run_check({args!r})\nprint(' '.join(sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    return set(out.stdout.split())


def test_check_without_fix_never_imports_the_fix_module() -> None:
    loaded = _modules_after([str(INVALID / "duration-as-string.json")])
    assert "kling_lint.edits" in loaded  # the finding's fix is made: json output lists it
    assert "kling_lint.fix" not in loaded and "tempfile" not in loaded
    valid = _modules_after([str(ROOT / "examples" / "text-to-video.json")])
    assert "kling_lint.edits" not in valid and "kling_lint.fix" not in valid


@pytest.mark.parametrize("text", [
    'model: kling-v3-std-silent\nprompt: a\nduration: &d "5"\n',  # an anchor: an alias may refer to it
    'model: kling-v3-std-silent\nprompt: a\nduration: !!str 5\n',  # a tag says the type on purpose
    'model: kling-v3-std-silent\nprompt: a\nnegative_prompt: >\n  blur\n',  # a block value over lines
])
def test_no_fix_where_the_text_holds_more_than_the_value(text: str) -> None:
    findings = lint_bytes(text.encode(), "r.yaml")
    assert findings and all(f.fix is None for f in findings)


@pytest.mark.parametrize(("text", "fixed"), [
    ('{\n  "model": "m",\n  "negative_prompt": "blur",\n  "extra_body": {\n    "cfg_scale": 0.5\n  }\n}\n',
     '{\n  "model": "m",\n  "extra_body": {\n    "negative_prompt": "blur",\n    "cfg_scale": 0.5\n  }\n}\n'),
    ('{"model": "m", "extra_body": {}, "negative_prompt": "blur"}', '{"model": "m", "extra_body": {"negative_prompt": "blur"}}'),
    ('model: m\nnegative_prompt: blur\n', 'model: m\nextra_body:\n  negative_prompt: blur\n'),
])
def test_a_key_moves_into_its_object_in_the_file_s_own_style(text: str, fixed: str) -> None:
    name = "r.json" if text.startswith("{") else "r.yaml"
    finding = next(f for f in lint_bytes(text.encode(), name) if f.rule == rule_ids.UNKNOWN_KEY)
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert apply_fixes(text, [finding.fix])[0] == fixed


def test_a_yaml11_number_is_not_quoted() -> None:
    """Quoting 16:9 keeps YAML 1.2's string; quoting 5e-324 would make a number a string."""
    text = b"model: kling-v3-std-silent\nprompt: a\naspect_ratio: 16:9\nextra_body:\n  cfg_scale: 5e-324\n"
    fixes = {f.json_path: f.fix for f in lint_bytes(text, "r.yaml") if f.rule == rule_ids.YAML11_AMBIGUOUS}
    assert fixes["$.aspect_ratio"] is not None and fixes["$.extra_body.cfg_scale"] is None

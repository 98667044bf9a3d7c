"""The files under examples/: the valid requests pass, each invalid one gives exactly what it says.

An invalid example carries its expected findings, written from where the broken key or value
sits in the file: a YAML file in comment lines ``# expect: LINE:COLUMN RULE JSON_PATH``, a
JSON or JSONL file in a sidecar ``<name>.expect`` with the same lines without ``# ``.
Expected means every finding the file produces, warnings included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import kling_lint
from kling_lint.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
INVALID = EXAMPLES / "invalid"
REQUEST_SUFFIXES = {".json", ".jsonl", ".yaml", ".yml"}
EXPECT_LINE = re.compile(r"(\d+):(\d+) (\S+) (\$.*)")

Expected = set[tuple[int, int, str, str]]


def _valid_files() -> list[Path]:
    return sorted(
        path
        for path in EXAMPLES.rglob("*")
        if path.is_file() and path.suffix in REQUEST_SUFFIXES and INVALID not in path.parents
    )


def _invalid_files() -> list[Path]:
    return sorted(path for path in INVALID.iterdir() if path.is_file() and path.suffix in REQUEST_SUFFIXES)


VALID = _valid_files()
INVALID_FILES = _invalid_files()


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(EXAMPLES)) for path in paths]


def _expect_lines(path: Path) -> list[str]:
    if path.suffix in (".yaml", ".yml"):
        text = path.read_text(encoding="utf-8-sig")
        return [line[len("# expect:"):].strip() for line in text.splitlines() if line.startswith("# expect:")]
    sidecar = path.with_name(path.name + ".expect")
    return [line.strip() for line in sidecar.read_text(encoding="utf-8").splitlines() if line.strip()]


def expected(path: Path) -> Expected:
    out: Expected = set()
    for line in _expect_lines(path):
        match = EXPECT_LINE.fullmatch(line)
        assert match, f"{path.name}: malformed expectation {line!r}"
        out.add((int(match[1]), int(match[2]), match[3], match[4]))
    return out


def _tuples(findings) -> Expected:
    return {(f.line, f.column, f.rule, f.json_path) for f in findings}


def _run_cli(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# ---------------------------------------------------------------- the example set itself


def test_the_seed_examples_exist_in_both_formats():
    for name in ("text-to-video", "image-to-video", "first-and-last-frame", "multi-prompt-image-to-video"):
        assert (EXAMPLES / f"{name}.json").is_file(), name
        assert (EXAMPLES / f"{name}.yaml").is_file(), name


def test_there_are_multi_request_examples():
    suffixes = {path.suffix for path in VALID}
    assert ".jsonl" in suffixes
    multi = [path for path in VALID if path.suffix in (".yaml", ".yml") and "\n---" in path.read_text(encoding="utf-8")]
    assert multi, "no multi-document YAML example"


def _read_yaml(path: Path) -> list:
    from ruamel.yaml import YAML

    return list(YAML(typ="safe", pure=True).load_all(path.read_text(encoding="utf-8")))


def test_json_and_yaml_seed_examples_are_the_same_request():
    for json_path in EXAMPLES.glob("*.json"):
        yaml_path = json_path.with_suffix(".yaml")
        if yaml_path.exists():
            assert _read_yaml(yaml_path) == [json.loads(json_path.read_text(encoding="utf-8"))], json_path.name


# The seed's values (its prompts were lost, so they are not compared).
SEED = {
    "text-to-video": {"model": "kling-v3-std-silent", "aspect_ratio": "16:9", "duration": 5,
                      "extra_body": {"cfg_scale": 0.5, "shot_type": "customize"}},
    "image-to-video": {"model": "kling-v3-pro-audio", "image": "https://example.com/start-frame.png",
                       "aspect_ratio": "16:9", "duration": 6, "extra_body": {"cfg_scale": 0.6, "shot_type": "intelligent"}},
    "first-and-last-frame": {"model": "kling-v3-pro-silent", "image": "https://example.com/first-frame.png",
                             "last_image": "https://example.com/last-frame.png", "duration": 8,
                             "extra_body": {"cfg_scale": 0.5, "shot_type": "customize"}},
    "multi-prompt-image-to-video": {"model": "kling-v3-std-audio", "image": "https://example.com/source-image.png",
                                    "duration": 10, "extra_body": {"shot_type": "customize"}},
}


@pytest.mark.parametrize("name", sorted(SEED))
def test_seed_examples_keep_the_seeds_values(name):
    request = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    for key, value in SEED[name].items():
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                assert request[key][inner] == inner_value, (name, key, inner)
        else:
            assert request[key] == value, (name, key)
    has_prompt = "prompt" in request
    assert has_prompt != ("multi_prompt" in request.get("extra_body", {})), name
    prompts = [request["prompt"]] if has_prompt else [shot["prompt"] for shot in request["extra_body"]["multi_prompt"]]
    assert all(len(prompt.split()) >= 5 for prompt in prompts), f"{name}: write real prompts"
    if name == "multi-prompt-image-to-video":
        assert len(request["extra_body"]["multi_prompt"]) == 2


def test_every_invalid_example_declares_its_findings():
    assert INVALID_FILES
    for path in INVALID_FILES:
        lines = _expect_lines(path)
        assert lines, f"{path.name} declares no expected finding"
        if path.suffix in (".yaml", ".yml"):
            assert not path.with_name(path.name + ".expect").exists(), f"{path.name}: YAML carries its expectations inline"


def test_every_sidecar_belongs_to_an_example():
    for sidecar in INVALID.glob("*.expect"):
        assert sidecar.with_suffix("").is_file(), f"{sidecar.name} has no example"


# Examples of the rules only --fetch-images applies; tests/test_images_fetch.py checks them
# against a local server standing in for their host.
FETCH_EXAMPLES = sorted((INVALID / "fetch").glob("*.yaml"))


def test_each_invalid_example_breaks_the_rule_it_is_named_after():
    rule_ids = set(kling_lint.RULES)
    for path in INVALID_FILES + FETCH_EXAMPLES:
        rule = path.name.split(".", 1)[0]
        assert rule in rule_ids, f"{path.name} is not named after a rule"
        # An image given as base64 also gets the image-base64 warning, whatever else it breaks.
        also = {"image-base64"} if rule.startswith("image-") else set()
        assert {finding[2] for finding in expected(path)} - (also - {rule}) == {rule}, f"{path.name} should break {rule} alone"


def test_every_rule_has_an_invalid_example():
    covered = {rule for path in INVALID_FILES + FETCH_EXAMPLES for (_, _, rule, _) in expected(path)}
    internal = {rule.id for rule in kling_lint.RULES.values() if rule.source == "internal"}  # no request can break it
    # the tool's own two need no request to show them: a file that is not there, a file with 1000+ findings
    missing = set(kling_lint.RULES) - {"unreadable", "too-many-findings"} - internal - covered
    assert not missing, f"rules without an invalid example: {sorted(missing)}"


def test_syntax_and_duplicate_key_are_shown_in_json_and_yaml():
    for rule in ("syntax", "duplicate-key"):
        assert (INVALID / f"{rule}.json").is_file()
        assert (INVALID / f"{rule}.yaml").is_file()


# ---------------------------------------------------------------- the API on the examples


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_example_has_no_error(path):
    findings = kling_lint.lint_file(str(path))
    errors = [f for f in findings if f.severity is kling_lint.Severity.ERROR]
    assert errors == []


# Warnings a valid example is meant to show; every other valid example has no finding at all.
VALID_WARNINGS = {
    "image-to-video.json": {(5, 19, "aspect-ratio-ignored", "$.aspect_ratio")},
    "image-to-video.yaml": {(8, 15, "aspect-ratio-ignored", "$.aspect_ratio")},
}


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_example_has_only_its_known_warnings(path):
    assert _tuples(kling_lint.lint_file(str(path))) == VALID_WARNINGS.get(path.name, set())


@pytest.mark.parametrize("path", INVALID_FILES, ids=_ids(INVALID_FILES))
def test_invalid_example_gives_exactly_its_expected_findings(path):
    assert _tuples(kling_lint.lint_file(str(path))) == expected(path)


# ---------------------------------------------------------------- the CLI on the examples


def _severities(path: Path) -> set[str]:
    return {kling_lint.RULES[rule].severity.value for (_, _, rule, _) in expected(path)}


@pytest.mark.parametrize("path", INVALID_FILES, ids=_ids(INVALID_FILES))
def test_cli_json_on_invalid_example(path):
    result = _run_cli("check", "--format", "json", str(path))
    document = json.loads(result.output)
    got = {(d["line"], d["column"], d["rule"], d["json_path"]) for d in document["diagnostics"]}
    assert got == expected(path)
    assert {d["file"] for d in document["diagnostics"]} == {str(path)}
    for diagnostic in document["diagnostics"]:
        assert diagnostic["severity"] == kling_lint.RULES[diagnostic["rule"]].severity.value
        assert diagnostic["message"]
    # Exit 1 for errors; an example whose only finding is a warning passes unless --strict.
    assert result.exit_code == (1 if "error" in _severities(path) else 0)
    assert document["summary"]["errors"] == sum(d["severity"] == "error" for d in document["diagnostics"])


@pytest.mark.parametrize("path", INVALID_FILES, ids=_ids(INVALID_FILES))
def test_cli_strict_fails_on_every_invalid_example(path):
    result = _run_cli("check", "--strict", "--format", "json", str(path))
    assert result.exit_code == 1


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_cli_json_on_valid_example(path):
    result = _run_cli("check", "--format", "json", str(path))
    assert result.exit_code == 0
    document = json.loads(result.output)
    got = {(d["line"], d["column"], d["rule"], d["json_path"]) for d in document["diagnostics"]}
    assert got == VALID_WARNINGS.get(path.name, set())
    assert document["summary"]["errors"] == 0


def test_cli_on_the_whole_valid_set_at_once():
    result = _run_cli("check", "--format", "json", *map(str, VALID))
    assert result.exit_code == 0
    document = json.loads(result.output)
    assert document["summary"]["files"] == len(VALID)
    assert document["summary"]["errors"] == 0


# ---------------------------------------------------------------- text output


def _text_finding(path: Path, rule: str) -> tuple[list[str], int, int]:
    """The text output's lines for the one finding of ``rule`` in ``path``, and its line and column."""
    ((line, column, _, _),) = [item for item in expected(path) if item[2] == rule]
    result = _run_cli("check", "--color", "never", str(path))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    head = f"{path}:{line}:{column}: error[{rule}] "
    starts = [number for number, text in enumerate(lines) if text.startswith(head)]
    assert len(starts) == 1, f"no line starting with {head!r} in:\n{result.output}"
    block = []
    for text in lines[starts[0]:]:
        if not text.strip():
            break
        block.append(text)
    return block, line, column


def _caret_points_at(block: list[str], line: int, column: int) -> str:
    """The source text under the caret, after checking the excerpt's shape."""
    source_line, caret_line = block[1], block[2]
    gutter = f"{line:>4} |"
    assert source_line.startswith(gutter + " "), block
    bar = caret_line.index("|")
    assert bar == len(gutter) - 1 and caret_line[:bar].strip() == "", block
    caret_at = caret_line.index("^")
    assert caret_at == bar + 2 + column - 1, f"caret under column {caret_at - bar - 1}, expected {column}"
    return source_line[caret_at:]


def _hint(block: list[str]) -> str:
    hints = [text.strip()[len("hint: "):] for text in block if text.strip().startswith("hint: ")]
    assert len(hints) == 1, block
    return hints[0]


def test_text_output_prompt_and_multi_prompt():
    block, line, column = _text_finding(INVALID / "prompt-and-multi-prompt.yaml", "prompt-and-multi-prompt")
    assert _caret_points_at(block, line, column).startswith("prompt:")
    assert "multi_prompt" in block[0]
    assert "remove prompt" in _hint(block)


def test_text_output_last_image_without_image():
    block, line, column = _text_finding(INVALID / "last-image-without-image.yaml", "last-image-without-image")
    assert _caret_points_at(block, line, column).startswith("last_image:")
    assert "add image" in _hint(block)


def test_text_output_unknown_model():
    block, line, column = _text_finding(INVALID / "model-unknown.yaml", "model-unknown")
    assert _caret_points_at(block, line, column).startswith("kling-v3-standard-silent")
    assert '"kling-v3-standard-silent"' in block[0]
    assert _hint(block) == 'did you mean "kling-v3-std-silent"?'


def test_text_output_misspelt_extra_body_key():
    block, line, column = _text_finding(INVALID / "unknown-key.yaml", "unknown-key")
    assert _caret_points_at(block, line, column).startswith("cfg: 0.5")
    assert "cfg" in block[0] and "extra_body" in block[0]
    assert "cfg_scale" in _hint(block)


def test_text_output_never_shows_the_secret():
    for path in INVALID.glob("secret-in-request.*"):
        if path.suffix == ".expect":
            continue
        secret = re.search(r"(sk-\w{10,}|Bearer \w{10,})", path.read_text(encoding="utf-8"))[0]
        for fmt in ("text", "json", "github", "sarif"):
            result = _run_cli("check", "--format", fmt, "--color", "never", str(path))
            assert result.exit_code == 1
            assert secret not in result.output, (path.name, fmt)
            assert secret[-10:] not in result.output, (path.name, fmt)

"""``kling-lint dry-run``: what each request will make, and what the run will cost.

The expected modes, seconds, timelines and defaults below are read off the example files by a
person (SPEC.md's modes; the schema's defaults), not produced by the code under test.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner

from kling_lint.cli import main
from kling_lint.dryrun import contract_facts, normalized, plan, tier_and_sound
from kling_lint.prices import PriceError, load_prices, price_table

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "schema" / "kling-v3-video-request.schema.json").read_text(encoding="utf-8"))
DEFAULT_RATIO = SCHEMA["properties"]["aspect_ratio"]["default"]
DEFAULT_SECONDS = SCHEMA["properties"]["duration"]["default"]
IMAGE = "from the image"

STD_SILENT, STD_AUDIO, PRO_SILENT, PRO_AUDIO = SCHEMA["properties"]["model"]["enum"]

# file -> one (mode, model, seconds, aspect ratio, defaults, shots) per request, in file order
EXPECTED = {
    "batch.jsonl": [
        ("text-to-video", STD_SILENT, 5, DEFAULT_RATIO, ["aspect_ratio"], []),
        ("text-to-video", PRO_AUDIO, 8, "9:16", [], []),
        ("first-and-last-frame", PRO_SILENT, 5, IMAGE, [], []),
    ],
    "batch.yaml": [
        ("text-to-video", STD_SILENT, 5, "9:16", [], []),
        ("text-to-video", PRO_SILENT, 10, "1:1", [], []),
        ("multi-shot", STD_AUDIO, 6, IMAGE, [], [(1, 0, 3), (2, 3, 6)]),
    ],
    "first-and-last-frame.json": [("first-and-last-frame", PRO_SILENT, 8, IMAGE, [], [])],
    "first-and-last-frame.yaml": [("first-and-last-frame", PRO_SILENT, 8, IMAGE, [], [])],
    "image-to-video.json": [("image-to-video", PRO_AUDIO, 6, IMAGE, [], [])],
    "image-to-video.yaml": [("image-to-video", PRO_AUDIO, 6, IMAGE, [], [])],
    "multi-prompt-image-to-video.json": [("multi-shot", STD_AUDIO, 10, IMAGE, [], [(1, 0, None), (2, None, None)])],
    "multi-prompt-image-to-video.yaml": [("multi-shot", STD_AUDIO, 10, IMAGE, [], [(1, 0, None), (2, None, None)])],
    "text-to-video.json": [("text-to-video", STD_SILENT, 5, "16:9", [], [])],
    "text-to-video.yaml": [("text-to-video", STD_SILENT, 5, "16:9", [], [])],
}
LINES = {"batch.yaml": [2, 7, 15], "batch.jsonl": [1, 2, 3]}

REQUEST_KEYS = {"file", "line", "index", "mode", "model", "tier", "sound", "seconds", "aspect_ratio", "start_frame",
                "end_frame", "start_frame_image", "end_frame_image", "element_ids", "shots", "body", "defaults", "findings", "curl"}
DIAGNOSTIC_KEYS = {"file", "line", "column", "end_line", "end_column", "rule", "severity", "message", "hint", "json_path"}


def dry_run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["dry-run", "--color", "never", *args], catch_exceptions=False)
    return result.exit_code, result.stdout


def dry_run_json(*args: str) -> tuple[int, dict[str, Any]]:
    status, out = dry_run("--format", "json", *args)
    return status, json.loads(out)


def test_the_valid_examples_are_exactly_the_expected_files() -> None:
    assert sorted(EXPECTED) == sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".json", ".jsonl", ".yaml"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_example_gets_its_mode_seconds_timeline_and_defaults(name: str) -> None:
    status, document = dry_run_json(str(EXAMPLES / name))
    requests = document["requests"]
    assert status == 0
    assert len(requests) == len(EXPECTED[name])  # one entry per request, JSONL and multi-document too
    for number, (entry, expected) in enumerate(zip(requests, EXPECTED[name]), start=1):
        mode, model, seconds, ratio, defaults, shots = expected
        assert (entry["mode"], entry["model"], entry["seconds"], entry["aspect_ratio"]) == (mode, model, seconds, ratio)
        assert entry["defaults"] == defaults
        assert [(s["number"], s["start"], s["end"]) for s in entry["shots"]] == shots
        assert entry["index"] == number and entry["file"] == str(EXAMPLES / name)
        assert entry["line"] == LINES.get(name, [None] * 3)[number - 1] or name not in LINES
        assert entry["curl"].startswith("curl -X POST ")
        for field in defaults:
            assert entry["body"][field] == SCHEMA["properties"][field]["default"]


def test_the_json_shape() -> None:
    status, document = dry_run_json("--prices", str(_prices_file()), str(EXAMPLES / "batch.yaml"), str(EXAMPLES / "invalid" / "duration-range.json"))
    assert status == 1
    assert set(document) == {"requests", "summary"}
    for entry in document["requests"]:
        assert set(entry) == REQUEST_KEYS
        for shot in entry["shots"]:
            assert set(shot) == {"number", "start", "end", "prompt"}
        for finding in entry["findings"]:
            assert set(finding) == DIAGNOSTIC_KEYS
    invalid = document["requests"][-1]
    assert invalid["curl"] is None and [f["rule"] for f in invalid["findings"]] == ["duration-range"]
    summary = document["summary"]
    assert set(summary) == {"requests", "with_errors", "seconds", "seconds_by_model", "cost"}
    assert set(summary["cost"]) == {"estimate", "currency", "by_model", "total", "unpriced_models", "prices"}
    assert summary["cost"]["estimate"] is True


PRICES = {STD_SILENT: "0.084", PRO_AUDIO: "0.168", PRO_SILENT: "0.112"}  # no price for STD_AUDIO


def _prices_file(folder: pathlib.Path | None = None) -> pathlib.Path:
    path = (folder or pathlib.Path(__import__("tempfile").mkdtemp())) / "prices.toml"
    path.write_text('currency = "USD"\n' + "".join(f"{model} = {price}\n" for model, price in PRICES.items()))
    return path


def test_the_cost_of_the_valid_examples(tmp_path: pathlib.Path) -> None:
    files = [str(EXAMPLES / name) for name in sorted(EXPECTED)]
    status, document = dry_run_json("--prices", str(_prices_file(tmp_path)), *files)
    seconds: dict[str, int] = {}
    for requests in EXPECTED.values():
        for _, model, length, *_ in requests:
            seconds[model] = seconds.get(model, 0) + length
    summary = document["summary"]
    assert status == 0
    assert summary["requests"] == sum(map(len, EXPECTED.values())) == 14
    assert summary["seconds_by_model"] == seconds and summary["seconds"] == sum(seconds.values()) == 97
    cost = {model: Decimal(PRICES[model]) * length for model, length in seconds.items() if model in PRICES}
    assert summary["cost"]["by_model"] == {m: (float(cost[m]) if m in cost else None) for m in seconds}
    assert summary["cost"]["total"] == float(sum(cost.values())) == 8.512
    assert summary["cost"]["unpriced_models"] == [STD_AUDIO]
    _, text = dry_run("--no-curl", "--prices", str(_prices_file(tmp_path)), *files)
    assert "estimated cost: 8.512 USD (without kling-v3-std-audio" in text
    assert f"  {PRO_SILENT}    31 s  3.472 USD" in text and "cost unknown: not in the price table" in text


def test_the_whole_examples_folder_sums_only_requests_without_errors() -> None:
    status, document = dry_run_json(str(EXAMPLES))
    summary = document["summary"]
    unparsed = [r for r in document["requests"] if r["index"] is None]  # a file that gave no request
    assert {pathlib.Path(r["file"]).name for r in unparsed} == {"syntax.json", "syntax.yaml"}
    assert all(set(r) == {"file", "line", "index", "mode", "findings"} for r in unparsed)
    requests = [r for r in document["requests"] if r["index"] is not None]
    failed = [r for r in requests if any(f["severity"] == "error" for f in r["findings"])]
    counted = [r for r in requests if r not in failed]
    assert status == 1
    assert summary["requests"] == len(requests) and summary["with_errors"] == len(failed) > 20
    assert summary["seconds"] == sum(r["seconds"] for r in counted)
    assert all(r["curl"] is None for r in failed) and all(r["curl"] for r in counted)


def test_text_output_marks_defaults_and_shows_the_timeline(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "shots.yaml"
    path.write_text("model: kling-v3-pro-audio\nextra_body:\n  shot_type: customize\n  element_list:\n    - element_id: el_1\n    - element_id: 42\n"
                    "  multi_prompt:\n    - prompt: One.\n      duration: '2'\n    - prompt: Two.\n      duration: 3\n")
    status, text = dry_run(str(path))
    assert status == 0, text
    assert f"  seconds       {DEFAULT_SECONDS} (default)\n" in text
    assert f'      "aspect_ratio": "{DEFAULT_RATIO}",  # default\n' in text
    assert f'      "duration": {DEFAULT_SECONDS}  # default\n' in text
    assert "  shots         1    0-2 s  One.\n                2    2-5 s  Two.\n" in text
    assert '  elements      "el_1", 42\n' in text
    assert "  model         kling-v3-pro-audio: pro tier, with sound\n" in text
    assert '"duration": 2\n' in text  # the numeric string, made a number


def test_a_token_is_masked_in_text_and_json(tmp_path: pathlib.Path) -> None:
    token = "sk-" + "Zz9" * 10
    path = tmp_path / "leak.yaml"
    path.write_text(f"model: kling-v3-std-silent\nprompt: 'key {token}'\nextra_body:\n  element_list:\n    - element_id: {token}\n")
    for args in ([], ["--format", "json"]):
        status, out = dry_run(*args, str(path))
        assert status == 1 and token not in out and "sk-****" in out


# ---------------------------------------------------------------- the pure layer


def test_every_model_of_the_schema_has_a_tier_and_a_sound() -> None:
    """The id convention (kling-v3-<std|pro>-<silent|audio>) holds for every model of the enum."""
    assert contract_facts().models == tuple(SCHEMA["properties"]["model"]["enum"])
    seen = {tier_and_sound(model) for model in contract_facts().models}
    assert seen == {("standard", False), ("standard", True), ("pro", False), ("pro", True)}
    assert tier_and_sound("kling-v3-standard-silent") == (None, None)  # not a model: no guess


def test_normalizing_fills_the_schemas_defaults_and_makes_numeric_strings_numbers() -> None:
    request = {"$schema": "x.json", "model": STD_SILENT, "duration": "07",
               "extra_body": {"multi_prompt": [{"prompt": "a", "duration": "3"}, {"prompt": "b", "duration": 4}]}}
    before = json.dumps(request)
    body, filled = normalized(request)
    assert json.dumps(request) == before  # the request itself is untouched
    assert filled == ["aspect_ratio"] and body["aspect_ratio"] == DEFAULT_RATIO
    assert body["duration"] == 7 and [s["duration"] for s in body["extra_body"]["multi_prompt"]] == [3, 4]
    assert "$schema" not in body
    with_image, filled = normalized({"model": STD_SILENT, "prompt": "p", "image": "https://e.com/a.png"})
    assert filled == ["duration"] and "aspect_ratio" not in with_image  # the image's ratio wins
    assert plan([1, 2]).mode is None and plan("text").body == "text"


# ---------------------------------------------------------------- prices


def test_prices_in_json_and_under_a_prices_table(tmp_path: pathlib.Path) -> None:
    as_json = tmp_path / "p.json"
    as_json.write_text(json.dumps({"currency": "EUR", STD_SILENT: 0.1}))
    as_table = tmp_path / "p.toml"
    as_table.write_text(f'[prices]\ncurrency = "EUR"\n{STD_SILENT} = 0.1\n')
    for path in (as_json, as_table):
        table = load_prices(str(path))
        assert (table.currency, table.per_second) == ("EUR", {STD_SILENT: Decimal("0.1")})
    assert price_table({"prices": {"currency": "USD", PRO_AUDIO: 1}}, "config").per_second == {PRO_AUDIO: Decimal(1)}


BAD_PRICES = {
    "missing.toml": (None, "no such file"),
    "syntax.toml": ("currency = \n", "not valid TOML"),
    "syntax.json": ('{"currency": "USD",', "not valid JSON"),
    "no-currency.toml": (f"{STD_SILENT} = 0.1\n", "no currency"),
    "unknown-model.toml": ('currency = "USD"\nkling-v3-std-slient = 0.1\n', "is not a Kling v3 model"),
    "negative.toml": (f'currency = "USD"\n{STD_SILENT} = -1\n', "0 or more"),
    "text-price.toml": (f'currency = "USD"\n{STD_SILENT} = "0.1"\n', "must be a number"),
    "boolean.json": (json.dumps({"currency": "USD", STD_SILENT: True}), "must be a number"),
    "nan.json": ('{"currency": "USD", "%s": NaN}' % STD_SILENT, "not valid JSON"),
    "no-models.toml": ('currency = "USD"\n', "no model has a price"),
    "list.json": ("[1, 2]", "a price table is a table"),
    "binary.toml": ("\udcff", "not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_PRICES))
def test_a_bad_price_file_is_a_clear_error_and_exit_2(tmp_path: pathlib.Path, name: str) -> None:
    content, message = BAD_PRICES[name]
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(PriceError, match=message):
        load_prices(str(path))
    result = CliRunner().invoke(main, ["dry-run", "--prices", str(path), str(EXAMPLES / "text-to-video.json")])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------- start-up


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_check_never_imports_the_new_commands(tmp_path: pathlib.Path) -> None:
    request = tmp_path / "ok.json"
    request.write_text(json.dumps({"model": STD_SILENT, "prompt": "a lighthouse"}))
    new = {"kling_lint.preview", "kling_lint.dryrun", "kling_lint.curl", "kling_lint.prices", "kling_lint.dryrun_report", "tomllib", "decimal"}
    for code in (
        "import kling_lint.cli",
        f"import sys\nsys.argv = ['kling-lint', 'check', {str(request)!r}]\nfrom kling_lint.entry import main\ntry:\n    main()\nexcept SystemExit:\n    pass",
        f"from kling_lint.cli import main\ntry:\n    main(['check', '--format', 'json', {str(request)!r}])\nexcept SystemExit:\n    pass",
    ):
        assert not (_modules_after(code) & new), code


# ---------------------------------------------------------------- every example file, by SPEC.md's table


def _spec_mode(request: dict[str, Any]) -> str:
    """SPEC.md's "Modes" table."""
    if isinstance(request.get("extra_body"), dict) and "multi_prompt" in request["extra_body"]:
        return "multi-shot"
    if "image" in request:
        return "first-and-last-frame" if "last_image" in request else "image-to-video"
    return "text-to-video"


def _spec_seconds(request: dict[str, Any]) -> int | None:
    duration = request.get("duration", DEFAULT_SECONDS)
    if type(duration) is int:
        return duration
    return int(duration) if isinstance(duration, str) and duration.isascii() and duration.isdigit() else None


ALL_EXAMPLES = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".json", ".jsonl", ".yaml"))


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_every_example_file_agrees_with_the_spec(path: pathlib.Path) -> None:
    """Valid or not: the mode by SPEC.md's table, the seconds, the defaults filled in, the timeline."""
    from kling_lint.load import format_of, load

    data = path.read_bytes()
    loaded = load(data, format_of(path.name, data))
    _, document = dry_run_json(str(path))
    entries = [entry for entry in document["requests"] if entry["index"] is not None]
    assert len(entries) == len(loaded.documents)
    for entry, doc in zip(entries, loaded.documents):
        request = doc.value
        if not isinstance(request, dict):
            assert entry.get("mode") is None
            continue
        assert entry["mode"] == _spec_mode(request)
        assert entry["seconds"] == _spec_seconds(request)
        absent = [f for f in ("aspect_ratio", "duration") if f not in request and not (f == "aspect_ratio" and "image" in request)]
        assert entry["defaults"] == absent
        shots = request.get("extra_body", {}).get("multi_prompt") if isinstance(request.get("extra_body"), dict) else None
        if isinstance(shots, list) and all(isinstance(s, dict) and type(s.get("duration")) is int for s in shots):
            ends = [sum(s["duration"] for s in shots[: n + 1]) for n in range(len(shots))]
            assert [s["end"] for s in entry["shots"]] == ends


def test_the_configuration_s_price_table_is_used_without_prices(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".kling-lint.toml").write_text('[prices]\ncurrency = "EUR"\nkling-v3-std-silent = 0.1\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, summary = dry_run_json(str(EXAMPLES / "text-to-video.json"))
    assert status == 0
    cost = summary["summary"]["cost"]
    assert cost["currency"] == "EUR" and Decimal(str(cost["total"])) == Decimal("0.1") * summary["summary"]["seconds"]


def test_a_bad_price_table_in_the_configuration_is_one_line_and_exit_2(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".kling-lint.toml").write_text('[prices]\ncurrency = "EUR"\nkling-v3-std-silent = "cheap"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["dry-run", str(EXAMPLES / "text-to-video.json")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "kling-lint: error:" in result.stderr and ".kling-lint.toml" in result.stderr

"""Configuration: found walking up as ruff finds its own, merged under the command line, refused
with the file, line and key when it cannot be used, and honoured by both ways into ``check``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kling_lint import config, config_apply
from kling_lint.cli import main
from kling_lint.contract import RULES
from kling_lint.contract import default_contract

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
INVALID = EXAMPLES / "invalid"

# duration "5": a warning by default; duration 20: an error by default.
WARNING_FILE = INVALID / "duration-as-string.json"
ERROR_FILE = INVALID / "duration-range.json"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, the current directory, with nothing configured above it."""
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.chdir(root)
    assert config.find_config(str(root)) is None, "a configuration above the test's folder"
    return root


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def _rules_found(*args: str) -> tuple[int, list[tuple[str, str]]]:
    result = _check("--format", "json", *args)
    document = json.loads(result.stdout)
    return result.exit_code, [(d["rule"], d["severity"]) for d in document["diagnostics"]]


# ---------------------------------------------------------------- finding the file


def test_no_file_anywhere_gives_the_defaults(project: Path) -> None:
    settings = config.resolve({})
    assert settings.source is None
    assert settings.options == {"output_format": "text", "strict": False, "max_bytes": 16 * 1024 * 1024,
                                "color": "auto", "jobs": None, "force_exclude": False}
    assert settings.disabled == frozenset() and settings.severity == {}


def test_the_nearest_file_above_the_current_directory_is_found(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    found = _write(project / "pyproject.toml", '[tool.kling-lint]\nformat = "json"\n')
    deep = project / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert config.find_config(str(deep)) == str(found)
    assert config.resolve({}).options["output_format"] == "json"


def test_kling_lint_toml_wins_over_pyproject_in_the_same_folder(project: Path) -> None:
    _write(project / "pyproject.toml", '[tool.kling-lint]\nformat = "json"\n')
    own = _write(project / ".kling-lint.toml", 'format = "github"\n')
    assert config.find_config(str(project)) == str(own)
    assert config.resolve({}).options["output_format"] == "github"


def test_a_pyproject_without_the_table_is_passed_over(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    above = _write(project / "pyproject.toml", '[tool.kling-lint]\nformat = "sarif"\n')
    inner = project / "service"
    # It names kling-lint, as a dependency and a script, but configures nothing.
    _write(inner / "pyproject.toml", '[project]\nname = "svc"\ndependencies = ["kling-lint>=0.1"]\n'
                                     '[project.scripts]\nkling-lint = "kling_lint.entry:main"\n[tool.ruff]\nline-length = 100\n')
    monkeypatch.chdir(inner)
    assert config.find_config(str(inner)) == str(above)


def test_the_nearest_folder_wins_whatever_the_file_kind(project: Path) -> None:
    _write(project / ".kling-lint.toml", 'format = "json"\n')
    inner = _write(project / "sub" / "pyproject.toml", '[tool]\nkling-lint = { format = "github" }\n')
    assert config.find_config(str(project / "sub")) == str(inner)


def test_every_way_toml_can_spell_the_table_is_found(project: Path) -> None:
    for text in ('[tool.kling-lint]\nstrict = true\n', '[ tool . "kling-lint" ]\nstrict = true\n',
                 'tool.kling-lint.strict = true\n', '[tool]\n"kling-lint".strict = true\n',
                 '[tool.kling-lint.severity]\nimage-base64 = "error"\n', '[ tool ]\nkling-lint.strict = true\n',
                 'tool = { kling-lint = { strict = true } }\n'):
        _write(project / "pyproject.toml", text)
        assert config.find_config(str(project)) == str(project / "pyproject.toml"), text


def test_no_toml_parser_is_imported_without_a_configuration(project: Path) -> None:
    """The pre-commit call pays a few stat calls for configuration, not tomllib's import."""
    _write(project / "pyproject.toml", '[project]\nname = "x"\ndependencies = ["kling-lint"]\n[project.scripts]\nkling-lint = "kling_lint.entry:main"\n')
    request = _write(project / "ok.json", json.dumps({"model": "kling-v3-std-silent", "prompt": "a lighthouse at dusk"}))
    code = (
        "import sys\nfrom kling_lint.entry import main\nsys.argv = ['kling-lint', 'check', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('tomllib', 'kling_lint.config_file', 'kling_lint.suppress')))), file=sys.stderr)"
    )
    run = subprocess.run([sys.executable, "-c", code, str(request)], capture_output=True, text=True, check=True, cwd=project)
    assert run.stdout == "no problems in 1 file\n"
    assert run.stderr.split() == []


def test_the_console_shortcut_honours_the_file(project: Path) -> None:
    """``kling-lint check FILE`` (pre-commit's call, which skips click) reads the configuration too."""
    _write(project / ".kling-lint.toml", 'format = "json"\nignore = ["duration-range"]\n')
    run = subprocess.run([sys.executable, "-m", "kling_lint", "check", str(ERROR_FILE)], capture_output=True, text=True, cwd=project)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["summary"] == {"files": 1, "errors": 0, "warnings": 0}


def test_config_names_the_file_and_where_each_value_came_from(project: Path) -> None:
    _write(project / "pyproject.toml", '[tool.kling-lint]\nformat = "json"\nignore = ["image-base64"]\n'
                                       '[tool.kling-lint.severity]\nduration-as-string = "error"\n')
    result = CliRunner().invoke(main, ["config"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["configuration", "pyproject.toml"]
    assert '"json"  (pyproject.toml)' in result.stdout
    assert any(line.split() == ["strict", "false", "(default)"] for line in lines)
    assert any(line.split() == ["rules", "off", "image-base64"] for line in lines)
    assert any(line.split() == ["severity.duration-as-string", "error", "(default", "warning)"] for line in lines)
    shown = _check("--show-settings", "--format", "text")
    assert shown.exit_code == 0
    assert '"text"  (command line)' in shown.stdout


def test_isolated_reads_no_file_and_config_names_one(project: Path, tmp_path: Path) -> None:
    _write(project / ".kling-lint.toml", 'ignore = ["duration-range"]\n')
    other = _write(tmp_path / "team.toml", 'ignore = ["duration-as-string"]\n')
    assert _rules_found(str(ERROR_FILE)) == (0, [])
    assert _rules_found("--isolated", str(ERROR_FILE)) == (1, [("duration-range", "error")])
    assert _rules_found("--config", str(other), str(ERROR_FILE)) == (1, [("duration-range", "error")])
    assert _rules_found("--config", str(other), str(WARNING_FILE)) == (0, [])
    both = _check("--config", str(other), "--isolated", str(ERROR_FILE))
    assert both.exit_code == 2 and both.stderr.startswith("kling-lint: error: --config and --isolated cannot be used together")


# ---------------------------------------------------------------- merging


def test_the_command_line_beats_the_file_for_every_option(project: Path) -> None:
    _write(project / ".kling-lint.toml", 'format = "json"\nstrict = true\nmax-bytes = 10\ncolor = "never"\njobs = 2\n')
    from_file = config.resolve({}).options
    assert from_file == {"output_format": "json", "strict": True, "max_bytes": 10, "color": "never", "jobs": 2, "force_exclude": False}
    given = {"output_format": "sarif", "strict": False, "max_bytes": 99, "color": "always", "jobs": 1, "force_exclude": True}
    assert config.resolve(given).options == given


def test_strict_from_the_file_fails_on_a_warning_and_no_strict_undoes_it(project: Path) -> None:
    _write(project / ".kling-lint.toml", "strict = true\n")
    assert _check(str(WARNING_FILE)).exit_code == 1
    assert _check("--no-strict", str(WARNING_FILE)).exit_code == 0


def test_max_bytes_from_the_file_is_applied(project: Path) -> None:
    _write(project / ".kling-lint.toml", "max-bytes = 10\n")
    result = _check(str(EXAMPLES / "text-to-video.json"))
    assert result.exit_code == 2 and "limit" in result.stdout


@pytest.mark.parametrize(("file_text", "arguments", "expected"), [
    ('ignore = ["duration-range"]', [], set(RULES) - {"duration-range"}),
    ('select = ["duration-range", "model-unknown"]', [], {"duration-range", "model-unknown"}),
    ('select = ["duration-range"]', ["--extend-select", "model-unknown,prompt-empty"], {"duration-range", "model-unknown", "prompt-empty"}),
    ('select = ["duration-range", "model-unknown"]', ["--ignore", "model-unknown"], {"duration-range"}),
    # A later layer's select replaces everything before it, the file's ignore included (as ruff).
    ('ignore = ["duration-range"]', ["--select", "duration-range"], {"duration-range"}),
    # Within a layer ignore wins over select.
    ('select = ["duration-range"]\nignore = ["duration-range"]', [], set()),
    ('extend-select = ["duration-range"]\n[severity]\nimage-base64 = "off"', [], set(RULES) - {"image-base64"}),
    ("", ["--select", "model-unknown", "--select", "prompt-empty"], {"model-unknown", "prompt-empty"}),
])
def test_select_extend_select_and_ignore_combine_as_ruff_does(project: Path, file_text: str, arguments: list[str], expected: set[str]) -> None:
    _write(project / ".kling-lint.toml", file_text + "\n")
    options = {"select": None, "ignore": None, "extend_select": None}
    flags = iter(arguments)
    for flag in flags:
        key = flag[2:].replace("-", "_")
        options[key] = (options[key] or ()) + tuple(next(flags).split(","))
    settings = config.resolve({}, **options)
    assert set(RULES) - settings.disabled == expected | config.FIXED_RULES


def test_a_rule_switched_off_is_not_reported_and_exit_status_follows(project: Path) -> None:
    assert _rules_found(str(ERROR_FILE)) == (1, [("duration-range", "error")])
    _write(project / ".kling-lint.toml", 'ignore = ["duration-range"]\n')
    assert _rules_found(str(ERROR_FILE)) == (0, [])
    assert _rules_found("--extend-select", "duration-range", str(ERROR_FILE)) == (1, [("duration-range", "error")])


def test_severities_are_regraded_and_the_exit_status_follows_them(project: Path) -> None:
    assert _rules_found(str(WARNING_FILE)) == (0, [("duration-as-string", "warning")])
    _write(project / ".kling-lint.toml", '[severity]\nduration-as-string = "error"\nduration-range = "warning"\n')
    assert _rules_found(str(WARNING_FILE)) == (1, [("duration-as-string", "error")])
    assert _rules_found(str(ERROR_FILE)) == (0, [("duration-range", "warning")])
    assert _rules_found("--strict", str(ERROR_FILE)) == (1, [("duration-range", "warning")])
    text = _check("--color", "never", str(ERROR_FILE)).stdout
    assert "warning[duration-range]" in text and text.endswith("0 errors, 1 warning in 1 file\n")


def test_the_settings_contract_places_findings_with_the_configured_severity(project: Path) -> None:
    import kling_lint

    _write(project / ".kling-lint.toml", '[severity]\nduration-as-string = "error"\n')
    contract = config.resolve({}).contract()
    assert contract.severity("duration-as-string") is kling_lint.Severity.ERROR
    (before,) = kling_lint.lint_file(str(WARNING_FILE))
    (after,) = kling_lint.lint_file(str(WARNING_FILE), contract=contract)
    assert after == before._replace(severity=kling_lint.Severity.ERROR)


# ---------------------------------------------------------------- exclude


@pytest.fixture
def tree(project: Path) -> Path:
    request = (EXAMPLES / "text-to-video.yaml").read_text(encoding="utf-8")
    for name in ("requests/a.yaml", "requests/drafts/b.yaml", "requests/c.draft.yaml", "other/drafts/d.yaml", "other/e.yaml"):
        _write(project / name, request)
    return project


def _files_checked(*args: str) -> int:
    result = _check("--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["summary"]["files"]


def test_exclude_prunes_directory_walks(tree: Path) -> None:
    assert _files_checked(".") == 5
    _write(tree / ".kling-lint.toml", 'exclude = ["drafts", "*.draft.yaml"]\n')
    assert _files_checked(".") == 2  # a.yaml, e.yaml
    _write(tree / ".kling-lint.toml", 'exclude = ["requests/drafts"]\n')  # a slash: from the file's folder
    assert _files_checked(".") == 4


def test_files_named_on_the_command_line_are_excluded_only_with_force_exclude(tree: Path) -> None:
    _write(tree / ".kling-lint.toml", 'exclude = ["drafts"]\n')
    named = ["requests/a.yaml", "requests/drafts/b.yaml", "other/drafts/d.yaml"]
    assert _files_checked(*named) == 3
    assert _files_checked("--force-exclude", *named) == 1
    _write(tree / ".kling-lint.toml", 'exclude = ["drafts"]\nforce-exclude = true\n')
    assert _files_checked(*named) == 1
    assert _files_checked("--no-force-exclude", *named) == 3


def test_a_directory_whose_files_are_all_excluded_is_not_an_error(tree: Path) -> None:
    _write(tree / ".kling-lint.toml", 'exclude = ["*.yaml"]\n')
    assert _files_checked("requests") == 0
    empty = tree / "empty"
    empty.mkdir()
    assert _check("empty").exit_code == 2  # still an error when there was nothing to exclude


def test_exclude_patterns_are_relative_to_the_configuration_not_the_current_directory(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tree / ".kling-lint.toml", 'exclude = ["requests/drafts"]\n')
    monkeypatch.chdir(tree / "requests")
    assert _files_checked(".") == 2  # a.yaml, c.draft.yaml


# ---------------------------------------------------------------- extra body keys and prices


def test_prices_are_read_into_the_settings_as_the_dry_run_reads_them(project: Path) -> None:
    from decimal import Decimal

    from kling_lint.prices import load_prices, price_table

    models = default_contract().allowed(("model",))
    _write(project / ".kling-lint.toml", f'[prices]\ncurrency = "USD"\n"{models[0]}" = 0.084\n{models[1]} = 1\n')
    settings = config.resolve({})
    assert settings.prices == {"currency": "USD", models[0]: 0.084, models[1]: 1}
    table = price_table(settings.prices, settings.source)
    assert table.per_second == {models[0]: Decimal("0.084"), models[1]: Decimal(1)}
    assert table == load_prices(".kling-lint.toml")._replace(source=settings.source)
    assert "USD" in CliRunner().invoke(main, ["config"]).stdout


def test_the_packaged_example_price_table_is_a_valid_configuration(project: Path) -> None:
    _write(project / ".kling-lint.toml", "[prices]\n" + (EXAMPLES / "prices.toml").read_text(encoding="utf-8"))
    assert config.resolve({}).prices["currency"]


def test_extra_body_keys_are_read_into_the_settings(project: Path) -> None:
    _write(project / "pyproject.toml", '[tool.kling-lint.extra-body-keys]\nwatermark = "boolean"\nseed = "integer"\n')
    assert config.resolve({}).extra_body_keys == {"watermark": "boolean", "seed": "integer"}


def _team_request(**extra: object) -> Path:
    request = {"model": "kling-v3-std-silent", "prompt": "A paper boat drifts down a gutter.", "extra_body": {"cfg_scale": 0.5, **extra}}
    return _write(Path("team.json"), json.dumps(request, indent=2))


def test_extra_body_keys_are_accepted_and_type_checked(project: Path) -> None:
    assert _rules_found(str(_team_request(watermark=True))) == (1, [("unknown-key", "error")])
    _write(project / ".kling-lint.toml", '[extra-body-keys]\nwatermark = "boolean"\nseed = "integer"\n')
    assert _rules_found(str(_team_request(watermark=True, seed=7))) == (0, [])
    assert _rules_found(str(_team_request(watermark="yes"))) == (1, [("type-mismatch", "error")])
    assert _rules_found(str(_team_request(watermark=True, sede=7))) == (1, [("unknown-key", "error")])
    # The contract's own keys are still checked as before.
    assert _rules_found(str(_team_request(watermark=True, cfg_scale=3))) == (1, [("cfg-scale-range", "error")])


def test_extra_body_keys_reach_the_console_shortcut_and_its_workers(project: Path) -> None:
    _write(project / ".kling-lint.toml", '[extra-body-keys]\nwatermark = "boolean"\n')
    request = _team_request(watermark=True)
    batch = [str(request)]
    for number in (2, 3):  # three files (a file named twice is checked once)
        batch.append(str(_write(project / f"team{number}.json", request.read_text(encoding="utf-8"))))
    for jobs in ([], ["--jobs", "2"]):
        run = subprocess.run([sys.executable, "-m", "kling_lint", "check", *jobs, *batch], capture_output=True, text=True, cwd=project)
        assert (run.returncode, run.stdout) == (0, "no problems in 3 files\n"), run.stderr


def test_the_team_schema_is_the_packaged_one_plus_the_keys() -> None:
    packaged = default_contract().schema
    before = json.dumps(packaged, sort_keys=True)
    team = config_apply.team_schema(packaged, {"watermark": "boolean"})
    assert json.dumps(packaged, sort_keys=True) == before  # the packaged schema is not touched
    added = team["properties"]["extra_body"]["properties"].pop("watermark")
    assert added["type"] == "boolean"
    assert team == packaged


# ---------------------------------------------------------------- refusals: file, line, key, exit 2

PYPROJECT_REFUSALS = [
    # (the table's text, the line, the key named, words of the message)
    ('[tool.kling-lint]\nformat = "json"\nselct = ["duration-range"]\n', 3, "tool.kling-lint.selct", "unknown key (did you mean select?)"),
    ('[tool.kling-lint]\nselect = "duration-range"\n', 2, "tool.kling-lint.select", 'must be an array of non-empty strings, not "duration-range"'),
    ('[tool.kling-lint]\nignore = [\n  "image-base64",\n  "duraton-range",\n]\n', 4, "tool.kling-lint.ignore", 'no rule "duraton-range" (did you mean duration-range?)'),
    ('[tool.kling-lint]\nignore = ["syntax"]\n', 2, "tool.kling-lint.ignore", "syntax cannot be switched off"),
    ('[tool.kling-lint]\nstrict = "yes"\n', 2, "tool.kling-lint.strict", 'must be true or false, not "yes"'),
    ('[tool.kling-lint]\n\nmax-bytes = 0\n', 3, "tool.kling-lint.max-bytes", "must be a whole number >= 1, not 0"),
    ('[tool.kling-lint]\njobs = true\n', 2, "tool.kling-lint.jobs", "must be a whole number >= 1, not true"),
    ('[tool.kling-lint]\nformat = "xml"\n', 2, "tool.kling-lint.format", 'must be one of "text", "json", "github", "sarif", not "xml"'),
    ('[tool.kling-lint.severity]\nimage-base64 = "error"\nshot-index = "fatal"\n', 3, "tool.kling-lint.severity.shot-index",
     'must be one of "error", "warning", "off", not "fatal"'),
    ('[tool.kling-lint.severity]\nunreadable = "warning"\n', 2, "tool.kling-lint.severity.unreadable", "unreadable cannot be switched off or re-graded"),
    ('[tool.kling-lint]\nseverity = { image-base64 = "error", imgae-url = "off" }\n', 2, "tool.kling-lint.severity.imgae-url", 'no rule "imgae-url"'),
    ('[tool.kling-lint]\nexclude = ["ok", ""]\n', 2, "tool.kling-lint.exclude", "must be an array of non-empty strings"),
    ('[tool.kling-lint.extra-body-keys]\nwatermark = "bool"\n', 2, "tool.kling-lint.extra-body-keys.watermark", 'must be a JSON type, one of "string"'),
    ('[tool.kling-lint.extra-body-keys]\ncfg_scale = "string"\n', 2, "tool.kling-lint.extra-body-keys.cfg_scale", "extra_body.cfg_scale is already part of the contract"),
    ('[tool.kling-lint.prices]\nkling-v3-std-silent = 0.084\n', 1, "tool.kling-lint.prices", 'no currency (add currency = "USD"'),
    ('[tool.kling-lint.prices]\ncurrency = 3\n', 2, "tool.kling-lint.prices.currency", "no currency"),
    ('[tool.kling-lint.prices]\ncurrency = "USD"\n', 1, "tool.kling-lint.prices", "no model has a price"),
    ('[tool.kling-lint.prices]\ncurrency = "USD"\nkling-v3-standard-silent = 0.084\n', 3, "tool.kling-lint.prices.kling-v3-standard-silent",
     "'kling-v3-standard-silent' is not a Kling v3 model"),
    ('[tool.kling-lint.prices]\ncurrency = "USD"\nkling-v3-pro-audio = -1\n', 3, "tool.kling-lint.prices.kling-v3-pro-audio", "a number of USD per second, 0 or more; got -1"),
    ('[tool.kling-lint.prices]\ncurrency = "USD"\nkling-v3-pro-audio = "0.2"\n', 3, "tool.kling-lint.prices.kling-v3-pro-audio", "got '0.2'"),
    ('[tool.kling-lint]\nprices = 3\n', 2, "tool.kling-lint.prices", "must be a table, not 3"),
]


@pytest.mark.parametrize(("text", "line", "key", "words"), PYPROJECT_REFUSALS, ids=[case[2] + ":" + str(case[1]) for case in PYPROJECT_REFUSALS])
def test_a_bad_file_is_refused_naming_file_line_and_key(project: Path, text: str, line: int, key: str, words: str) -> None:
    _write(project / "pyproject.toml", '[project]\nname = "team"\n\n' + text)
    result = _check(str(ERROR_FILE))
    assert result.exit_code == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert message.startswith(f"kling-lint: error: pyproject.toml:{line + 3}: {key}: "), message
    assert words in message
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_the_same_keys_in_kling_lint_toml_are_named_without_the_tool_table(project: Path) -> None:
    _write(project / ".kling-lint.toml", 'strict = false\n\n[severity]\nduraton-range = "off"\n')
    result = _check(str(ERROR_FILE))
    assert result.exit_code == 2
    assert result.stderr.startswith("kling-lint: error: .kling-lint.toml:4: severity.duraton-range: no rule")


@pytest.mark.parametrize(("text", "message"), [
    ('[tool.kling-lint]\nstrict = \n', "pyproject.toml:2: not valid TOML: Invalid value"),
    ('[tool.kling-lint]\nformat = "json"\nformat = "text"\n', "pyproject.toml:3: not valid TOML: Cannot overwrite a value"),
])
def test_a_file_that_is_not_toml_is_refused_with_its_line(project: Path, text: str, message: str) -> None:
    _write(project / "pyproject.toml", text)
    result = _check(str(ERROR_FILE))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"kling-lint: error: {message}"


def test_a_named_file_that_is_missing_or_without_the_table_is_refused(project: Path) -> None:
    missing = _check("--config", "nowhere.toml", str(ERROR_FILE))
    assert missing.exit_code == 2 and missing.stderr.startswith("kling-lint: error: nowhere.toml: cannot read the configuration:")
    _write(project / "pyproject.toml", "[tool.ruff]\n")
    bare = _check("--config", "pyproject.toml", str(ERROR_FILE))
    assert bare.exit_code == 2 and bare.stderr.strip() == "kling-lint: error: pyproject.toml: no [tool.kling-lint] table"


@pytest.mark.parametrize(("arguments", "message"), [
    (["--select", "duration-range,modle-unknown"], "--select: no rule 'modle-unknown'".replace("'", '"')),
    (["--ignore", "syntax"], "--ignore: syntax cannot be switched off"),
    (["--extend-select", "x"], '--extend-select: no rule "x"'),
])
def test_an_unknown_rule_on_the_command_line_is_refused(project: Path, arguments: list[str], message: str) -> None:
    result = _check(*arguments, str(ERROR_FILE))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"kling-lint: error: {message}")


def test_every_refusal_also_stops_the_console_shortcut(project: Path) -> None:
    _write(project / ".kling-lint.toml", "jobs = 0\n")
    run = subprocess.run([sys.executable, "-m", "kling_lint", "check", str(ERROR_FILE)], capture_output=True, text=True, cwd=project)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == "kling-lint: error: .kling-lint.toml:1: jobs: must be a whole number >= 1, not 0\n"


def test_the_readme_example_is_a_configuration_that_works(project: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Configuration\n.*?```toml\n(.*?)```", readme, re.S)[1]
    _write(project / "pyproject.toml", example)
    settings = config.resolve({})
    assert settings.source == "pyproject.toml"
    assert settings.disabled == {"image-base64"}
    assert settings.severity == {"aspect-ratio-ignored": "error"}
    assert settings.options["output_format"] == "github" and settings.options["strict"] is True
    assert settings.extra_body_keys == {"watermark": "boolean"}
    assert settings.prices == {"currency": "USD", "kling-v3-std-silent": 0.084}

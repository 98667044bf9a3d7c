"""The console script's shortcut reads a command line exactly as the click CLI does.

``entry.main`` runs ``kling-lint check PATH...`` without importing click; every other command
line goes to click. These tests hold the two to the same call of ``run_check``, and the same
output, so the shortcut can never change what a user gets.
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import event, given
from hypothesis import strategies as st

from kling_lint import cli, entry, run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# An argument as Python sees it on POSIX: any bytes but NUL, decoded as the file system decodes.
ARGUMENT = st.binary(min_size=1, max_size=12).filter(lambda raw: b"\0" not in raw).map(os.fsdecode)

# Arguments a command line is made of: options of the check command (with and without their
# values), other commands, and paths, plain or looking like options.
TOKENS = st.one_of(
    st.sampled_from(["check", "rules", "-", "--", "--strict", "--format", "json", "sarif", "-j", "2",
                     "--jobs=3", "--color", "never", "--max-bytes", "10", "-h", "--help", "--version", "-x",
                     "-V", "-q", "--quiet", "--statistics", "--exit-zero", "--max-findings", "3", "--stdin-filename",
                     "r.jsonl", "-o", "--output-file"]),
    ARGUMENT,
    ARGUMENT.map(lambda argument: "-" + argument),
)


def _bound(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """run_check's arguments by name, defaults filled in, paths as a tuple."""
    bound = inspect.signature(run.run_check).bind(*args, **kwargs)
    bound.apply_defaults()
    return {**bound.arguments, "paths": tuple(bound.arguments["paths"])}


def _click_call(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | None:
    """The run_check call the click CLI makes for ``argv``, or None when it makes none."""
    calls: list[dict[str, Any]] = []
    with monkeypatch.context() as patch:
        patch.setattr(cli, "run_check", lambda *a, **k: calls.append(_bound(*a, **k)) or 0)
        CliRunner().invoke(cli.main, argv)
    return calls[0] if calls else None


@given(st.booleans(), st.lists(TOKENS, max_size=6))
def test_the_shortcut_takes_only_command_lines_that_click_reads_the_same(starts_with_check: bool, tokens: list[str]) -> None:
    argv = ["check", *tokens] if starts_with_check else tokens
    paths = entry.plain_check_paths(argv)
    event(f"shortcut: {paths is not None}")
    if paths is None:
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _click_call(argv, monkeypatch) == _bound(paths)


@given(st.lists(ARGUMENT.filter(lambda path: path == "-" or path[0] != "-"), min_size=1))
def test_a_check_of_paths_alone_always_takes_the_shortcut(paths: list[str]) -> None:
    assert entry.plain_check_paths(["check", *paths]) == paths
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert _click_call(["check", *paths], monkeypatch) == _bound(paths)


@pytest.mark.parametrize("argv", [[], ["check"], ["rules"], ["check", "--strict", "a.json"], ["check", "a.json", "-j", "1"],
                                  ["check", "--", "a.json"], ["--version"], ["-V"], ["check", "-h"], ["check", "-q", "a.json"],
                                  ["check", "a.json", "--output-file", "r.txt"], ["check", "--stdin-filename", "r.jsonl", "-"]])
def test_everything_else_goes_to_click(argv: list[str]) -> None:
    assert entry.plain_check_paths(argv) is None


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kling_lint", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("paths", [
    [str(EXAMPLES / "text-to-video.yaml"), str(EXAMPLES / "image-to-video.json")],
    [str(EXAMPLES / "invalid"), str(EXAMPLES / "invalid" / "model-unknown.yaml")],
    ["-", "-"],
    [str(EXAMPLES / "invalid")],
    [str(EXAMPLES / "invalid" / "model-unknown.yaml"), str(EXAMPLES / "no-such-file.json")],
])
def test_the_shortcut_prints_and_exits_as_click_does(paths: list[str]) -> None:
    shortcut = _console("check", *paths)
    through_click = CliRunner().invoke(cli.main, ["check", *paths])
    assert shortcut.returncode == through_click.exit_code
    assert shortcut.stdout == through_click.stdout
    assert shortcut.stderr == through_click.stderr
    assert "Traceback" not in shortcut.stderr


def test_a_plain_check_of_a_simple_yaml_file_imports_neither_click_nor_the_yaml_parser(tmp_path: Path) -> None:
    request = tmp_path / "ok.yaml"
    request.write_text("model: kling-v3-std-silent\nprompt: a lighthouse at dusk\n", encoding="utf-8")
    code = (
        "import sys\nfrom kling_lint.entry import main\nsys.argv = ['kling-lint', 'check', sys.argv[1]]\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in ('click', 'jsonschema', 'ruamel', '_ruamel_yaml'))), file=sys.stderr)"
    )
    loaded = subprocess.run([sys.executable, "-c", code, str(request)], capture_output=True, text=True, check=True)
    assert loaded.stdout == "no problems in 1 file\n"
    assert loaded.stderr.split() == []


def test_a_reader_that_leaves_early_ends_the_run_quietly() -> None:
    with subprocess.Popen([sys.executable, "-m", "kling_lint", "check", str(EXAMPLES / "invalid")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read().decode()
        assert process.wait() == 1
    assert "Traceback" not in errors and "Exception" not in errors, errors


def test_ctrl_c_ends_the_run_with_130_and_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import kling_lint.api

    def interrupted(*args: Any, **keywords: Any) -> Any:
        raise KeyboardInterrupt
        yield  # pragma: no cover - makes this a generator, as lint_paths is

    monkeypatch.setattr(kling_lint.api, "lint_paths", interrupted)
    assert run.run_check([str(EXAMPLES / "text-to-video.yaml")]) == run.EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "kling-lint: interrupted\n"

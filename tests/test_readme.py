"""The README stays true: its generated parts are current and its two commands are the ones CI runs."""

from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_sections_are_up_to_date() -> None:
    result = subprocess.run([sys.executable, "scripts/update_readme.py", "--check"], cwd=ROOT)
    assert result.returncode == 0, "run: python scripts/update_readme.py"


def test_the_readme_test_command_is_the_one_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = '.venv/bin/pip install ".[test]" && .venv/bin/python -m pytest'
    assert command in README
    assert command.replace('".[test]"', '--quiet ".[test]"') in ci


def test_the_readme_check_command_installs_and_checks_the_examples() -> None:
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/kling-lint check examples/" in README

"""The pre-commit hook definition points at a real command and selects request files."""

from __future__ import annotations

import pathlib
import re

from ruamel.yaml import YAML

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_the_hook_runs_kling_lint_check_on_request_files() -> None:
    [hook] = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "kling-lint" and hook["language"] == "python"
    assert hook["entry"] == "kling-lint check"
    files = re.compile(hook["files"])
    from kling_lint.load import SUFFIXES

    for name in ["requests/a.json", "b.jsonl", "c.yaml", "d.yml"] + [f"e{suffix}" for suffix in SUFFIXES]:
        assert files.search(name), name
    for name in ("README.md", "main.py", "data.json.bak"):
        assert not files.search(name), name

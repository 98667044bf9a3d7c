"""Regenerate the README's generated parts: the rules table and the sample output.

    python scripts/update_readme.py          # rewrite README.md in place
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date (tests use this)
"""

from __future__ import annotations

import os
import pathlib
import re
import sys

from click.testing import CliRunner

from kling_lint.cli import main

ROOT = pathlib.Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SAMPLES = [
    "examples/invalid/prompt-and-multi-prompt.yaml",
    "examples/invalid/last-image-without-image.yaml",
    "examples/invalid/model-unknown.yaml",
    "examples/invalid/unknown-key.yaml",
]
CURL_SAMPLE = ["examples/batch.jsonl"]
MARKDOWN_SAMPLE = ["--pretty", "--markdown", "examples/multi-prompt-image-to-video.yaml"]
DRY_RUN_SAMPLE = ["--prices", "examples/prices.toml", "examples/batch.yaml"]


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.output


def _console(command: str, *args: str) -> str:
    """A console block: the command as a user types it, and its output without colour."""
    output = _run(command, "--color", "never", *args).rstrip()
    return f"```console\n$ kling-lint {command} {' '.join(args)}\n{output}\n```"


def readme_toml(text: str) -> str:
    """The configuration example of the README (the first TOML block of its Configuration section)."""
    return re.search(r"## Configuration\n.*?```toml\n(.*?)```", text, re.S)[1]


def _config_error(text: str) -> str:
    """What the README's configuration example with a misspelt rule id does to a check."""
    import tempfile

    misspelt = readme_toml(text).replace('aspect-ratio-ignored = "error"', 'aspect-ratio-ignored = "error"\nduraton-range = "off"')
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        pathlib.Path(folder, "pyproject.toml").write_text(misspelt, encoding="utf-8")
        os.chdir(folder)
        try:
            result = CliRunner().invoke(main, ["check", "requests/"])
        finally:
            os.chdir(here)
    assert result.exit_code == 2, result.output
    return f"```console\n$ kling-lint check requests/\n{result.stderr.rstrip()}\n```"


def _stdout(*args: str) -> str:
    return CliRunner().invoke(main, list(args), catch_exceptions=False).stdout.rstrip()


def sections(text: str) -> dict[str, str]:
    output = _run("check", "--color", "never", *SAMPLES)
    return {
        "rules": _run("rules", "--markdown").strip(),
        "output": f"```console\n$ kling-lint check {' '.join(SAMPLES)}\n{output.rstrip()}\n```",
        "suppress": _console("check", "examples/invalid/unused-suppression.yaml"),
        "config-error": _config_error(text),
        "curl": f"```console\n$ kling-lint curl {' '.join(CURL_SAMPLE)}\n{_stdout('curl', *CURL_SAMPLE)}\n```",
        "curl-markdown": f"````console\n$ kling-lint curl {' '.join(MARKDOWN_SAMPLE)}\n{_stdout('curl', *MARKDOWN_SAMPLE)}\n````",
        "dry-run": f"```console\n$ kling-lint dry-run {' '.join(DRY_RUN_SAMPLE)}\n{_stdout('dry-run', '--color', 'never', *DRY_RUN_SAMPLE)}\n```",
    }


def render(text: str) -> str:
    for name, body in sections(text).items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    os.chdir(ROOT)
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if wanted == current else 1)
    README.write_text(wanted, encoding="utf-8")

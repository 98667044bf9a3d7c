"""Regenerate the README's generated parts: the rules table and the sample output.

    python scripts/update_readme.py          # rewrite README.md in place
    python scripts/update_readme.py --check  # exit 1 if README.md is out of date (tests use this)
"""

from __future__ import annotations

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
FIX_SAMPLES = [
    "examples/invalid/yaml11-ambiguous.yaml",
    "examples/invalid/shot-index.json",
    "examples/invalid/unknown-key.json",
]


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.output


def _stdout(*args: str) -> str:
    return CliRunner().invoke(main, list(args), catch_exceptions=False).stdout.rstrip()


def sections() -> dict[str, str]:
    output = _run("check", "--color", "never", *SAMPLES)
    return {
        "rules": _run("rules", "--markdown").strip(),
        "output": f"```console\n$ kling-lint check {' '.join(SAMPLES)}\n{output.rstrip()}\n```",
        "curl": f"```console\n$ kling-lint curl {' '.join(CURL_SAMPLE)}\n{_stdout('curl', *CURL_SAMPLE)}\n```",
        "curl-markdown": f"````console\n$ kling-lint curl {' '.join(MARKDOWN_SAMPLE)}\n{_stdout('curl', *MARKDOWN_SAMPLE)}\n````",
        "fix": _fix_section(),
        "dry-run": f"```console\n$ kling-lint dry-run {' '.join(DRY_RUN_SAMPLE)}\n{_stdout('dry-run', '--color', 'never', *DRY_RUN_SAMPLE)}\n```",
    }


def _fix_section() -> str:
    """``check --diff`` then ``check --fix`` on copies of FIX_SAMPLES, in a temporary folder
    (examples/ itself is never written)."""
    import os
    import shutil
    import tempfile

    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        for sample in FIX_SAMPLES:
            os.makedirs(os.path.join(folder, os.path.dirname(sample)), exist_ok=True)
            shutil.copyfile(ROOT / sample, os.path.join(folder, sample))
        os.chdir(folder)
        try:
            steps = [["check", "--diff", "--unsafe-fixes", *FIX_SAMPLES], ["check", "--fix", "--color", "never", *FIX_SAMPLES],
                     ["check", "--fix", "--unsafe-fixes", "--color", "never", *FIX_SAMPLES]]
            shown = [f"$ kling-lint {' '.join(step)}\n{_run(*step).rstrip()}" for step in steps]
        finally:
            os.chdir(here)
    return "```console\n" + "\n\n".join(shown) + "\n```"


def render(text: str) -> str:
    for name, body in sections().items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    return text


if __name__ == "__main__":
    import os

    os.chdir(ROOT)
    current = README.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in sys.argv:
        sys.exit(0 if wanted == current else 1)
    README.write_text(wanted, encoding="utf-8")

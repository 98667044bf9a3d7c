"""The command line: options in, API calls, a reporter out. Nothing is worked out here.

Only click and the standard library are imported at module level; each command imports what
it needs when it runs, so ``kling-lint --help`` and a check of valid JSON files never load
jsonschema or the YAML parser. The console script enters through ``entry``, which runs the
plain ``kling-lint check FILE...`` call without importing this module at all.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .run import COLOR_CHOICES, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_BYTES, FORMAT_NAMES, run_check


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kling-lint")
def main() -> None:
    """Check Kling v3 video-generation request files (JSON, JSONL, YAML) before you submit them."""


def _seconds(context: click.Context, parameter: click.Parameter, value: float) -> float:
    if value != value:  # NaN passes every range comparison
        raise click.BadParameter("not a number of seconds")
    return value


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default="text", show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse files larger than this.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True, help="Colour in text output (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes that check files, this one included (default: one a core, from 400 files).")
@click.option("--fetch-images", is_flag=True, help="Fetch every http(s) image URL (one GET each, to the URL's host) and check it as base64 images are checked.")
@click.option("--fetch-timeout", type=click.FloatRange(min=0, min_open=True, max=3600), default=DEFAULT_FETCH_TIMEOUT, show_default=True, callback=_seconds, help="Seconds allowed to fetch one image, all included.")
def check(paths: tuple[str, ...], output_format: str, strict: bool, max_bytes: int, color: str, jobs: int | None,
          fetch_images: bool, fetch_timeout: float) -> None:
    """Check request files and directories; "-" reads standard input.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 a file could not be read.
    """
    sys.exit(run_check(paths, output_format, strict, max_bytes, color, jobs, fetch_images=fetch_images, fetch_timeout=fetch_timeout))


@main.command()
@click.argument("rule_id", required=False)
@click.option("--markdown", is_flag=True, help="Print the list as a Markdown table (the README's).")
def rules(rule_id: str | None, markdown: bool) -> None:
    """List the rules, or explain one."""
    from .contract import RULES

    if rule_id is None:
        if markdown:
            click.echo("| rule | severity | what it finds |\n|---|---|---|")
        for rule in RULES.values():
            if markdown:
                click.echo(f"| `{rule.id}` | {rule.severity.value} | {rule.summary} |")
            else:
                click.echo(f"{rule.id:26} {rule.severity.value:8} {rule.summary}")
        return
    if rule_id not in RULES:
        raise click.BadParameter(f"no rule {rule_id!r}; `kling-lint rules` lists them", param_hint="RULE_ID")
    rule = RULES[rule_id]
    click.echo(f"{rule.id} ({rule.severity.value})\n\n{rule.summary}\n")
    if rule.details:
        click.echo(rule.details)


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
from .run import COLOR_CHOICES, DEFAULT_MAX_BYTES, FORMAT_NAMES, run_check


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kling-lint")
def main() -> None:
    """Check Kling v3 video-generation request files (JSON, JSONL, YAML) before you submit them."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default="text", show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse files larger than this.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True, help="Colour in text output (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes that check files, this one included (default: one a core, from 400 files).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes ([*]) to the files, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: apply the unsafe fixes too (a guessed name, a moved key).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 when there is something to fix).")
def check(paths: tuple[str, ...], output_format: str, strict: bool, max_bytes: int, color: str, jobs: int | None,
          fix: bool, unsafe_fixes: bool, diff: bool) -> None:
    """Check request files and directories; "-" reads standard input.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 a file could not be read.
    """
    sys.exit(run_check(paths, output_format, strict, max_bytes, color, jobs, fix=fix, unsafe_fixes=unsafe_fixes, diff=diff))


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



@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--base-url", help='The gateway\'s base URL (default: "$KLING_BASE_URL" in the command).')
@click.option("--pretty", is_flag=True, help="The body indented over several lines, in a quoted here-document.")
@click.option("--markdown", is_flag=True, help="Each command in a fenced sh block under a heading, for a docs page.")
@click.option("--no-check", "no_check", is_flag=True, help="Print a command for invalid requests too.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse files larger than this.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True, help="Colour in findings (auto: on a terminal, unless NO_COLOR is set).")
def curl(paths: tuple[str, ...], base_url: str | None, pretty: bool, markdown: bool, no_check: bool, max_bytes: int, color: str) -> None:
    """A ready-to-paste curl command for each request of the files; "-" reads standard input.

    The token is always $KLING_API_KEY. Findings go to standard error; an invalid request gets
    none. Exit status: 0 every request got its command, 1 a request has errors, 2 a file could
    not be read.
    """
    from .preview import run_curl

    sys.exit(run_curl(paths, base_url, pretty, markdown, not no_check, max_bytes, color))


@main.command("dry-run")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True, help="Output format.")
@click.option("--prices", "prices_path", type=click.Path(dir_okay=False), help="A price table (TOML or JSON): currency, and price per second per model.")
@click.option("--no-curl", "no_curl", is_flag=True, help="Leave out each request's curl command.")
@click.option("--base-url", help='The gateway\'s base URL in the curl commands (default: "$KLING_BASE_URL").')
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse files larger than this.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True, help="Colour in text output (auto: on a terminal, unless NO_COLOR is set).")
def dry_run(paths: tuple[str, ...], output_format: str, prices_path: str | None, no_curl: bool, base_url: str | None, max_bytes: int, color: str) -> None:
    """What each request would send and make, and the whole run's seconds (and cost, with --prices).

    Exit status: as check's.
    """
    from .preview import run_dry_run
    from .prices import PriceError, load_prices

    try:
        prices = load_prices(prices_path) if prices_path else None
    except PriceError as error:
        raise click.BadParameter(str(error), param_hint="'--prices'") from None
    sys.exit(run_dry_run(paths, output_format, not no_curl, prices, base_url, max_bytes, color))

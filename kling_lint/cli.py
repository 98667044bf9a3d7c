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
from .run import COLOR_CHOICES, DEFAULT_FETCH_TIMEOUT, DEFAULT_MAX_BYTES, DEFAULT_MAX_FINDINGS, FORMAT_NAMES, STATISTICS_FORMATS, run_check


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="kling-lint")
def main() -> None:
    """Check Kling v3 video-generation request files (JSON, JSONL, YAML) before you submit them."""


def _seconds(context: click.Context, parameter: click.Parameter, value: float) -> float:
    if value != value:  # NaN passes every range comparison
        raise click.BadParameter("not a number of seconds")
    return value


_fetch_images = click.option("--fetch-images", is_flag=True,
                             help="Fetch every http(s) image URL (one GET each, to the URL's host) and check it as base64 images are checked.")
_fetch_timeout = click.option("--fetch-timeout", type=click.FloatRange(min=0, min_open=True, max=3600), default=DEFAULT_FETCH_TIMEOUT,
                              show_default=True, callback=_seconds, help="Seconds allowed to fetch one image, all included.")


_RULE_IDS = "RULE[,RULE]"


@main.command()
@click.argument("paths", nargs=-1, metavar="PATHS...", type=click.Path(allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default=None, help="Output format.  [default: text]")
@click.option("--strict/--no-strict", default=None, help="Warnings fail the run too (exit 1).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help=f"Refuse files larger than this.  [default: {DEFAULT_MAX_BYTES}]")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default=None, help="Colour in text output (auto: on a terminal, unless NO_COLOR is set).  [default: auto]")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Processes that check files, this one included (default: one a core, from 400 files).")
@click.option("--fix", is_flag=True, help="Apply the safe fixes ([*]) to the files, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff: apply the unsafe fixes too (a guessed name, a moved key).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (exit 1 when there is something to fix).")
@click.option("--max-findings", type=click.IntRange(min=1), default=DEFAULT_MAX_FINDINGS, show_default=True, help="Findings shown a file; one more says how many were left out.")
@click.option("--quiet", "-q", is_flag=True, help="Print the findings only, no summary line.")
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has, most first, instead of the findings (text or json).")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False, allow_dash=False), default=None, help="Write the report to this file (whole or not at all) instead of standard output.")
@click.option("--stdin-filename", metavar="NAME", default=None, help='The name of what "-" reads, as output shows it; its suffix sets the format (.jsonl: one request a line); without one, the content does: JSON when it starts with { or [, except a { whose first key is not in double quotes, which is YAML when it reads as YAML.')
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means a file could not be read).")
@click.option("--select", multiple=True, metavar=_RULE_IDS, help="Check these rules only (replaces the configuration's select).")
@click.option("--extend-select", multiple=True, metavar=_RULE_IDS, help="Check these rules too.")
@click.option("--ignore", multiple=True, metavar=_RULE_IDS, help="Do not check these rules.")
@click.option("--force-exclude/--no-force-exclude", default=None, help="Apply the configuration's exclude to files named here too.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="Read this configuration file instead of looking for one.")
@click.option("--isolated", is_flag=True, help="Read no configuration file.")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings and where they came from, and check nothing.")
@_fetch_images
@_fetch_timeout
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], output_format: str | None, strict: bool | None, max_bytes: int | None,
          color: str | None, jobs: int | None, max_findings: int, quiet: bool, statistics: bool, output_file: str | None,
          stdin_filename: str | None, exit_zero: bool, select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          force_exclude: bool | None, config_file: str | None, isolated: bool, show_settings: bool,
          fetch_images: bool, fetch_timeout: float, fix: bool, unsafe_fixes: bool, diff: bool) -> None:
    """Check request files and directories; "-" reads standard input.

    Settings come from the command line, then .kling-lint.toml or [tool.kling-lint] in
    pyproject.toml (the nearest, from the current directory up), then the defaults.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 a file could not be read,
    the report could not be written or the configuration cannot be used.
    """
    if not paths and not show_settings:
        raise click.MissingParameter(ctx=ctx, param=ctx.command.params[0])
    if statistics and output_format not in (None, *STATISTICS_FORMATS):
        raise click.BadOptionUsage("statistics", f"--statistics prints text or json, not {output_format}")
    sys.exit(run_check(paths, output_format, strict, max_bytes, color, jobs, quiet, statistics, output_file,
                       stdin_filename, exit_zero, max_findings,
                       select=_rule_ids(select), ignore=_rule_ids(ignore), extend_select=_rule_ids(extend_select),
                       force_exclude=force_exclude, config_file=config_file, isolated=isolated, show_settings=show_settings,
                       fetch_images=fetch_images, fetch_timeout=fetch_timeout,
                       fix=fix, unsafe_fixes=unsafe_fixes, diff=diff))


def _rule_ids(given: tuple[str, ...]) -> tuple[str, ...] | None:
    """``--select a,b --select c`` -> ("a", "b", "c"); None when the option is not given."""
    if not given:
        return None
    return tuple(part.strip() for value in given for part in value.split(",") if part.strip())


@main.command("config")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None, help="Read this configuration file instead of looking for one.")
@click.option("--isolated", is_flag=True, help="Read no configuration file.")
def config_command(config_file: str | None, isolated: bool) -> None:
    """Print the settings a check would use here, and the file they come from."""
    sys.exit(run_check((), config_file=config_file, isolated=isolated, show_settings=True))


@main.command()
@click.argument("rule_id", required=False)
@click.option("--markdown", is_flag=True, help="Print the list as a Markdown table (the README's).")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="json: every part of the documentation, for tools.")
def rules(rule_id: str | None, markdown: bool, output_format: str) -> None:
    """List the rules, or explain one: what it finds, why it matters, an example, how to switch it off."""
    from .contract import RULES

    if rule_id is not None and rule_id not in RULES:
        raise click.BadParameter(f"no rule {rule_id!r}; `kling-lint rules` lists them", param_hint="RULE_ID")
    if output_format == "json":
        import json

        from .rule_docs import as_json, document

        found = [as_json(document(RULES[rule_id]))] if rule_id else [as_json(document(rule)) for rule in RULES.values()]
        click.echo(json.dumps(found[0] if rule_id else found, indent=2, ensure_ascii=False))
        return
    if rule_id is None:
        if markdown:
            click.echo("| rule | severity | what it finds |\n|---|---|---|")
        for rule in RULES.values():
            if markdown:
                click.echo(f"| `{rule.id}` | {rule.severity.value} | {rule.summary} |")
            else:
                click.echo(f"{rule.id:26} {rule.severity.value:8} {rule.summary}")
        return
    from .rule_docs import document, render_text

    click.echo(render_text(document(RULES[rule_id])), nl=False)


@main.command()
@click.argument("rule_id")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="json: every part of the documentation, for tools.")
@click.pass_context
def explain(ctx: click.Context, rule_id: str, output_format: str) -> None:
    """Explain one rule (the same as `kling-lint rules RULE_ID`)."""
    ctx.invoke(rules, rule_id=rule_id, markdown=False, output_format=output_format)


@main.command()
@click.option("--path", "show_path", is_flag=True, help="Print where the schema file is installed, for editors and other validators.")
@click.option("--openapi", is_flag=True, help="Print an OpenAPI 3.1 document of the endpoint (request body: this schema).")
def schema(show_path: bool, openapi: bool) -> None:
    """Print the JSON Schema of a request (draft 2020-12), as installed."""
    from .contract.schema import schema_path

    if show_path and openapi:
        raise click.UsageError("--path and --openapi cannot be used together")
    if show_path:
        click.echo(schema_path())
    elif openapi:
        import json

        from .contract import default_contract
        from .openapi import document

        click.echo(json.dumps(document(default_contract(), __version__), indent=2, ensure_ascii=False))
    else:
        with open(schema_path(), encoding="utf-8") as handle:
            click.echo(handle.read(), nl=False)


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
@click.option("--send", "send_url", metavar="URL", help="Then post each request to this gateway (token from $KLING_API_KEY); only a run without errors is sent.")
@click.option("--wait", is_flag=True, help="With --send: poll each job until it ends, printing its states.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=30.0, show_default=True, help="With --send: seconds each HTTP request may take.")
@click.option("--wait-limit", type=click.FloatRange(min=0), default=1800.0, show_default=True, help="With --wait: seconds to poll a job before giving up.")
@_fetch_images
@_fetch_timeout
def dry_run(paths: tuple[str, ...], output_format: str, prices_path: str | None, no_curl: bool, base_url: str | None, max_bytes: int, color: str,
            send_url: str | None, wait: bool, timeout: float, wait_limit: float, fetch_images: bool, fetch_timeout: float) -> None:
    """What each request would send and make, and the whole run's seconds (and cost, with --prices).

    Exit status: as check's; with --send, 1 also when the gateway refuses a request or a job
    fails, 2 when the gateway cannot be reached or its answer is not JSON.
    """
    from .config import ConfigError, resolve
    from .preview import run_dry_run
    from .prices import PriceError, load_prices, price_table

    try:
        prices = load_prices(prices_path) if prices_path else None
    except PriceError as error:
        raise click.BadParameter(str(error), param_hint="'--prices'") from None
    if prices is None:  # the configuration's table, as `check` finds its configuration
        try:
            settings = resolve({})
            prices = price_table(settings.prices, settings.source or "configuration") if settings.prices else None
        except (ConfigError, PriceError) as error:
            click.echo(f"kling-lint: error: {error}", err=True)
            sys.exit(2)
    send = None
    if wait and send_url is None:
        raise click.BadOptionUsage("wait", "--wait needs --send URL")
    if send_url is not None:
        from .send import SendOptions, url_problem

        if url_problem(send_url):
            raise click.BadParameter(str(url_problem(send_url)), param_hint="'--send'")
        send = SendOptions(send_url, wait, timeout, wait_limit)
    sys.exit(run_dry_run(paths, output_format, not no_curl, prices, base_url, max_bytes, color, send, fetch_images, fetch_timeout))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; a non-loopback one prints a warning.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port; 0 picks a free one (printed).")
@click.option("--job-seconds", type=click.FloatRange(min=0), default=3.0, show_default=True, help="How long a job takes to end.")
@click.option("--latency", "latency_ms", type=click.IntRange(min=0), default=0, show_default=True, metavar="MS", help="Added to every answer.")
@click.option("--fail-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True, metavar="P", help="Share of jobs that end failed.")
@click.option("--seed", type=int, default=None, help="Seed for job ids and outcomes: the same sequence every run.")
@click.option("--require-token", is_flag=True, help="Refuse (401) a request without 'Authorization: Bearer …'.")
@click.option("--max-body", type=click.IntRange(min=1), default=1024 * 1024, show_default=True, help="Largest body taken, in bytes (413 beyond).")
@click.option("--max-jobs", type=click.IntRange(min=1), default=10_000, show_default=True, help="Jobs kept in memory; the oldest are forgotten.")
@click.option("--read-timeout", type=click.FloatRange(min=0.01), default=10.0, show_default=True, help="Seconds a request may take to arrive.")
def serve(host: str, port: int, job_seconds: float, latency_ms: int, fail_rate: float, seed: int | None,
          require_token: bool, max_body: int, max_jobs: int, read_timeout: float) -> None:
    """Answer as the gateway does, on this machine: POST /v1/video/generations, checked by kling-lint,
    and jobs that walk queued -> in_progress -> completed, with a placeholder video.
    """
    from .serve.server import Settings, run_server

    settings = Settings(job_seconds, fail_rate, seed, latency_ms, require_token, max_body, max_jobs, read_timeout)
    sys.exit(run_server(settings, host, port))

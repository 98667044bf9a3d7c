"""Configuration: a team's settings, from ``.kling-lint.toml`` or ``[tool.kling-lint]`` in pyproject.toml.

The file is found as ruff finds its own: from the current directory up to the root, each folder
is asked for a ``.kling-lint.toml`` (its keys at the top level), then for a ``pyproject.toml``
with a ``[tool.kling-lint]`` table (one without the table is passed over). ``--config PATH``
names the file instead, ``--isolated`` reads none. The command line beats the file, which
beats the defaults.

Every run of ``kling-lint check FILE...`` (the pre-commit call) looks, so looking is kept cheap:
two stat calls a folder; a pyproject.toml is read, and parsed only when its text has a
kling-lint table header or key (a dependency "kling-lint>=0.1" is not one), so tomllib (~6 ms)
is imported only for a file that may configure kling-lint. A run without one imports nothing
but this module.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from . import rule_ids
from .findings import Finding, Severity

if TYPE_CHECKING:
    from .contract import Contract

CONFIG_FILE = ".kling-lint.toml"
PYPROJECT = "pyproject.toml"
PYPROJECT_TABLE = ("tool", "kling-lint")

# Rules a configuration cannot switch off or re-grade: a file that cannot be read was not checked,
# and kling-lint's check on itself is never let through in silence.
FIXED_RULES = frozenset({rule_ids.SYNTAX, rule_ids.UNREADABLE, rule_ids.INTERNAL_CONSISTENCY})
SEVERITY_CHOICES = ("error", "warning", "off")
FIXED_WHY = "a file that cannot be read was not checked, and kling-lint's check on itself never passes in silence"
JSON_TYPES = ("string", "number", "integer", "boolean", "object", "array", "null")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file, the line and the key."""


class Settings(NamedTuple):
    """What a run is configured with, the command line and the file merged.

    ``options`` holds the check command's options by run_check's parameter names, every one
    resolved (defaults filled in); ``origins`` says where each file key's value came from.
    ``prices`` is the dry-run's price table as the file has it: ``{"currency": "USD",
    "<model id>": price per second, ...}``, or None.
    """

    source: str | None = None
    options: Mapping[str, Any] = {}
    origins: Mapping[str, str] = {}
    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = {}
    exclude: tuple[str, ...] = ()
    root: str = ""
    extra_body_keys: Mapping[str, str] = {}
    prices: Mapping[str, Any] | None = None

    def contract(self) -> Contract:
        """The contract a run checks against: the packaged one, its extra_body gaining the
        team's keys, with the team's severities (so findings are placed with them)."""
        from .contract import Contract, default_contract

        contract = default_contract()
        if self.extra_body_keys:
            contract = Contract(team_schema(contract.schema, self.extra_body_keys))
        return contract.with_severities(self.severity) if self.severity else contract

    def switched_on(self, findings: list[Finding]) -> list[Finding]:
        """``findings`` without those of the rules switched off."""
        if not self.disabled:
            return findings
        return [finding for finding in findings if finding.rule not in self.disabled]

    def excludes(self, path: str, named: bool) -> bool:
        """Whether ``path`` is left out: found by a directory walk, or ``named`` on the command line.

        A named file is left out only with force-exclude (as ruff does), and then also when a
        folder it is in, below the configuration's folder, matches.
        """
        if not self.exclude or (named and not self.options.get("force_exclude")):
            return False
        return _matches(path, self.exclude, self.root, named)


def resolve(
    options: Mapping[str, Any],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    config_file: str | None = None,
    isolated: bool = False,
    start: str | None = None,
) -> Settings:
    """The settings of a run: ``options`` (run_check's parameters, None where not given on the
    command line) and the rule options of the command line, over the configuration file's.

    Raises ConfigError for a file or a rule id that cannot be used.
    """
    specs = option_specs()
    path = None if isolated else (config_file if config_file is not None else find_config(start or os.getcwd()))
    table: dict[str, Any] = {}
    if path is not None:
        from .config_file import read_table

        table = read_table(path)
    merged: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for key, (parameter, default, _) in specs.items():
        if options.get(parameter) is not None:
            merged[parameter], origins[key] = options[parameter], "command line"
        elif key in table:
            merged[parameter], origins[key] = table[key], _shown_path(path)
        else:
            merged[parameter], origins[key] = default, "default"
    disabled, severity = _rules(table, select, ignore, extend_select)
    return Settings(
        source=_shown_path(path) if path is not None else None,
        options=merged,
        origins=origins,
        disabled=disabled,
        severity=severity,
        exclude=tuple(table.get("exclude", ())),
        root=os.path.dirname(os.path.abspath(path)) if path is not None else os.getcwd(),
        extra_body_keys=dict(table.get("extra-body-keys", {})),
        prices=table.get("prices"),
    )


def find_config(start: str) -> str | None:
    """The configuration file nearest to ``start``, walking up: a .kling-lint.toml, else a
    pyproject.toml with a [tool.kling-lint] table; None when there is none up to the root."""
    folder = os.path.abspath(start)
    while True:
        candidate = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_table(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_table(pyproject: str) -> bool:
    """Whether a pyproject.toml has [tool.kling-lint]: parsed only when its bytes name kling-lint."""
    try:
        with open(pyproject, "rb") as handle:
            data = handle.read()
    except OSError:
        return False  # an unreadable pyproject.toml is not ours to complain about
    if b"kling-lint" not in data or not _table_pattern().search(data):
        return False  # most pyproject.toml files: no TOML parser imported (it costs ~6 ms)
    from .config_file import has_table

    return has_table(pyproject, data)


@cache
def _table_pattern() -> re.Pattern[bytes]:
    """What could define [tool.kling-lint]: a header, or a key kling-lint (plain or dotted),
    rather than, say, a dependency "kling-lint>=0.1"."""
    return re.compile(
        rb"""^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*["']?kling-lint"""  # [tool.kling-lint] and its sub-tables
        rb"""|(?:^|[{,.])[ \t]*["']?kling-lint["']?[ \t]*[.=]""",  # kling-lint = / kling-lint.x = / tool.kling-lint.x =
        re.M,
    )


def option_specs() -> dict[str, tuple[str, Any, Any]]:
    """The check command's options a file may give defaults for: file key -> (run_check's
    parameter, default, kind). A kind is ``bool``, ``int`` (a whole number >= 1) or a tuple of
    the allowed strings. A new option of the command gets a line here."""
    from .run import COLOR_CHOICES, DEFAULT_MAX_BYTES, FORMAT_NAMES

    return {
        "format": ("output_format", "text", FORMAT_NAMES),
        "strict": ("strict", False, bool),
        "max-bytes": ("max_bytes", DEFAULT_MAX_BYTES, int),
        "color": ("color", "auto", COLOR_CHOICES),
        "jobs": ("jobs", None, int),
        "force-exclude": ("force_exclude", False, bool),
    }


def _rules(
    table: Mapping[str, Any],
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    extend_select: Sequence[str] | None,
) -> tuple[frozenset[str], dict[str, Severity]]:
    """Which rules are off, and the severities changed, as ruff combines its layers: a layer's
    ``select`` replaces the set so far, its ``extend-select`` adds and its ``ignore`` removes
    (ignore winning within the layer). The file is one layer, the command line the next."""
    command_line = {"select": select, "ignore": ignore, "extend-select": extend_select}
    if not table and all(given is None for given in command_line.values()):
        return frozenset(), {}  # the usual run: nothing to work out
    from .contract import RULES

    for key, given in command_line.items():
        for rule_id in given or ():
            check_rule_id(rule_id, f"--{key}", switching_off=key == "ignore")
    severity_table = table.get("severity", {})
    file_layer = {
        "select": table.get("select"),
        "extend-select": table.get("extend-select"),
        "ignore": list(table.get("ignore", ())) + [rule for rule, grade in severity_table.items() if grade == "off"],
    }
    enabled = set(RULES)
    for layer in (file_layer, command_line):
        if layer["select"] is not None:
            enabled = set(layer["select"])
        enabled.update(layer["extend-select"] or ())
        enabled.difference_update(layer["ignore"] or ())
    enabled |= FIXED_RULES
    severity = {
        rule: Severity(grade)
        for rule, grade in severity_table.items()
        if grade != "off" and Severity(grade) is not RULES[rule].severity
    }
    return frozenset(RULES) - enabled, severity


def check_rule_id(rule_id: str, where: str, switching_off: bool = False) -> None:
    """ConfigError unless ``rule_id`` names a rule (that may be switched off, if it is)."""
    from .contract import RULES

    if switching_off and rule_id in FIXED_RULES:
        raise ConfigError(f"{where}: {rule_id} cannot be switched off or re-graded: {FIXED_WHY}")
    if rule_id not in RULES:
        raise ConfigError(f"{where}: {unknown_rule(rule_id)}")


def unknown_rule(rule_id: str) -> str:
    from .contract import RULES
    from .contract.suggest import closest

    guess = closest(rule_id, sorted(RULES), cutoff=0.6)
    hint = f" (did you mean {guess}?)" if guess else ""
    return f'no rule "{rule_id}"{hint}; `kling-lint rules` lists them'


def _shown_path(path: str) -> str:
    """A file's path as messages show it: relative to the current directory when below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return path if relative.startswith("..") else relative


def team_schema(schema: dict[str, Any], extra_body_keys: Mapping[str, str]) -> dict[str, Any]:
    """A copy of ``schema`` whose extra_body accepts the team's keys, each of its JSON type."""
    import copy

    team = copy.deepcopy(schema)
    known = team["properties"]["extra_body"]["properties"]
    for name, kind in extra_body_keys.items():
        known[name] = {
            "title": name,
            "description": "A key the team's gateway accepts in extra_body (kling-lint configuration: extra-body-keys).",
            "type": kind,
        }
    return team


def _matches(path: str, patterns: tuple[str, ...], root: str, named: bool) -> bool:
    """Whether a pattern matches ``path`` as ruff's exclude does: a pattern without a slash
    matches a file or folder name anywhere, one with a slash the path from ``root`` (the
    configuration's folder); ``*`` matches across slashes. For a path ``named`` on the command
    line, the folders it is in (below ``root``) are tried too, since no walk pruned them."""
    import fnmatch

    absolute = os.path.abspath(path)
    candidates = [absolute]
    if named:
        folder = os.path.dirname(absolute)
        while folder.startswith(root.rstrip(os.sep) + os.sep):
            candidates.append(folder)
            folder = os.path.dirname(folder)
    for pattern in patterns:
        pattern = pattern.rstrip("/") or pattern
        anchored = os.path.join(root, pattern)
        for candidate in candidates:
            if fnmatch.fnmatchcase(os.path.basename(candidate), pattern) or fnmatch.fnmatchcase(candidate, anchored):
                return True
    return False


def describe(settings: Settings) -> str:
    """The resolved settings as ``kling-lint config`` prints them: each value and where it came from."""
    from .contract import RULES

    source = settings.source or "no configuration file (defaults and the command line)"
    rows = [("configuration", source, "")]
    specs = option_specs()
    for key, (parameter, _, _) in specs.items():
        rows.append((key, _toml(settings.options[parameter]), settings.origins[key]))
    off = sorted(settings.disabled)
    rows.append(("rules", f"{len(RULES) - len(off)} of {len(RULES)} on", ""))
    rows.append(("rules off", ", ".join(off) or "none", ""))
    for rule, severity in sorted(settings.severity.items()):
        rows.append((f"severity.{rule}", severity.value, f"default {RULES[rule].severity.value}"))
    rows.append(("exclude", ", ".join(settings.exclude) or "none", f"relative to {settings.root}" if settings.exclude else ""))
    extra = ", ".join(f"{name} ({kind})" for name, kind in settings.extra_body_keys.items())
    rows.append(("extra-body-keys", extra or "none", ""))
    prices = settings.prices
    if prices:
        shown = ", ".join(f"{model} {price}/s" for model, price in prices.items() if model != "currency")
        rows.append(("prices", f"{prices['currency']}: {shown or 'no model priced'}", ""))
    else:
        rows.append(("prices", "none", ""))
    width = max(len(key) for key, _, _ in rows)
    return "\n".join(f"{key:<{width}}  {value}" + (f"  ({origin})" if origin else "") for key, value, origin in rows)


def _toml(value: Any) -> str:
    if value is None:
        return "not set"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)

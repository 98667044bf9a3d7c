"""Applying a configuration: which rules are in force, what exclude leaves out, the team's
schema, and the settings as ``kling-lint config`` prints them.

Apart from config.py so that a run without a configuration (the pre-commit call) never loads
this code: config.py imports it only for a file or a rule option that needs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from .config import FIXED_RULES, FIXED_WHY, ConfigError, Settings, option_specs
from .findings import Severity


def rules_in_force(
    table: Mapping[str, Any],
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    extend_select: Sequence[str] | None,
) -> tuple[frozenset[str], dict[str, Severity]]:
    """Which rules are off, and the severities changed, as ruff combines its layers: a layer's
    ``select`` replaces the set so far, its ``extend-select`` adds and its ``ignore`` removes
    (ignore winning within the layer). The file is one layer, the command line the next."""
    from .contract import RULES

    command_line = {"select": select, "ignore": ignore, "extend-select": extend_select}
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
    from .contract.suggest import closest, either

    found = closest(rule_id, sorted(RULES), cutoff=0.6)
    guess = either(found) if found else None
    hint = f" (did you mean {guess}?)" if guess else ""
    return f'no rule "{rule_id}"{hint}; `kling-lint rules` lists them'


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


def excluded(path: str, patterns: tuple[str, ...], root: str, named: bool) -> bool:
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

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
from typing import TYPE_CHECKING, Any

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


class Settings:
    """What a run is configured with, the command line and the file merged.

    ``options`` holds the check command's options by run_check's parameter names, every one
    resolved (defaults filled in); ``origins`` says where each file key's value came from.
    ``prices`` is the dry-run's price table as the file has it: ``{"currency": "USD",
    "<model id>": price per second, ...}``, or None. (A plain class: a NamedTuple this size
    costs the pre-commit call ~0.15 ms to define.)
    """

    __slots__ = ("source", "options", "origins", "disabled", "severity", "exclude", "root", "extra_body_keys", "prices")

    def __init__(
        self,
        source: str | None = None,
        options: Mapping[str, Any] | None = None,
        origins: Mapping[str, str] | None = None,
        disabled: frozenset[str] = frozenset(),
        severity: Mapping[str, Severity] | None = None,
        exclude: tuple[str, ...] = (),
        root: str = "",
        extra_body_keys: Mapping[str, str] | None = None,
        prices: Mapping[str, Any] | None = None,
    ) -> None:
        self.source = source
        self.options = options or {}
        self.origins = origins or {}
        self.disabled = disabled
        self.severity = severity or {}
        self.exclude = exclude
        self.root = root
        self.extra_body_keys = extra_body_keys or {}
        self.prices = prices

    def contract(self) -> Contract:
        """The contract a run checks against: the packaged one, its extra_body gaining the
        team's keys, with the team's severities (so findings are placed with them)."""
        from .contract import Contract, default_contract

        contract = default_contract()
        if self.extra_body_keys:
            from .config_apply import team_schema

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
        from .config_apply import excluded

        return excluded(path, self.exclude, self.root, named)


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
    if isolated and config_file is not None:
        raise ConfigError("--config and --isolated cannot be used together: --isolated reads no configuration")
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
            merged[parameter], origins[key] = table[key], _shown_path(path or "")
        else:
            merged[parameter], origins[key] = default, "default"
    disabled: frozenset[str] = frozenset()
    severity: dict[str, Severity] = {}
    if table or select is not None or ignore is not None or extend_select is not None:
        from .config_apply import rules_in_force

        disabled, severity = rules_in_force(table, select, ignore, extend_select)
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
    """Whether a pyproject.toml has [tool.kling-lint]: parsed only when its text may define it."""
    try:
        with open(pyproject, "rb") as handle:
            data = handle.read()
    except OSError:
        return False  # an unreadable pyproject.toml is not ours to complain about
    if b"kling-lint" not in data or not _may_define_table(data):
        return False  # most pyproject.toml files: no TOML parser imported (it costs ~6 ms)
    from .config_file import has_table

    return has_table(pyproject, data)


def _may_define_table(data: bytes) -> bool:
    """Whether TOML text may define [tool.kling-lint]: a header [tool.kling-lint...], a dotted
    key tool.kling-lint..., a key kling-lint in an inline table, or one under [tool]; not a
    dependency "kling-lint>=0.1" nor a script kling-lint = "..." under [project.scripts]."""
    for match in _table_pattern().finditer(data):
        if match.group("bare") is None:
            return True
        headers = _HEADER.findall(data, 0, match.start())
        if headers and headers[-1].replace(b" ", b"").replace(b"\t", b"").strip(b"\"'") == b"tool":
            return True
    return False


@cache
def _table_pattern() -> re.Pattern[bytes]:
    return re.compile(
        rb"""^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*["']?kling-lint"""  # [tool.kling-lint] and its sub-tables
        rb"""|tool[ \t]*\.[ \t]*["']?kling-lint["']?[ \t]*[.=]"""  # tool.kling-lint.x = ...
        rb"""|[{,][ \t]*["']?kling-lint["']?[ \t]*[.=]"""  # tool = { kling-lint = ... }
        rb"""|(?P<bare>^[ \t]*["']?kling-lint["']?[ \t]*[.=])""",  # kling-lint = ... (under [tool]?)
        re.M,
    )


_HEADER = re.compile(rb"^[ \t]*\[([^\[\]\n]*)\][ \t]*(?:#.*)?$", re.M)


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


def _shown_path(path: str) -> str:
    """A file's path as messages show it: relative to the current directory when below it."""
    relative = os.path.relpath(os.path.abspath(path))
    return path if relative.startswith("..") else relative

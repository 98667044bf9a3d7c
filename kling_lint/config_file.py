"""Reading a configuration file: TOML to a checked table, or an error naming the file, line and key.

Imported only when a file is found, so tomllib and these checks cost nothing to a run without
one. tomllib gives values without positions; an error's line is found by scanning the text for
the table and the key (and the bad value, in a list), which is exact for the usual layouts
(one key a line, a table a header) and falls back to the nearest line that names the key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from .config import (
    FIXED_RULES,
    FIXED_WHY,
    JSON_TYPES,
    PYPROJECT,
    PYPROJECT_TABLE,
    SEVERITY_CHOICES,
    ConfigError,
    _shown_path,
    option_specs,
)
from .config_apply import unknown_rule


class _Bad(Exception):
    """A bad value: ``message``, at ``key`` below ``table``; ``needle`` is the text to point at."""

    def __init__(self, message: str, table: tuple[str, ...], key: str, needle: str | None = None) -> None:
        super().__init__(message)
        self.table, self.key, self.needle = table, key, needle


def has_table(path: str, data: bytes) -> bool:
    """Whether a pyproject.toml's ``data`` has a [tool.kling-lint] table (bad TOML is an error:
    the file means to configure kling-lint but cannot be read)."""
    document = _parse(path, data)
    return isinstance(document.get(PYPROJECT_TABLE[0], {}).get(PYPROJECT_TABLE[1]), dict)


def read_table(path: str) -> dict[str, Any]:
    """The checked kling-lint table of the file at ``path``; ConfigError when it cannot be used."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ConfigError(f"{_shown_path(path)}: cannot read the configuration: {(error.strerror or str(error)).lower()}") from None
    document = _parse(path, data)
    prefix = PYPROJECT_TABLE if os.path.basename(path) == PYPROJECT else ()
    table: Any = document
    for part in prefix:
        table = table.get(part) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise ConfigError(f"{_shown_path(path)}: no [{'.'.join(prefix)}] table")
    try:
        return _checked(table, prefix)
    except _Bad as bad:
        text = data.decode("utf-8")
        line = _line_of(text.split("\n"), bad.table, bad.key, bad.needle)
        dotted = ".".join(bad.table + (bad.key,))
        raise ConfigError(f"{_shown_path(path)}:{line}: {dotted}: {bad}") from None


def _parse(path: str, data: bytes) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{_shown_path(path)}: not a UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        where = f":{found[1]}" if found else ""
        message = message[: found.start()].strip() if found else message
        raise ConfigError(f"{_shown_path(path)}{where}: not valid TOML: {message}") from None


# ---------------------------------------------------------------- the keys and their checks


def _checked(table: dict[str, Any], prefix: tuple[str, ...]) -> dict[str, Any]:
    """``table`` with every key known and every value of the right type, or _Bad."""
    options = {key: kind for key, (_, _, kind) in option_specs().items()}
    structured: dict[str, Callable[[Any, tuple[str, ...], str], Any]] = {
        "select": _rule_list,
        "extend-select": _rule_list,
        "ignore": _rule_list,
        "severity": _severity,
        "exclude": _string_list,
        "extra-body-keys": _extra_body_keys,
        "prices": _prices,
    }
    for key, value in table.items():
        if key in structured:
            structured[key](value, prefix, key)
        elif key in options:
            problem = _option_problem(value, options[key])
            if problem:
                raise _Bad(problem, prefix, key)
        else:
            raise _Bad(f"unknown key{_did_you_mean(key, [*structured, *options])}", prefix, key)
    return table


def _rule_list(value: Any, prefix: tuple[str, ...], key: str) -> None:
    _string_list(value, prefix, key)
    for rule_id in value:
        _rule_id(rule_id, prefix, key, switching_off=key == "ignore", needle=rule_id)


def _rule_id(rule_id: str, table: tuple[str, ...], key: str, switching_off: bool, needle: str | None = None) -> None:
    from .contract import RULES

    if rule_id not in RULES:
        raise _Bad(unknown_rule(rule_id), table, key, needle)
    if switching_off and rule_id in FIXED_RULES:
        raise _Bad(f"{rule_id} cannot be switched off or re-graded: {FIXED_WHY}", table, key, needle)


def _severity(value: Any, prefix: tuple[str, ...], key: str) -> None:
    _table(value, prefix, key)
    for rule_id, grade in value.items():
        _rule_id(rule_id, prefix + (key,), rule_id, switching_off=True)
        if grade not in SEVERITY_CHOICES:
            raise _Bad(f"must be one of {_listed(SEVERITY_CHOICES)}, not {_shown(grade)}", prefix + (key,), rule_id)


def _string_list(value: Any, prefix: tuple[str, ...], key: str) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _Bad(f"must be an array of non-empty strings, not {_shown(value)}", prefix, key)


def _extra_body_keys(value: Any, prefix: tuple[str, ...], key: str) -> None:
    from .contract import default_contract

    _table(value, prefix, key)
    known = default_contract().field(("extra_body",)).keys
    for name, kind in value.items():
        if name in known:
            raise _Bad(f"extra_body.{name} is already part of the contract", prefix + (key,), name)
        if kind not in JSON_TYPES:
            raise _Bad(f"must be a JSON type, one of {_listed(JSON_TYPES)}; not {_shown(kind)}", prefix + (key,), name)


def _prices(value: Any, prefix: tuple[str, ...], key: str) -> None:
    """The dry run's price table, checked by the dry run's own reader (prices.price_table), so
    that both accept the same tables: the currency first, then a model at a time (an error names
    its line), then the whole table."""
    _table(value, prefix, key)
    where = prefix + (key,)
    currency = value.get("currency")
    if not isinstance(currency, str) or not currency.strip():
        _price_problem(value, where if "currency" in value else prefix, "currency" if "currency" in value else key)
    for name, price in value.items():
        if name != "currency":
            _price_problem({"currency": currency, name: price}, where, name)
    _price_problem(value, prefix, key)


def _price_problem(mapping: dict[str, Any], table: tuple[str, ...], key: str) -> None:
    from .prices import PriceError, price_table

    try:
        price_table(mapping, _PRICES)
    except PriceError as error:
        raise _Bad(str(error).removeprefix(f"{_PRICES}: "), table, key) from None


_PRICES = "prices"  # the source price_table names in its messages, taken off again


def _table(value: Any, prefix: tuple[str, ...], key: str) -> None:
    if not isinstance(value, dict):
        raise _Bad(f"must be a table, not {_shown(value)}", prefix, key)


def _option_problem(value: Any, kind: Any) -> str | None:
    """What is wrong with a command option's value (its kind as config.option_specs gives it)."""
    if kind is bool:
        return None if isinstance(value, bool) else f"must be true or false, not {_shown(value)}"
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return None if ok else f"must be a whole number >= 1, not {_shown(value)}"
    return None if isinstance(value, str) and value in kind else f"must be one of {_listed(kind)}, not {_shown(value)}"


# ---------------------------------------------------------------- words and lines


_TOML_TYPES = {str: "a string", bool: "a boolean", int: "an integer", float: "a float", list: "an array", dict: "a table"}


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 40 else "a long string"
    if isinstance(value, (int, float)):
        return repr(value)
    return _TOML_TYPES.get(type(value), "a date or time")


def _listed(choices: Any) -> str:
    return ", ".join(f'"{choice}"' for choice in choices)


def _did_you_mean(word: str, choices: Any) -> str:
    from .contract.suggest import closest, either

    found = closest(word, sorted(choices), cutoff=0.6)
    guess = either(found) if found else None
    return f" (did you mean {guess}?)" if guess else ""


_HEADER = re.compile(r"^\s*\[\[?([^\[\]]+)\]\]?\s*(#.*)?$")


def _table_name(header: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in header.split("."))


def _line_of(lines: list[str], table: tuple[str, ...], key: str, needle: str | None) -> int:
    """The 1-based line of ``key`` in ``table`` (or of ``needle`` after it): where an error points."""
    key_line = re.compile(rf"^\s*([\"']?){re.escape(key)}\1\s*=")
    current: tuple[str, ...] = ()
    table_line = None
    found = None
    for number, line in enumerate(lines, 1):
        header = _HEADER.match(line)
        if header:
            if found is not None:
                break
            current = _table_name(header[1])
            if current == table + (key,) and needle is None:  # a table: point at its header
                return number
            if current == table:
                table_line = number
            continue
        if found is None and current == table and key_line.match(line):
            found = number
        if found is not None and (needle is None or needle in line):
            return number
    if found is not None:
        return found
    loose = re.compile(rf"(^|[\s{{,.\"'])({re.escape(key)})([\"']?\s*=)")  # a dotted key or an inline table
    for number, line in enumerate(lines, 1):
        if loose.search(line):
            return number
    return table_line or 1


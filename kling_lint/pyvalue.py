"""A request built in Python, as the JSON that would be sent: ``as_json(value)``.

``kling_lint.lint`` takes what a caller naturally passes: any mapping (an OrderedDict), any
list-like sequence (a tuple), str, int and float subclasses (a StrEnum model, an IntEnum
duration). Each is read as ``json.dumps`` would write it, so that a value gives the findings of
its JSON text. What JSON cannot hold (bytes, Decimal, sets, other objects, NaN and the
infinities, a key that is not a string, number, true, false or null, a list or object that
contains itself) is a finding of its own, at its path, and the request is checked around it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from . import rule_ids
from .contract.words import field
from .findings import Path, Problem
from .load.document import MAX_DEPTH, too_deep_message

_HINT = "pass what json.dumps writes: dicts, lists, strings, numbers, true, false and null"


class NotJSON:
    """Stands where a value JSON cannot hold was: it passes no type of the schema, and its own
    finding (type-mismatch, said in JSON's words) replaces the schema's."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<not JSON>"


def as_json(value: Any) -> tuple[Any, list[Problem]]:
    """``value`` as plain dicts, lists, str, int, float, bool and None, and the problems of what
    JSON cannot hold in it."""
    problems: list[Problem] = []
    return _convert(value, (), set(), problems), problems


def _convert(value: Any, path: Path, open_ids: set[int], problems: list[Problem]) -> Any:
    kind = type(value)
    if value is None or kind is bool or kind is str or kind is int:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str.__str__(value)  # the characters json.dumps writes, whatever __str__ says
    if isinstance(value, int):
        return int.__index__(value)
    if isinstance(value, float):
        number = float.__float__(value)
        if number != number or number in (float("inf"), float("-inf")):
            said = "NaN" if number != number else ("Infinity" if number > 0 else "-Infinity")
            return _refuse(path, f"{field(path)} is {said}, which JSON cannot hold: a request cannot send it", problems)
        return number
    is_mapping = isinstance(value, Mapping)
    if not is_mapping and not (isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray))):
        return _refuse(path, f"{field(path)} is a Python {kind.__name__} value, which JSON cannot hold", problems)
    if id(value) in open_ids:
        return _refuse(path, f"{field(path)} contains itself, which JSON cannot hold", problems)
    if len(path) >= MAX_DEPTH:
        problems.append(Problem(rule_ids.SYNTAX, path, too_deep_message(), None))
        return NotJSON()
    open_ids.add(id(value))
    try:
        if is_mapping:
            return _object(value, path, open_ids, problems)
        return [_convert(item, path + (index,), open_ids, problems) for index, item in enumerate(value)]
    finally:
        open_ids.discard(id(value))


def _object(value: Mapping[Any, Any], path: Path, open_ids: set[int], problems: list[Problem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = _key(key)
        if name is None:
            where = path + (f"<{type(key).__name__} key>",)
            problems.append(Problem(rule_ids.TYPE_MISMATCH, where, f"{field(path)} has a key that is a Python {type(key).__name__}, "
                                    "which JSON cannot hold: keys are strings", "write every key as a string", at_key=True))
            continue
        if name in out:  # 1 and "1" are the same key in JSON: the text would repeat it
            problems.append(Problem(rule_ids.DUPLICATE_KEY, path + (name,), f"the key {name!r} appears twice here once written as JSON "
                                    "(JSON keys are strings); JSON readers keep only the last value", "remove one of the two entries", at_key=True))
        out[name] = _convert(item, path + (name,), open_ids, problems)
    return out


def _key(key: Any) -> str | None:
    """A key as json.dumps writes it (str, or a number, true, false or null as text); None when it cannot."""
    if isinstance(key, str):
        return str.__str__(key)
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    if isinstance(key, int):
        return int.__repr__(int.__index__(key))
    if isinstance(key, float):
        number = float.__float__(key)
        return float.__repr__(number) if number == number and abs(number) != float("inf") else None
    return None


def _refuse(path: Path, message: str, problems: list[Problem]) -> NotJSON:
    problems.append(Problem(rule_ids.TYPE_MISMATCH, path, message, _HINT))
    return NotJSON()

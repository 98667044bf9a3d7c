"""JSON text to a request, fast with ``json.loads``, and positioned by a small scanner.

``json.loads`` (C) reads every file. Only a file with a duplicate key or a syntax error is read
again by ``scan``, which records where each value and key sits. ``scan`` is the single
authority on syntax errors and duplicate keys; a test checks that it yields exactly what
``json.loads`` yields for every text both accept. A file ``json.loads`` accepted that has a
finding is walked by ``regions_of_valid``, which records the same places without checking
anything; a test checks that it records exactly what ``scan`` records.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from .. import rule_ids
from ..findings import Path, Problem, brief
from .document import MAX_DEPTH, Positions, Span, too_deep_message

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9][0-9]*))(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_NOT_JSON = {"NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity"}


class JsonError(ValueError):
    """The text is not JSON; ``offset`` is where reading stopped."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class _Duplicates(Exception):
    """Raised out of ``json.loads`` as soon as one object repeats a key."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Duplicates
    return obj


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


class _TooLarge(ValueError):
    """A number JSON can write but no reader holds: it overflows to infinity."""


def _finite_float(text: str) -> float:
    """A JSON number with a fraction or exponent; 1e400 overflows to infinity, which a request
    cannot hold (as it cannot hold NaN): refused, the way YAML's .inf is."""
    value = float(text)
    if value - value != 0.0:
        raise _TooLarge(text)
    return value


def fast_load(text: str) -> Any:
    """The value of a JSON text, or an exception when ``scan`` must look closer.

    Raises for anything unusual (syntax, NaN, duplicates, too deep, huge numbers) without
    saying where: the caller then runs ``scan``, which does.
    """
    value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant,
                       parse_float=_finite_float)
    if text.count("{") + text.count("[") > MAX_DEPTH and _deeper_than(value, MAX_DEPTH):
        raise ValueError("nested too deeply")  # the scanner says where
    return value


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether containers nest more than ``limit`` levels; iterative, as deep data may be."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if type(item) is dict or type(item) is list:
            if depth > limit:
                return True
            children = item.values() if type(item) is dict else item
            stack.extend((child, depth + 1) for child in children if type(child) in (dict, list))
    return False


class _Open:
    """A container being scanned."""

    __slots__ = ("value", "path", "start", "key", "key_region")

    def __init__(self, value: Any, path: Path, start: int) -> None:
        self.value = value
        self.path = path
        self.start = start
        self.key: Any = None  # a str once the scanner has read the key
        self.key_region: Any = None  # (start, end) of that key


def scan(text: str, base: int = 0, unit: str = "text") -> tuple[Any, dict[Path, tuple[Any, tuple[int, int]]], list[tuple[Path, tuple[int, int]]]]:
    """Parse JSON iteratively, recording offsets.

    Returns the value, a map path -> (key offsets or None, value offsets), and the paths of
    repeated keys with the offsets of the repetition. Offsets are ``base`` + index in ``text``.
    Raises ``JsonError`` at the first place the text stops being JSON; ``unit`` names the
    text in messages ("line" for a line of a JSONL file).
    """
    stack: list[_Open] = []
    try:
        return _scan(text, base, stack)
    except JsonError as error:
        raise _explained(error, text, base, stack, unit) from None


def _explained(error: JsonError, text: str, base: int, stack: list[_Open], unit: str) -> JsonError:
    """The scanner's error in the words of the usual mistake: a comment, a comma after the last
    item, a bracket never closed (the place to fix is the bracket, not the end of the text)."""
    pos = error.offset - base
    if text.startswith(("//", "/*", "#"), pos):
        return JsonError("JSON allows no comments; remove it (or write the request as YAML, which does)", error.offset)
    before = text[:pos].rstrip(" \t\n\r")
    if text.startswith(("}", "]"), pos) and before.endswith(","):
        return JsonError("JSON allows no comma after the last item; remove it", base + len(before) - 1)
    if pos >= len(text) and stack:
        opened = text[stack[-1].start]
        closer = "}" if opened == "{" else "]"
        return JsonError(f"this {opened} is never closed: the {unit} ends before its '{closer}'", base + stack[-1].start)
    return error


def _scan(text: str, base: int, stack: list[_Open]) -> tuple[Any, dict[Path, tuple[Any, tuple[int, int]]], list[tuple[Path, tuple[int, int]]]]:
    regions: dict[Path, tuple[Any, tuple[int, int]]] = {}
    duplicates: list[tuple[Path, tuple[int, int]]] = []
    pos = _skip(text, 0)
    if pos == len(text):
        raise JsonError("the file holds no request: it is empty or only white space", base + pos)
    path: Path = ()
    while True:
        # Read one value at pos; containers open a frame and continue with their first item.
        char = text[pos:pos + 1]
        start = pos
        if char == "{" or char == "[":
            if len(stack) >= MAX_DEPTH:
                raise JsonError(too_deep_message(), base + pos)
            frame = _Open({} if char == "{" else [], path, pos)
            stack.append(frame)
            pos = _skip(text, pos + 1)
            closer = "}" if char == "{" else "]"
            if text.startswith(closer, pos):
                stack.pop()
                value, end = frame.value, pos + 1
            else:
                if char == "{":
                    pos = _read_key(text, pos, frame, base)
                path = frame.path + ((frame.key,) if char == "{" else (0,))
                continue
        elif char == '"':
            value, end = _read_string(text, pos, base)
        else:
            value, end = _read_scalar(text, pos, base)
        # The value is complete: store it, then close as many containers as end here.
        while True:
            key_region = None
            if stack:
                parent = stack[-1]
                if type(parent.value) is dict:
                    key_region = parent.key_region
                    if parent.key in parent.value:
                        duplicates.append((path, (base + key_region[0], base + key_region[1])))
                    parent.value[parent.key] = value
                else:
                    parent.value.append(value)
            regions[path] = (
                (base + key_region[0], base + key_region[1]) if key_region else None,
                (base + start, base + end),
            )
            if not stack:
                pos = _skip(text, end)
                if pos != len(text):
                    raise JsonError("unexpected text after the request", base + pos)
                return value, regions, duplicates
            parent = stack[-1]
            pos = _skip(text, end)
            closer = "}" if type(parent.value) is dict else "]"
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
                if type(parent.value) is dict:
                    pos = _read_key(text, pos, parent, base)
                    path = parent.path + (parent.key,)
                else:
                    path = parent.path + (len(parent.value),)
                break
            if not text.startswith(closer, pos):
                raise JsonError(f"expected ',' or '{closer}'", base + pos)
            stack.pop()
            value, start, end, path = parent.value, parent.start, pos + 1, parent.path


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]  # "*": it always matches


def _read_key(text: str, pos: int, frame: _Open, base: int) -> int:
    if not text.startswith('"', pos):
        raise JsonError("expected a key in double quotes", base + pos)
    key, end = _read_string(text, pos, base)
    frame.key, frame.key_region = key, (pos, end)
    pos = _skip(text, end)
    if not text.startswith(":", pos):
        raise JsonError("expected ':' after the key", base + pos)
    return _skip(text, pos + 1)


def _read_string(text: str, pos: int, base: int) -> tuple[str, int]:
    try:
        return json.decoder.scanstring(text, pos + 1, True)  # type: ignore[attr-defined]  # not in typeshed
    except json.JSONDecodeError as error:
        raise JsonError(error.msg.lower(), base + error.pos) from None


def _read_scalar(text: str, pos: int, base: int) -> tuple[Any, int]:
    for word, value in _LITERALS.items():
        if text.startswith(word, pos):
            return value, pos + len(word)
    for word in _NOT_JSON:
        if text.startswith(word, pos):
            raise JsonError(f"{word} is not valid JSON; use a number or null", base + pos)
    match = _NUMBER.match(text, pos)
    if match is None:
        raise JsonError("expected a value", base + pos)
    integer, fraction, exponent = match.groups()
    try:
        if fraction or exponent:
            return _finite_float(match.group()), match.end()
        return int(integer), match.end()
    except _TooLarge:
        raise JsonError(f"{brief(match.group())} is too large a number: it reads as infinity, "
                        "which JSON cannot hold", base + pos) from None
    except ValueError:  # more digits than Python converts
        raise JsonError("the number has too many digits", base + pos) from None


# One step through a JSON text known to be valid. The white space and commas before it are
# skipped inside the match (searching for the next token is far slower), and a member with a
# plain value, the usual line of a request, is one match: group 1 is a key with its colon,
# group 2 the string, number, true, false or null after it (absent when a container follows);
# 3 opens a container, 4 closes one, 5 is an item of a list or the whole text. The string
# pattern is the "unrolled loop" form, possessive: the regex engine never backtracks in it.
_STRING = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
_SCALAR = r'[^ \t\n\r\[\]{},:"]++'
_TOKEN = re.compile(
    rf'[ \t\n\r,]*+(?:({_STRING})[ \t\n\r]*+:[ \t\n\r]*+({_STRING}|{_SCALAR})?'
    rf'|([\[{{])|([\]}}])|({_STRING}|{_SCALAR}))'
)
_KEY, _MEMBER, _OPEN, _CLOSE, _VALUE = 1, 2, 3, 4, 5
_TOP = -1  # the index of the frame around the whole text, which holds one value


class _Frame:
    """A container being walked: where it starts, its key's region, its next index."""

    __slots__ = ("path", "start", "key_region", "index")

    def __init__(self, path: Path, start: int, key_region: tuple[int, int] | None, index: int | None) -> None:
        self.path = path
        self.start = start
        self.key_region = key_region
        self.index = index  # of the next item of a list; None in an object


def regions_of_valid(text: str, base: int = 0) -> dict[Path, tuple[Any, tuple[int, int]]]:
    """The regions ``scan`` records, for a text ``fast_load`` has already accepted.

    A file with a finding needs positions, and ``scan`` checks every character and builds every
    value in Python: ten times what ``json.loads`` takes. Once ``fast_load`` has accepted the
    text (valid JSON, no repeated key, no NaN, no huge number, not too deep) there is nothing
    left to check and no value to build, so this only steps through the tokens with a stack of
    open containers. On any other text its answer means nothing: ``scan`` is for those.
    """
    regions: dict[Path, tuple[Any, tuple[int, int]]] = {}
    stack: list[_Frame] = []
    frame = _Frame((), 0, None, _TOP)
    key: str = ""
    key_region: tuple[int, int] | None = None
    for match in _TOKEN.finditer(text):
        kind = match.lastindex
        if kind == _KEY or kind == _MEMBER:  # a key: with its plain value, or before a container
            token = match.group(_KEY)
            key = json.loads(token) if "\\" in token else token[1:-1]
            if kind == _MEMBER:
                regions[frame.path + (key,)] = (match.span(_KEY), match.span(_MEMBER))
            else:
                key_region = match.span(_KEY)
        elif kind == _CLOSE:
            regions[frame.path] = (frame.key_region, (frame.start, match.end()))
            frame = stack.pop()
        else:  # a value starts: a container, or an item of a list or the whole text
            path, its_key = _next_path(frame, key, key_region)
            start, end = match.span(_OPEN if kind == _OPEN else _VALUE)
            if kind == _OPEN:
                stack.append(frame)
                frame = _Frame(path, start, its_key, 0 if text[start] == "[" else None)
            else:
                regions[path] = (its_key, (start, end))
    return _shifted(regions, base) if base else regions


def _next_path(frame: _Frame, key: str, key_region: tuple[int, int] | None) -> tuple[Path, tuple[int, int] | None]:
    """The path and key region of a value starting in ``frame``: under the key just read in an
    object, at the next index in a list (which counts it)."""
    index = frame.index
    if index is None:
        return frame.path + (key,), key_region
    if index == _TOP:
        return (), None
    frame.index = index + 1
    return frame.path + (index,), None


def _shifted(regions: dict[Path, tuple[Any, tuple[int, int]]], base: int) -> dict[Path, tuple[Any, tuple[int, int]]]:
    """Regions of a line as offsets in its file, the line starting at ``base``."""
    return {
        path: (key and (key[0] + base, key[1] + base), (value[0] + base, value[1] + base))
        for path, (key, value) in regions.items()
    }


def duplicate_problems(duplicates: list[tuple[Path, tuple[int, int]]], index: Any) -> list[Problem]:
    """Problems for repeated keys found by ``scan``, placed through a LineIndex."""
    problems = []
    for path, (start, end) in duplicates:
        line, column = index.position(start)
        end_line, end_column = index.position(end)
        problems.append(
            Problem(
                rule_ids.DUPLICATE_KEY,
                path,
                f"the key {brief(str(path[-1]))!r} appears twice here; JSON readers keep only the last value",
                "remove one of the two entries",
                at_key=True,
                position=(line, column, end_line, end_column),
            )
        )
    return problems


def positions(regions: dict[Path, tuple[Any, tuple[int, int]]], index: Any) -> Positions:
    """Offsets from ``scan`` as line:column spans, converted only for the paths looked up."""
    return _Placed(regions, index)


class _Placed(Mapping):
    """A read-only path -> Span map over ``scan``'s offsets; a finding needs a few of them."""

    def __init__(self, regions: dict[Path, tuple[Any, tuple[int, int]]], index: Any) -> None:
        self._regions = regions
        self._place = index.position

    def __getitem__(self, path: Path) -> Span:
        key, value = self._regions[path]
        place = self._place
        key_span = (*place(key[0]), *place(key[1])) if key else None
        return Span(key_span, (*place(value[0]), *place(value[1])))

    def __iter__(self) -> Iterator[Path]:
        return iter(self._regions)

    def __len__(self) -> int:
        return len(self._regions)

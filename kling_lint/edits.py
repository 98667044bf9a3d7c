"""A rule's repair, made into edits of the file's own text: the engine's half of ``--fix``.

A repair (``findings.Repair``) says what to change in the request; here it becomes character
edits at the spans the loader found, in the style the file is written in (its quotes, its
indentation, its line breaks), so that every other character of the file stays as it was. The
file is never written out again from its parsed value. A repair that cannot be made safely in
this file's text (a multi-line value in block YAML, say) gets no fix at all.

Imported by the engine only for a problem that carries a repair.
"""

from __future__ import annotations

import json
import re

from .findings import (
    REPAIR_MOVE,
    REPAIR_QUOTE,
    REPAIR_RENAME,
    REPAIR_VALUE,
    SAFE,
    UNSAFE,
    Edit,
    Fix,
    Path,
    Problem,
    Repair,
)
from .load import Positions
from .load.document import Region
from .load.text import LineIndex

# A string YAML reads as itself, without quotes, in block and flow style (and YAML 1.1 alike).
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


class _Text:
    """The file's text with its line index: spans to offsets, and the line break in use."""

    def __init__(self, text: str, index: LineIndex) -> None:
        self.text = text
        self.index = index

    def bounds(self, region: Region) -> tuple[int, int]:
        return self.index.offset(region[0], region[1]), self.index.offset(region[2], region[3])

    def raw(self, region: Region) -> str:
        start, end = self.bounds(region)
        return self.text[start:end]

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def line_end(self, offset: int) -> int:
        """The offset of the line break (its \\r, for CRLF) ending the line ``offset`` is on."""
        end = self.text.find("\n", offset)
        end = len(self.text) if end < 0 else end
        return end - 1 if end > 0 and self.text[end - 1] == "\r" and end - 1 >= offset else end

    def newline(self, offset: int) -> str:
        end = self.text.find("\n", offset)
        return "\r\n" if end > 0 and self.text[end - 1] == "\r" else "\n"


def fix_for(problem: Problem, positions: Positions, text: str, index: LineIndex) -> Fix | None:
    """The fix of ``problem`` as edits of ``text``, or None when it cannot be made here."""
    repair = problem.repair
    if repair is None:
        return None
    source = _Text(text, index)
    try:
        edits = _EDITORS[repair.kind](problem, repair, positions, source)
    except (KeyError, IndexError, TypeError, ValueError):  # a place the loader did not record: no fix
        return None
    if not edits:
        return None
    return Fix(SAFE if repair.safe else UNSAFE, tuple(sorted(edits)), repair.message)


def _value(problem: Problem, repair: Repair, positions: Positions, source: _Text) -> list[Edit]:
    start, end = source.bounds(positions[problem.path].value)
    if not _bare(source.text[start:end]):
        return []
    return [Edit(start, end, render(repair.value, source.text[start:end]))]


def _bare(raw: str) -> bool:
    """A scalar written as just itself: no YAML anchor, alias, tag or block scalar to keep."""
    return bool(raw) and raw[0] not in "&*!|>" and "\n" not in raw.strip()


def _quote(problem: Problem, repair: Repair, positions: Positions, source: _Text) -> list[Edit]:
    if problem.position is None:
        return []
    start, end = source.bounds(problem.position)
    raw = source.text[start:end]
    if not raw or "\n" in raw or raw[0] in "\"'":
        return []
    quoted = f'"{raw}"' if not set(raw) & set('"\\') else "'" + raw.replace("'", "''") + "'"
    return [Edit(start, end, quoted)]


def _rename(problem: Problem, repair: Repair, positions: Positions, source: _Text) -> list[Edit]:
    start, end = source.bounds(positions[problem.path].key)  # type: ignore[arg-type]
    if not _bare(source.text[start:end]):
        return []
    return [Edit(start, end, render(str(repair.value), source.text[start:end]))]


def _move(problem: Problem, repair: Repair, positions: Positions, source: _Text) -> list[Edit]:
    """The key and its value, as written, out of its object and into the object at the repair's path."""
    path = problem.path
    target: Path = tuple(repair.value)  # type: ignore[arg-type]
    parent, name = path[:-1], path[-1]
    if target + (name,) in positions:
        return []  # the object already has the key: moving it would make a duplicate
    span = positions[path]
    key_start, _ = source.bounds(span.key)  # type: ignore[arg-type]
    _, value_end = source.bounds(span.value)
    value_end = _without_trailing_break(source.text, key_start, value_end)
    parent_flow = _is_flow(source.raw(positions[parent].value))
    if not parent_flow and "\n" in source.text[key_start:value_end]:
        return []  # a block value over several lines would need indenting again
    if target not in positions:
        if target[:-1] != parent:
            return []
        return [_wrap(source, key_start, value_end, str(target[-1]), parent_flow)]
    comment = not parent_flow and source.text[value_end:source.line_end(value_end)].strip()
    if comment and _is_flow(source.raw(positions[target].value)):
        return []  # a flow mapping could not take the comment after the value along
    inserted = _insert_into(source, positions, target, key_start, value_end)
    removed = _remove_flow(source, key_start, value_end) if parent_flow else _remove_line(source, key_start, value_end)
    if inserted is None or removed is None:
        return []
    return [removed, inserted]


def _wrap(source: _Text, start: int, end: int, holder: str, flow: bool) -> Edit:
    """``key: value`` becomes ``holder: {key: value}`` (JSON, flow YAML) or a block under ``holder:``."""
    member = source.text[start:end]
    if flow:
        quote = '"' if member.startswith('"') else ""
        return Edit(start, end, f"{quote}{holder}{quote}: {{{member}}}")
    column = start - source.line_start(start)
    return Edit(start, start, f"{holder}:{source.newline(start)}{' ' * (column + 2)}")


def _insert_into(source: _Text, positions: Positions, target: Path, start: int, end: int) -> Edit | None:
    holder_start, holder_end = source.bounds(positions[target].value)
    holder = source.text[holder_start:holder_end]
    member = source.text[start:end]
    if _is_flow(holder):
        inside = source.text[holder_start + 1:holder_end - 1]
        if not inside.strip():
            return Edit(holder_start + 1, holder_start + 1, member)
        gap = inside[:len(inside) - len(inside.lstrip())]
        return Edit(holder_start + 1, holder_start + 1, f"{gap}{member},")
    children = [positions[p].key for p in positions if len(p) == len(target) + 1 and p[:-1] == target]
    keys = sorted(region for region in children if region is not None)
    if not keys:
        return None
    first = source.index.offset(keys[0][0], keys[0][1])
    line = source.line_start(first)
    if source.text[line:first].strip():
        return None
    whole = source.text[start:source.line_end(end)]  # a comment after the value moves with it
    return Edit(line, line, f"{source.text[line:first]}{whole}{source.newline(first)}")


def _remove_line(source: _Text, start: int, end: int) -> Edit | None:
    line = source.line_start(start)
    if source.text[line:start].strip():
        return None
    rest_end = source.line_end(end)
    rest = source.text[end:rest_end].strip()
    if rest and not rest.startswith("#"):
        return None
    after = source.text.find("\n", end)
    return Edit(line, len(source.text) if after < 0 else after + 1, "")


def _remove_flow(source: _Text, start: int, end: int) -> Edit | None:
    text = source.text
    after = end
    while after < len(text) and text[after] in " \t\r\n":
        after += 1
    if after < len(text) and text[after] == ",":
        after += 1
        while after < len(text) and text[after] in " \t\r\n":
            after += 1
        return Edit(start, after, "")
    before = start
    while before > 0 and text[before - 1] in " \t\r\n":
        before -= 1
    if before > 0 and text[before - 1] == ",":
        return Edit(before - 1, end, "")
    if before > 0 and text[before - 1] == "{" and after < len(text) and text[after] == "}":
        return Edit(start, end, "")  # the only member
    return None


def _without_trailing_break(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return end


def _is_flow(raw: str) -> bool:
    return raw.startswith(("{", "["))


def render(value: object, written: str) -> str:
    """``value`` as the file would write it, quoted the way the text it replaces was quoted."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        return str(value)
    if written.startswith("'") and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    if written.startswith('"') or not _PLAIN.fullmatch(value) or value.lower() in _YAML11_WORDS:
        return json.dumps(value, ensure_ascii=False)
    return value


_EDITORS = {REPAIR_VALUE: _value, REPAIR_QUOTE: _quote, REPAIR_RENAME: _rename, REPAIR_MOVE: _move}

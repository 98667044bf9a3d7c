"""The usual shape of a YAML request file, read line by line without the YAML parser.

Most request files are a block mapping of ``key: value`` lines, nested by indentation, with
``- `` lists and one-line scalars. Reading that shape here spares a one-file check
ruamel.yaml's import (about 15 ms, a fifth of the time such a check may take) and reads faster
than the C parser's event stream does.

Anything else (a flow collection, a block or multi-line scalar, an anchor, an alias, a tag,
several documents, a tab, a key seen twice, a scalar that YAML 1.1 reads otherwise) makes
``read_simple_yaml`` answer None, and the file goes to the full reader in ``yaml_format``. So
this reader never has to be right about hard YAML, only to recognise easy YAML: a test holds
it to the full reader's value on every text it accepts.
"""

from __future__ import annotations

import re
from typing import Any

from .yaml_format import plain_reading

# A character that YAML refuses or treats specially (tab, CR, NEL, LS, PS, BOM, controls,
# non-characters): its presence sends the text to the full reader.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")

# "key:" at the start of the content, then a space or the end of the line.
_KEY = re.compile(r"""(?:([A-Za-z0-9_$][A-Za-z0-9_$.\-]*)|"([^"\\]*)"|'([^']*)'):(?: |$)""")
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOCUMENT_START = re.compile(r"---(?: +(?:#.*)?)?")
_AFTER_QUOTE = re.compile(r"(?: +#.*| *)")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))")
_ESCAPED = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}

# A plain scalar may not start with these (quotes are read before this is asked).
_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`?:")

# Far below the full reader's limits (MAX_DEPTH, MAX_VALUES), so that a text near them is
# always left to the reader that reports them.
_MAX_NESTING = 20
_MAX_TOKENS = 30_000
# An implicit key is at most 1,024 characters for a YAML parser.
_MAX_KEY = 1_000


class _NotSimple(Exception):
    """The text is not in the shape this reader knows; the full reader must read it."""


_KEY_TOKEN, _ITEM_TOKEN, _SCALAR_TOKEN = 0, 1, 2
_NESTED = object()  # the value of "key:" when it comes on the following lines

# A token: (column, kind, key, value); "- " items and their content share a line.
Token = tuple[int, int, Any, Any]


def read_simple_yaml(text: str) -> list[Any] | None:
    """The one request of ``text`` when it is simple block YAML, else None."""
    try:
        tokens = _tokens(text)
        if not tokens or tokens[0][1] != _KEY_TOKEN or tokens[0][0] != 0:
            return None  # empty, or not a mapping at the left margin
        value, end = _mapping(tokens, 0, 0, 0)
    except _NotSimple:
        return None
    return [value] if end == len(tokens) else None


def _tokens(text: str) -> list[Token]:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _UNUSUAL.search(text):
        raise _NotSimple
    lines = text.split("\n")
    tokens: list[Token] = []
    started = False
    at = 0
    while at < len(lines):
        line = lines[at]
        at += 1
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        if line.startswith(("---", "...")):
            if not started and _DOCUMENT_START.fullmatch(line):
                started = True
                continue  # the explicit start of the one document
            raise _NotSimple
        started = True
        _line_tokens(line, len(line) - len(content), tokens)
        column, kind, key, value = tokens[-1]
        if type(value) is _BlockHeader:
            value, at = _block_scalar(lines, at, value, column)
            tokens[-1] = (column, kind, key, value)
    if len(tokens) > _MAX_TOKENS:
        raise _NotSimple
    return tokens


def _line_tokens(line: str, column: int, tokens: list[Token]) -> None:
    """The tokens of one line from ``column`` on: "- " items, then a key or a scalar."""
    while line.startswith("-", column) and line[column + 1:column + 2] in (" ", ""):
        rest = line[column + 1:]
        content = rest.lstrip(" ")
        if not content or content[0] == "#":  # the item is on the following lines
            tokens.append((column, _ITEM_TOKEN, None, _NESTED))
            return
        tokens.append((column, _ITEM_TOKEN, None, None))
        column += 1 + len(rest) - len(content)
    match = _KEY.match(line, column)
    if match is None:
        value = _scalar(line[column:])
        if type(value) is _BlockHeader:
            raise _NotSimple  # a block scalar as a list item
        tokens.append((column, _SCALAR_TOKEN, None, value))
        return
    if match.end() - column > _MAX_KEY:
        raise _NotSimple
    plain, double, single = match.groups()
    key = _plain(plain) if plain is not None else double if double is not None else single
    if type(key) is not str:
        raise _NotSimple
    rest = line[match.end():].lstrip(" ")
    value = _NESTED if not rest or rest[0] == "#" else _scalar(rest)
    tokens.append((column, _KEY_TOKEN, key, value))


class _BlockHeader(str):
    """The ``>-``, ``>``, ``|-`` or ``|`` that starts a block scalar on the following lines."""


def _block_scalar(lines: list[str], at: int, header: _BlockHeader, key_column: int) -> tuple[str, int]:
    """The block scalar whose lines start at ``at``, for a key at ``key_column``; and its end.

    Only the plain case: every line at one indentation (no more-indented line, no trailing
    space), no leading blank line, and a line break after the last line.
    """
    indent = -1
    content: list[str] = []  # the lines without their indentation; "" for a blank line
    while at < len(lines):
        line = lines[at]
        text = line.lstrip(" ")
        if not text:
            if indent < 0 or len(line) > indent:
                raise _NotSimple  # a leading blank line, or one whose spaces are content
            content.append("")
        else:
            column = len(line) - len(text)
            if indent < 0:
                if column <= key_column:
                    raise _NotSimple  # an empty block scalar
                indent = column
            if column < indent:
                break
            if column > indent or text[-1] == " ":
                raise _NotSimple
            content.append(text)
        at += 1
    while content and not content[-1]:
        content.pop()
    if not content or (at == len(lines) and lines[-1]):
        raise _NotSimple  # empty, or the text ends without a line break
    value = _folded(content) if header[0] == ">" else "\n".join(content)
    return (value if header.endswith("-") else value + "\n"), at


def _folded(content: list[str]) -> str:
    """Folded lines: one line break becomes a space; n blank lines, n line breaks."""
    pieces: list[str] = []
    blanks = 0
    for line in content:
        if not line:
            blanks += 1
            continue
        if pieces:
            pieces.append("\n" * blanks if blanks else " ")
        pieces.append(line)
        blanks = 0
    return "".join(pieces)


def _scalar(text: str) -> Any:
    """The value of a one-line scalar, given from its first character to the end of the line."""
    first = text[0]
    if first == '"':
        return _quoted(_DOUBLE_QUOTED.match(text), text, _unescape)
    if first == "'":
        return _quoted(_SINGLE_QUOTED.match(text), text, lambda inner: inner.replace("''", "'"))
    if first in "|>":
        header = text.split(" #", 1)[0].rstrip(" ")
        if header in (">", ">-", "|", "|-"):
            return _BlockHeader(header)
        raise _NotSimple
    comment = text.find(" #")
    if comment >= 0:
        text = text[:comment]
    text = text.rstrip(" ")
    if text in ("{}", "[]"):
        return {} if text == "{}" else []
    if first in _INDICATORS or (first == "-" and text[1:2] in (" ", "")) or ": " in text or text.endswith(":"):
        raise _NotSimple
    return _plain(text)


def _plain(text: str) -> Any:
    try:
        value, yaml11_message = plain_reading(text)
    except ValueError:  # a number too long to show: the full reader says so
        raise _NotSimple from None
    if yaml11_message is not None or value == "<<":
        raise _NotSimple  # the full reader says what YAML 1.1 makes of it
    return value


def _quoted(match: re.Match[str] | None, text: str, inner: Any) -> str:
    if match is None or not _AFTER_QUOTE.fullmatch(text, match.end()):
        raise _NotSimple  # a quoted scalar that goes on to the next line, or junk after it
    return inner(match.group(1))


def _unescape(inner: str) -> str:
    if "\\" not in inner:
        return inner
    return _ESCAPE.sub(_escaped, inner)


def _escaped(match: re.Match[str]) -> str:
    short, long, other = match.groups()
    if other is not None:
        if other not in _ESCAPED:
            raise _NotSimple
        return _ESCAPED[other]
    code = int(short or long, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise _NotSimple
    return chr(code)


def _mapping(tokens: list[Token], at: int, column: int, depth: int) -> tuple[dict[str, Any], int]:
    """The block mapping whose keys start at ``column``, from token ``at``; and where it ends."""
    if depth > _MAX_NESTING:
        raise _NotSimple
    mapping: dict[str, Any] = {}
    while at < len(tokens) and tokens[at][0] == column and tokens[at][1] == _KEY_TOKEN:
        _, _, key, value = tokens[at]
        if key in mapping:
            raise _NotSimple  # the full reader reports the duplicate
        at += 1
        if value is _NESTED:
            value, at = _nested(tokens, at, column, depth, list_level_with_it=True)
        mapping[key] = value
    _check_end(tokens, at, column)
    return mapping, at


def _nested(tokens: list[Token], at: int, column: int, depth: int, list_level_with_it: bool) -> tuple[Any, int]:
    """The value of a "key:" or "-" at ``column`` that starts on the next line.

    A list may sit level with its key, not with its "-".
    """
    if at == len(tokens):
        raise _NotSimple  # null
    next_column, kind, _, _ = tokens[at]
    if kind == _KEY_TOKEN and next_column > column:
        return _mapping(tokens, at, next_column, depth + 1)
    if kind == _ITEM_TOKEN and (next_column > column or (list_level_with_it and next_column == column)):
        return _sequence(tokens, at, next_column, depth + 1)
    raise _NotSimple  # null, or a scalar on the next line


def _sequence(tokens: list[Token], at: int, column: int, depth: int) -> tuple[list[Any], int]:
    if depth > _MAX_NESTING:
        raise _NotSimple
    items: list[Any] = []
    while at < len(tokens) and tokens[at][0] == column and tokens[at][1] == _ITEM_TOKEN:
        if tokens[at][3] is _NESTED:
            item, at = _nested(tokens, at + 1, column, depth, list_level_with_it=False)
            items.append(item)
            continue
        content_column, kind, _, value = tokens[at + 1]  # else the item's content is on its line
        if kind == _SCALAR_TOKEN:
            items.append(value)
            at += 2
        elif kind == _KEY_TOKEN:
            item, at = _mapping(tokens, at + 1, content_column, depth + 1)
            items.append(item)
        else:
            item, at = _sequence(tokens, at + 1, content_column, depth + 1)
            items.append(item)
    _check_end(tokens, at, column)
    return items, at


def _check_end(tokens: list[Token], at: int, column: int) -> None:
    """A block ends where a line starts left of it; anything else is not simple YAML."""
    if at < len(tokens) and tokens[at][0] >= column:
        next_column, kind, _, _ = tokens[at]
        # The one exception: a list level with its key ends and the key's mapping goes on.
        if not (next_column == column and kind == _KEY_TOKEN):
            raise _NotSimple

"""The usual shape of a YAML request file, read line by line without the YAML parser.

Most request files are a block mapping of ``key: value`` lines, nested by indentation, with
``- `` lists, one-line scalars (plain or quoted) and the odd folded or literal block scalar
(``>-``, ``|``) for a long prompt. Reading that shape here spares a one-file check
ruamel.yaml's import (about 15 ms, a third of such a check) and takes half the time of the C
parser's event stream.

Anything else (a flow collection, a multi-line plain or quoted scalar, an anchor, an alias, a
tag, several documents, a tab, a scalar that YAML 1.1 reads otherwise) makes
``read_simple_yaml`` answer None, and the file goes to the full reader in ``yaml_format``. So
this reader never has to be right about hard YAML, only to recognise easy YAML: a test holds
it to the full reader's value, and to its positions, on every text it accepts.

A key seen twice in a mapping is the one finding read here: a file with it is otherwise
usually simple, and leaving it to the full reader cost that reader's import and two reads.
It is read as the full reader reads it (the last value kept, in the key's first place) and
reported with the full reader's own problem (``yaml_format.duplicate_key``); a test holds the
two readers to the same problems too.

Positions follow the YAML parser's marks: a scalar spans its text (quotes included, a block
scalar up to the line after it); a block mapping or list spans from its first key or dash to
the next key or dash after it (or the end of the text).
"""

from __future__ import annotations

import re
from typing import Any, Final

from ..findings import Path, Problem
from .document import Span
from .yaml_format import duplicate_key, plain_reading

# A character that YAML refuses or treats specially (tab, CR, NEL, LS, PS, BOM, controls,
# surrogates, non-characters): its presence sends the text to the full reader. (Written as
# the few ranges it excludes: the class of everything else takes 5 ms to compile.)
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
# The same for an ASCII text (nearly all request files): its controls, deleted by
# bytes.translate three times faster than the regex finds them.
_ASCII_UNUSUAL = bytes([*range(0x00, 0x0a), *range(0x0b, 0x20), 0x7f])

# "key:" at the start of the content, then a space or the end of the line.
_KEY = re.compile(r"""(?:([A-Za-z0-9_$][A-Za-z0-9_$.\-]*)|"([^"\\]*)"|'([^']*)')(?=:(?: |$))""")
_DOUBLE_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
_DOCUMENT_START = re.compile(r"---(?: +(?:#.*)?)?")
_AFTER_QUOTE = re.compile(r"(?: +#.*| *)")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))")
# The usual line, read in one match: indentation, maybe one "- " list item, a plain key, then
# nothing (the value is on the following lines), a double-quoted value without escapes, or a
# plain value with no comment and a first character that cannot start anything else (an
# indicator, a quote, "-", a block header). (Runs of one class, not a choice per character: the
# regex engine takes those many times faster.) Whatever it refuses goes through the general
# path, which reads the rest or declines.
_USUAL_LINE = re.compile(r"""
    (\ *)(-\ +)?([A-Za-z0-9_$][A-Za-z0-9_$.\-]*):
    (?:\ +(?:
        ([^-\#,\[\]{}&*!|>'"%@`?:\ ](?:[^\#]*[^\#\ ])?)
        |"([^"\\]*)"
    ))?
    \ *""", re.VERBOSE)
_ESCAPED = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}

# A plain scalar may not start with these (quotes are read before this is asked).
_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`?:")

# Far below the full reader's limits (MAX_DEPTH, MAX_VALUES), so that a text near them is
# always left to the reader that reports them.
_MAX_NESTING = 20
_MAX_TOKENS = 30_000  # a token adds at most two values (a key and its value) to the document
# An implicit key is at most 1,024 characters for a YAML parser.
_MAX_KEY = 1_000


class _NotSimple(Exception):
    """The text is not in the shape this reader knows; the full reader must read it."""


_KEY_TOKEN, _ITEM_TOKEN, _SCALAR_TOKEN = 0, 1, 2
_NESTED = object()  # the value of "key:" or "-" when it comes on the following lines

_NO_END = (0, 0)


# A token: a "- ", a "key: value" or a scalar; "- " items and their content share a line. It is
# a plain tuple read by these indexes: a NamedTuple's constructor cost more than the rest of the
# usual line's reading.
_Token = tuple[int, int, int, Any, int, Any, int, tuple[int, int]]
_LINE: Final = 0  # from 1
_COLUMN: Final = 1  # from 0, as are the other columns
_KIND: Final = 2
_KEY_END: Final = 4  # (3 is the key)
_VALUE: Final = 5  # _NESTED when it comes on the following lines
_VALUE_COLUMN: Final = 6
_VALUE_END: Final = 7  # (line, column)


def _token(line: int, column: int, kind: int, key: Any = None, key_end: int = 0, value: Any = None,
           value_column: int = 0, value_end: tuple[int, int] = _NO_END) -> _Token:
    return line, column, kind, key, key_end, value, value_column, value_end


# Span's own constructor is a Python function (NamedTuple's); the tuple's, which it calls, costs
# a third as much, and a request file has a Span for every value.
_new_tuple = tuple.__new__


def read_simple_yaml(text: str, positions: dict[Path, Span] | None = None,
                     problems: list[Problem] | None = None) -> list[Any] | None:
    """The one request of ``text`` when it is simple block YAML, else None.

    With a ``positions`` dict, it is filled in as the full reader fills its own. With a
    ``problems`` list, a key repeated in a mapping is read as the full reader reads it and its
    problems are added to the list, as the full reader gives them for the document; without
    one, such a text is not simple (None). Both belong to the one document read.
    """
    try:
        reader = _Reader(text, positions, [] if problems is not None else None)
        value = reader.document()
    except _NotSimple:
        return None
    if problems is not None and reader.problems:
        problems.extend(reader.problems)
    return [value]


class _Reader:
    def __init__(self, text: str, positions: dict[Path, Span] | None, problems: list[Problem] | None) -> None:
        if "\r" in text:
            text = text.replace("\r\n", "\n")
        if _has_unusual(text):
            raise _NotSimple
        self.lines = text.split("\n")
        self.positions = positions
        self.problems = problems
        self.tokens: list[_Token] = []
        self._read_lines()

    def document(self) -> dict[str, Any]:
        tokens = self.tokens
        if not tokens or tokens[0][_KIND] != _KEY_TOKEN or tokens[0][_COLUMN] != 0:
            raise _NotSimple  # empty, or not a mapping at the left margin
        value, end = self.mapping(0, 0, 0, ())
        if end != len(tokens):
            raise _NotSimple
        if self.positions is not None:
            self.positions[()] = _new_tuple(Span, (None, self.region(tokens[0][_LINE], 0, self.end_of(end))))
        return value

    # ------------------------------------------------------------ lines to tokens

    def _read_lines(self) -> None:
        lines, tokens = self.lines, self.tokens
        started = False
        at = 0
        while at < len(lines):
            line = lines[at]
            at += 1
            usual = _USUAL_LINE.fullmatch(line)
            if usual is not None:
                if len(tokens) > _MAX_TOKENS:
                    raise _NotSimple
                _add_usual_tokens(tokens, usual, at)
                started = True
                continue
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            if line.startswith(("---", "...")):
                if not started and _DOCUMENT_START.fullmatch(line):
                    started = True
                    continue  # the explicit start of the one document
                raise _NotSimple
            started = True
            if len(self.tokens) > _MAX_TOKENS:
                raise _NotSimple
            self._line_tokens(line, at, len(line) - len(content))
            token = self.tokens[-1]
            if type(token[_VALUE]) is _BlockHeader:
                value, at = _block_scalar(lines, at, token[_VALUE], token[_COLUMN])
                end = (at + 1, 0) if at < len(lines) else self.stream_end()
                self.tokens[-1] = (*token[:_VALUE], value, token[_VALUE_COLUMN], end)

    def _line_tokens(self, line: str, number: int, column: int) -> None:
        """The tokens of one line from ``column`` on: "- " items, then a key or a scalar."""
        tokens = self.tokens
        first = len(tokens)
        while line.startswith("-", column) and line[column + 1:column + 2] in (" ", ""):
            if len(tokens) - first > _MAX_NESTING:
                raise _NotSimple
            rest = line[column + 1:]
            content = rest.lstrip(" ")
            if not content or content[0] == "#":  # the item is on the following lines
                tokens.append(_token(number, column, _ITEM_TOKEN, value=_NESTED))
                return
            tokens.append(_token(number, column, _ITEM_TOKEN))
            column += 1 + len(rest) - len(content)
        match = _KEY.match(line, column)
        if match is None:
            value, width = _scalar(line[column:])
            if type(value) is _BlockHeader:
                raise _NotSimple  # a block scalar as a list item
            tokens.append(_token(number, column, _SCALAR_TOKEN, None, 0, value, column, (number, column + width)))
            return
        key_end = match.end()
        if key_end - column > _MAX_KEY:
            raise _NotSimple
        plain, double, single = match.groups()
        key = _plain(plain) if plain is not None else double if double is not None else single
        if type(key) is not str:
            raise _NotSimple
        rest = line[key_end + 1:]
        content = rest.lstrip(" ")
        if not content or content[0] == "#":
            tokens.append(_token(number, column, _KEY_TOKEN, key, key_end, _NESTED))
            return
        value_column = len(line) - len(content)
        value, width = _scalar(content)
        tokens.append(_token(number, column, _KEY_TOKEN, key, key_end, value, value_column, (number, value_column + width)))

    def stream_end(self) -> tuple[int, int]:
        return len(self.lines), len(self.lines[-1])

    # ------------------------------------------------------------ tokens to values

    def end_of(self, at: int) -> tuple[int, int]:
        """Where a block that ends before token ``at`` ends: where that token starts."""
        if at < len(self.tokens):
            return self.tokens[at][_LINE], self.tokens[at][_COLUMN]
        return self.stream_end()

    @staticmethod
    def region(line: int, column: int, end: tuple[int, int]) -> tuple[int, int, int, int]:
        return line, column + 1, end[0], end[1] + 1

    def mapping(self, at: int, column: int, depth: int, path: Path) -> tuple[dict[str, Any], int]:
        """The block mapping whose keys start at ``column``, from token ``at``; and where it ends."""
        if depth > _MAX_NESTING:
            raise _NotSimple
        tokens, positions, problems = self.tokens, self.positions, self.problems
        mapping: dict[str, Any] = {}
        count = len(tokens)
        while at < count:
            line, key_column, kind, key, key_end, value, value_column, value_end = tokens[at]
            if key_column != column or kind != _KEY_TOKEN:
                break
            repeated = key in mapping
            if repeated and problems is None:
                raise _NotSimple  # the caller cannot take the problem: the full reader reports it
            at += 1
            key_path = path + (key,)
            if value is _NESTED:  # the nested block spans from the next token to the one after it
                start_line, start_column = self.end_of(at)
                value, at = self.nested(at, column, depth, key_path, list_level_with_it=True)
                end_line, end_column = self.end_of(at)
            else:
                start_line, start_column = line, value_column
                end_line, end_column = value_end
            mapping[key] = value  # as the full reader: the last value, in the key's first place
            key_region = (line, column + 1, line, key_end + 1)
            if repeated and problems is not None:  # after the value's own problems, as the full reader
                problems.append(duplicate_key(key_path, key_region))
            if positions is not None:
                value_region = (start_line, start_column + 1, end_line, end_column + 1)
                positions[key_path] = _new_tuple(Span, (key_region, value_region))
        self.check_end(at, column)
        return mapping, at

    def nested(self, at: int, column: int, depth: int, path: Path, list_level_with_it: bool) -> tuple[Any, int]:
        """The value of a "key:" or "-" at ``column`` that starts on the next line.

        A list may sit level with its key, not with its "-".
        """
        if at == len(self.tokens):
            raise _NotSimple  # null
        next_column, kind = self.tokens[at][_COLUMN], self.tokens[at][_KIND]
        if kind == _KEY_TOKEN and next_column > column:
            return self.mapping(at, next_column, depth + 1, path)
        if kind == _ITEM_TOKEN and (next_column > column or (list_level_with_it and next_column == column)):
            return self.sequence(at, next_column, depth + 1, path)
        raise _NotSimple  # null, or a scalar on the next line

    def sequence(self, at: int, column: int, depth: int, path: Path) -> tuple[list[Any], int]:
        if depth > _MAX_NESTING:
            raise _NotSimple
        tokens, positions = self.tokens, self.positions
        items: list[Any] = []
        while at < len(tokens) and tokens[at][_COLUMN] == column and tokens[at][_KIND] == _ITEM_TOKEN:
            item_path = path + (len(items),)
            if tokens[at][_VALUE] is _NESTED:
                at += 1
                start = self.end_of(at)
                item, at = self.nested(at, column, depth, item_path, list_level_with_it=False)
            else:  # the item's content is on the dash's line
                content = tokens[at + 1]
                if content[_KIND] == _SCALAR_TOKEN:
                    items.append(content[_VALUE])
                    at += 2
                    if positions is not None:
                        positions[item_path] = _new_tuple(Span, (None, self.region(content[_LINE], content[_COLUMN], content[_VALUE_END])))
                    continue
                start = (content[_LINE], content[_COLUMN])
                read = self.mapping if content[_KIND] == _KEY_TOKEN else self.sequence
                item, at = read(at + 1, content[_COLUMN], depth + 1, item_path)
            items.append(item)
            if positions is not None:
                positions[item_path] = _new_tuple(Span, (None, self.region(*start, self.end_of(at))))
        self.check_end(at, column)
        return items, at

    def check_end(self, at: int, column: int) -> None:
        """A block ends where a line starts left of it; anything else is not simple YAML."""
        if at < len(self.tokens) and self.tokens[at][_COLUMN] >= column:
            # The one exception: a list level with its key ends and the key's mapping goes on.
            if not (self.tokens[at][_COLUMN] == column and self.tokens[at][_KIND] == _KEY_TOKEN):
                raise _NotSimple


def _has_unusual(text: str) -> bool:
    """Whether ``text`` holds a character of ``_UNUSUAL``."""
    if text.isascii():  # known without reading the text (CPython keeps it with the string)
        return len(text.encode().translate(None, _ASCII_UNUSUAL)) != len(text)
    return _UNUSUAL.search(text) is not None


def _add_usual_tokens(tokens: list[_Token], match: re.Match[str], number: int) -> None:
    """The tokens of a line ``_USUAL_LINE`` matches, as ``_line_tokens`` would read them."""
    _, dash, key_text, plain, quoted = match.groups()
    if dash is not None:
        tokens.append((number, match.end(1), _ITEM_TOKEN, None, 0, None, 0, _NO_END))
    key = _PLAIN_READ.get(key_text)
    if type(key) is not str:  # not read before (the cache holds no key too long), or not a string
        key = _plain(key_text)
        if type(key) is not str or len(key_text) > _MAX_KEY:
            raise _NotSimple
    column, key_end = match.span(3)
    if plain is not None:
        if ": " in plain or plain[-1] == ":":
            raise _NotSimple  # as _scalar: a plain scalar that YAML would read as a mapping
        value = _PLAIN_READ.get(plain, _PLAIN_READ)
        if value is _PLAIN_READ:
            value = _plain(plain)
        value_column, value_end = match.span(4)
    elif quoted is not None:  # the value is between the quotes; they are in its region
        value = quoted
        value_column, value_end = match.start(5) - 1, match.end(5) + 1
    else:
        tokens.append((number, column, _KEY_TOKEN, key, key_end, _NESTED, 0, _NO_END))
        return
    tokens.append((number, column, _KEY_TOKEN, key, key_end, value, value_column, (number, value_end)))


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


def _scalar(text: str) -> tuple[Any, int]:
    """The value of a one-line scalar that starts ``text``, and how many characters it spans."""
    first = text[0]
    if first == '"':
        match = _DOUBLE_QUOTED.match(text)
        return _unescape(_quoted(match, text)), match.end()  # type: ignore[union-attr]
    if first == "'":
        match = _SINGLE_QUOTED.match(text)
        return _quoted(match, text).replace("''", "'"), match.end()  # type: ignore[union-attr]
    if first in "|>":
        header = text.split(" #", 1)[0].rstrip(" ")
        if header in (">", ">-", "|", "|-"):
            return _BlockHeader(header), 0
        raise _NotSimple
    comment = text.find(" #")
    if comment >= 0:
        text = text[:comment]
    text = text.rstrip(" ")
    if text in ("{}", "[]"):
        return ({} if text == "{}" else []), 2
    if first in _INDICATORS or (first == "-" and text[1:2] in (" ", "")) or ": " in text or text.endswith(":"):
        raise _NotSimple
    return _plain(text), len(text)


def _plain(text: str) -> Any:
    value = _PLAIN_READ.get(text, _PLAIN_READ)
    if value is not _PLAIN_READ:
        return value
    try:
        value, yaml11_message = plain_reading(text)
    except ValueError:  # a number too long to show: the full reader says so
        raise _NotSimple from None
    if yaml11_message is not None or value == "<<":
        raise _NotSimple  # the full reader says what YAML 1.1 makes of it
    if len(text) <= _PLAIN_READ_LENGTH and len(_PLAIN_READ) < _PLAIN_READ_SIZE:
        _PLAIN_READ[text] = value
    return value


# Short plain scalars read before, and their values (a string, a number, a bool or None: shared
# safely). Keys, models, durations and shot types repeat from file to file: nine plain scalars
# in ten are one of a few hundred, and a lookup is a twentieth of reading one again.
_PLAIN_READ: dict[str, Any] = {}
_PLAIN_READ_LENGTH = 40
_PLAIN_READ_SIZE = 4096


def _quoted(match: re.Match[str] | None, text: str) -> str:
    """What is between the quotes of a one-line quoted scalar."""
    if match is None or not _AFTER_QUOTE.fullmatch(text, match.end()):
        raise _NotSimple  # a quoted scalar that goes on to the next line, or junk after it
    return match.group(1)


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



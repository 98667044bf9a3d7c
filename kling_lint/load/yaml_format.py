"""YAML text to requests, read as YAML 1.2 from the C parser's event stream.

Building the data from events ourselves, rather than through ruamel.yaml's constructors, is
what makes YAML cheap (about a tenth of a safe load) and safe: no tag is ever constructed,
aliases are counted as they expand, keys are checked as they arrive, and every value's place
in the file is at hand. The same function reads with or without positions, so the fast read
and the positioned read cannot disagree about a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from .. import rule_ids
from ..findings import REPAIR_QUOTE, Path, Problem, Repair, brief
from .document import MAX_ALIASED_CHARACTERS, MAX_DEPTH, MAX_VALUES, Region, Span, too_deep_message
from .text import LineIndex

_CORE = "tag:yaml.org,2002:"

# YAML 1.2 core schema, the way a YAML 1.2 reader resolves a plain scalar.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")

# What a YAML 1.1 reader (PyYAML, older js-yaml) makes of a plain scalar, where it differs.
_BOOL_11 = {
    **{w: True for w in ("yes", "Yes", "YES", "on", "On", "ON")},
    **{w: False for w in ("no", "No", "NO", "off", "Off", "OFF")},
}
_INT_11 = re.compile(
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_FLOAT_11 = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*"
)
# YAML 1.1 writes infinity and NaN as YAML 1.2 does.
_INF_11, _NAN_11 = _INF, _NAN
_TIMESTAMP_11 = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9].*)?")

# About 4,200 decimal digits: Python will not print a longer integer (sys.get_int_max_str_digits),
# and a message must be able to show any value. JSON's reader refuses such numbers too.
_MAX_INT_BITS = 14_000


class YamlError(ValueError):
    """The text is not YAML kling-lint can read; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int, offset: int = 0, refused: bool = False) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.offset = offset  # in the text, to tell which of two parsers read further
        self.refused = refused  # by kling-lint itself, not by a parser


class _Invalid(ValueError):
    """A scalar that cannot be read: its explicit tag does not fit its text, or it is too long a number."""


def _int(text: str, base: int = 10) -> int:
    """``int(text, base)``, or ``_Invalid`` for a number with too many digits to show."""
    try:
        value = int(text, base)
    except ValueError:  # more digits than Python converts
        raise _Invalid("the number has too many digits") from None
    if value.bit_length() > _MAX_INT_BITS:
        raise _Invalid("the number has too many digits")
    return value


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.fullmatch(text):
        return _int(text)
    if _OCT.fullmatch(text):
        return _int(text[2:], 8)
    if _HEX.fullmatch(text):
        return _int(text[2:], 16)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text


def yaml11_reading(text: str) -> Any:
    """What a YAML 1.1 reader makes of a plain scalar, or ``text`` itself for a string."""
    if text in _BOOL_11:
        return _BOOL_11[text]
    if text in _BOOL or _NULL.fullmatch(text):
        return resolve_plain(text)
    if _INT_11.fullmatch(text):
        try:
            value = _int_11(text.replace("_", ""))
        except ValueError:  # more digits than Python converts
            return _LongNumber(text)
        return value if value.bit_length() <= _MAX_INT_BITS else _LongNumber(text)
    if _FLOAT_11.fullmatch(text):
        return _float_11(text.replace("_", ""))
    if _INF_11.fullmatch(text) or _NAN_11.fullmatch(text):
        return resolve_plain(text)
    if _TIMESTAMP_11.fullmatch(text):
        return _Timestamp(text)
    return text


class _Timestamp(str):
    """Marks a scalar that YAML 1.1 reads as a date or time."""


class _LongNumber(str):
    """Marks a scalar that YAML 1.1 reads as an integer too long to show."""


def _int_11(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if ":" in digits:
        value = 0
        for part in digits.split(":"):
            value = value * 60 + int(part)
            # Each step multiplies a growing number: stop once it is too long to show, or a
            # long "1:0:0:…" costs time quadratic in its length.
            if value.bit_length() > _MAX_INT_BITS:
                raise ValueError("too many digits")
        return sign * value
    if digits.startswith("0b"):
        return sign * int(digits[2:], 2)
    if digits.startswith("0x"):
        return sign * int(digits[2:], 16)
    if len(digits) > 1 and digits.startswith("0"):
        return sign * int(digits, 8)
    return sign * int(digits)


def _float_11(text: str) -> float:
    if ":" not in text:
        return float(text)
    sign = -1 if text.startswith("-") else 1
    value = 0.0
    for part in text.lstrip("+-").split(":"):
        value = value * 60 + float(part)
        if value == float("inf"):
            break  # and stays so: no need to read the rest of a long "1:0:0:…"
    return sign * value


def _describe(value: Any) -> str:
    if isinstance(value, _Timestamp):
        return "a date"
    if isinstance(value, _LongNumber):
        return "a number too long to show"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return f'the string "{brief(value)}"'


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


def _ambiguity(text: str, value: Any) -> str | None:
    """A message when YAML 1.1 readers read this plain scalar differently from YAML 1.2."""
    old = yaml11_reading(text)
    if _same(old, value) and not isinstance(old, _Timestamp):
        return None
    return (
        f"{brief(text)} is {_describe(value)} in YAML 1.2 but {_describe(old)} in YAML 1.1 "
        "(PyYAML, older js-yaml)"
    )


def _yaml11_hint(text: str) -> str:
    """Quote it; and when YAML 1.1 reads a number that YAML 1.2 reads as text (1_0, 16:9), that
    number is offered too: quoting alone would keep a duration of "1_0", still wrong."""
    quoted = f'quote it ("{brief(text)}")'
    old = yaml11_reading(text)
    if isinstance(resolve_plain(text), str) and type(old) in (int, float):
        return f"{quoted} if you mean the text, or write {brief(repr(old))} if you mean the number"
    return f"{quoted} so that every YAML reader sees the same value"


def plain_reading(text: str) -> tuple[Any, str | None]:
    """The value of an untagged plain scalar, and a message when YAML 1.1 reads it otherwise.

    Raises ``ValueError`` for a number too long to show.
    """
    if is_plain_string(text):
        return text, None
    value = resolve_plain(text)
    if type(value) is float:
        _refuse_non_finite(value, text)
    return value, _ambiguity(text, value)


def _refuse_non_finite(value: float, text: str) -> None:
    """NaN and infinity are not JSON: a request cannot send them, so they are refused as
    JSON's reader refuses ``NaN``; so is a number too large for any reader but as infinity."""
    if value - value == 0.0:  # finite (inf - inf and nan - nan are NaN)
        return
    if _INF.fullmatch(text) or _NAN.fullmatch(text):
        kind = "NaN" if value != value else "infinity"
        raise _Invalid(f"{brief(text)} is {kind}, which JSON cannot hold; use a number")
    raise _Invalid(f"{brief(text)} is too large a number: it reads as infinity, which JSON cannot hold")


def _scalar_value(event: Any) -> Any:
    """The value of a scalar event, honouring the standard tags and nothing else."""
    tag = event.tag
    text = event.value
    if tag is None or tag == "!":
        if event.style or tag == "!":  # quoted or block scalars are always strings
            return text
        return resolve_plain(text)
    if not tag.startswith(_CORE):
        raise _Invalid(f"the YAML tag {_short_tag(tag)} is not allowed: a request holds plain data")
    kind = tag[len(_CORE):]
    if kind == "str":
        return text
    value = resolve_plain(text)
    wanted: Any = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}.get(kind)
    if wanted is None:
        raise _Invalid(f"the YAML tag {_short_tag(tag)} is not allowed: a request holds plain data")
    if not isinstance(value, wanted) or (kind != "bool" and isinstance(value, bool)):
        raise _Invalid(f"{brief(text)!r} is not a valid {_short_tag(tag)} value")
    if kind == "float" and type(value) is int:
        try:
            value = float(value)
        except OverflowError:  # as a plain 1e400 reads: infinite
            value = float("inf")
    if type(value) is float:
        _refuse_non_finite(value, text)
    return value


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


# A plain scalar that starts otherwise, and is not a short word starting with one of these
# letters, is a string under YAML 1.2 and 1.1 alike: most scalars take this shortcut.
_SPECIAL_FIRST = frozenset("-+.~0123456789")
_WORD_FIRST = frozenset("nNtTfFyYoO")


def duplicate_key(path: Path, position: Region) -> Problem:
    """The problem of a mapping's key at ``path`` written again at ``position``: a YAML reader
    keeps the last value (and the key's first place in the mapping). Shared with the line reader,
    which must report it word for word as this reader does."""
    return Problem(rule_ids.DUPLICATE_KEY, path,
                   f"the key {brief(str(path[-1]))!r} appears twice here; only the last value would be sent",
                   "remove one of the two entries", at_key=True, position=position)


def is_plain_string(text: str) -> bool:
    """True when a plain scalar is certainly the string ``text`` for every YAML reader."""
    return bool(text) and text[0] not in _SPECIAL_FIRST and not (len(text) <= 5 and text[0] in _WORD_FIRST)


def _key_name(key: Any) -> str:
    """A key that is not a string, written as YAML/JSON would show it."""
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    if isinstance(key, (int, float)):
        return repr(key)
    return "[…]" if isinstance(key, list) else "{…}"


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("value", "is_map", "path", "anchor", "start_mark", "size", "characters", "key", "key_marks")

    def __init__(self, value: Any, path: Path, anchor: str | None, start_mark: Any) -> None:
        self.value = value
        self.is_map = type(value) is dict
        self.path = path
        self.anchor = anchor
        self.start_mark = start_mark
        self.size = 1
        self.characters = 0
        self.key: Any = None
        self.key_marks: tuple[Any, Any] | None = None  # the key's marks, while its value is awaited

    def expects_key(self) -> bool:
        return self.is_map and self.key_marks is None

    def next_path(self) -> Path:
        """The path of the next value to arrive in this container."""
        if not self.is_map:
            return self.path + (len(self.value),)
        if self.key_marks is None:
            return self.path  # a key: it gets no path of its own
        return self.path + (self.key if type(self.key) is str else _key_name(self.key),)


class _Document:
    """One request being built: its value, what was found while reading, and positions.

    ``checkable`` is False for a document that holds no request (it is empty, or could not be
    read): its one problem says why.
    """

    def __init__(self, with_positions: bool, start: Any = None) -> None:
        self.value: Any = None
        self.problems: list[Problem] = []
        self.positions: Any = {} if with_positions else None  # a dict[Path, Span] when with_positions
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, size, characters
        self.aliased_values = 0
        self.aliased_characters = 0
        self.start = start  # the document's start event's marks, for a document that is empty
        self.checkable = True
        self.error: YamlError | None = None  # why a document could not be read


# The pure-Python parser reads YAML 1.2 where the C parser (libyaml) keeps YAML 1.1's rules
# (``{url: https://x}``, ``[9:16]``), but about thirty times slower: it re-reads what the C
# parser refused, up to this many characters of a file, so that a large broken file stays cheap.
SLOW_READER_BUDGET = 1 << 20
_SLOW_READER_START = 1024  # what starting it costs, in characters read: many small parts add up too


class _Refused(Exception):
    """What kling-lint itself refuses while building (a tag, an alias bomb, NaN): the C
    parser's reading is not in doubt, so the slower parser is not asked."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.mark = mark


def read_yaml(text: str, with_positions: bool = False) -> list[_Document]:
    """All documents of a YAML stream, read as YAML 1.2.

    A document that cannot be read is a document with one ``syntax`` problem, and the others
    are still read; ``YamlError`` when the stream is that one unreadable document.
    """
    places = _Places(text)
    try:
        return _read_part(text, 0, len(text), with_positions, places, _c_events)
    except YamlError as error:
        documents = _read_parts(text, _parts(text), with_positions, places, error)
    if len(documents) == 1 and not documents[0].checkable and documents[0].error is not None:
        raise documents[0].error
    return documents


def _read_parts(text: str, parts: list[tuple[int, int]], with_positions: bool, places: _Places,
                error: YamlError) -> list[_Document]:
    """The documents of a stream the C parser could not read whole, each part read alone.

    Runs of parts are read together and halved where they fail, so a broken document among
    thousands costs a few reads, not one a document; a part that fails alone is read again
    by the YAML 1.2 parser, or becomes the document that says why.
    """
    budget = [SLOW_READER_BUDGET]
    documents: list[_Document] = []
    todo: list[tuple[int, int, YamlError | None]] = [(0, len(parts), error)]  # first half on top
    while todo:
        low, high, failed = todo.pop()
        start, end = parts[low][0], parts[high - 1][1]
        if failed is None:
            try:
                documents.extend(_read_part(text, start, end, with_positions, places, _c_events))
                continue
            except YamlError as chunk_error:
                failed = chunk_error
        if high - low == 1:
            documents.extend(_read_again(text, start, end, with_positions, places, failed, budget))
            continue
        middle = (low + high) // 2
        todo += [(middle, high, None), (low, middle, None)]
    return documents


def _read_again(text: str, start: int, end: int, with_positions: bool, places: _Places,
                error: YamlError, budget: list[int]) -> list[_Document]:
    """A part the C parser refused, read by the pure-Python parser; or the document that says why."""
    cost = end - start + _SLOW_READER_START
    if error.refused or cost > budget[0]:
        return [_unreadable(error, with_positions)]
    budget[0] -= cost
    try:
        return _read_part(text, start, end, with_positions, places, _pure_events)
    except YamlError as slow_error:
        # Where the parsers disagree, the YAML 1.2 reader decides: what kling-lint refuses in
        # its reading stands, and of two syntax errors the one further on (the C parser's
        # messages are clearer, but it may stop early at what YAML 1.2 allows).
        later = slow_error.offset > error.offset
        return [_unreadable(slow_error if slow_error.refused or later else error, with_positions)]
    except Exception:  # noqa: BLE001 - a fault of the second opinion: the first one stands
        return [_unreadable(error, with_positions)]


def _unreadable(error: YamlError, with_positions: bool) -> _Document:
    doc = _Document(with_positions)
    doc.problems.append(Problem(rule_ids.SYNTAX, (), str(error), None,
                                position=(error.line, error.column, error.line, error.column + 1)))
    doc.checkable = False
    doc.error = error
    return doc


# A line that starts a document ("---") or ends one ("..."), followed by a space or its end.
_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|\Z)", re.MULTILINE)
# A line with nothing for a document: blank, a comment, a directive.
_NOTHING = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n|%[^\n]*\n)*[ \t]*(?:#[^\n]*)?\Z")


def _parts(text: str) -> list[tuple[int, int]]:
    """The stream cut into its documents, at the "---" and "..." lines every YAML parser
    obeys: each part holds one document (or nothing), and reads alone as it reads in the
    stream. Comments and directives before a "---" go with the document they precede."""
    cuts = [0]
    for marker in _MARKER.finditer(text):
        at = marker.start()
        if marker.group() == "...":
            line_end = text.find("\n", at)
            at = len(text) if line_end < 0 else line_end + 1
        if at > cuts[-1]:
            if _NOTHING.fullmatch(text, cuts[-1], at):
                continue  # nothing but comments or directives: they belong to what follows
            cuts.append(at)
    cuts.append(len(text))
    return [(start, end) for start, end in zip(cuts, cuts[1:], strict=False) if start < end]


def _c_events(text: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    from _ruamel_yaml import CParser

    parser = CParser(text)
    return parser.get_event, parser.dispose


def _pure_events(text: str) -> tuple[Callable[[], Any], Callable[[], None]]:
    # The loader's parts, not YAML(): that looks for plug-ins on disk each time it is made.
    from ruamel.yaml.loader import SafeLoader

    loader = SafeLoader(text)
    return loader.get_event, loader.dispose


def _read_part(text: str, start: int, end: int, with_positions: bool, places: _Places,
               events: Callable[[str], tuple[Callable[[], Any], Callable[[], None]]]) -> list[_Document]:
    """The documents of ``text[start:end]``; raises ``YamlError`` where it cannot be read."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    part = text if start == 0 and end == len(text) else text[start:end]
    builder = _Builder(places, start, with_positions)
    get_event, dispose = events(part)
    try:
        return builder.run(get_event)
    except _Refused as error:
        raise places.error(str(error), start + error.mark.index, refused=True) from None
    except MarkedYAMLError as error:
        message, offset = explain(error, text, start, end, places, [frame.start_mark for frame in builder.stack])
        raise places.error(message, offset) from None
    except YAMLError as error:  # the reader's: a character YAML does not allow
        position = getattr(error, "position", None)
        message = str(getattr(error, "reason", "") or error).split("\n")[0]
        character = getattr(error, "character", None)
        if isinstance(character, (int, str)):
            code = character if isinstance(character, int) else ord(character[:1] or "\0")
            message = f"the character U+{code:04X} is not allowed in YAML ({message})"
        raise places.error(message, start + position if isinstance(position, int) else start) from None
    finally:
        dispose()


class _Places:
    """Offsets in the whole text to line:column, the index built at the first one asked."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def index(self) -> LineIndex:
        return LineIndex(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        return self.index.position(offset)

    def error(self, message: str, offset: int, refused: bool = False) -> YamlError:
        return YamlError(message, *self.position(offset), offset=offset, refused=refused)


_FLOW = {"while parsing a flow sequence": "[", "while parsing a flow mapping": "{"}
_CLOSER = {"[": "]", "{": "}"}


_INDENT = re.compile(r"[ \t]*")
_BLANK = re.compile(r"\s*")


def explain(error: Any, text: str, start: int, end: int, places: _Places, open_marks: Sequence[Any] = ()) -> tuple[str, int]:
    """A parser's error in ``text[start:end]`` said in the words of the mistake, and where it is.

    The parser says where it stopped; for a tab, a bracket or a quote left open, the place to
    fix is elsewhere, and its message ("cannot start any token") does not name the mistake.
    ``open_marks`` are the start marks of the collections still open when it stopped. (Every
    step looks near the error only: a file may have many documents that fail.)
    """
    mark, context = error.problem_mark or error.context_mark, error.context_mark
    offset = start + mark.index if mark else start
    message = error.problem or "the text is not valid YAML"
    line_start = text.rfind("\n", start, offset) + 1 or start
    indent = _INDENT.match(text, line_start, end)  # [ \t]* always matches
    indent_end = indent.end() if indent else line_start
    if offset <= indent_end and "\t" in text[line_start:indent_end]:
        return "a tab indents this line; YAML indents with spaces only", text.index("\t", line_start)
    at_end = _BLANK.fullmatch(text, offset, end) is not None or (
        offset == line_start and text.startswith(("---", "..."), offset))
    if at_end and context is not None and error.context == "while scanning a quoted scalar":
        return "this quoted string is never closed: its closing quote is missing", start + context.index
    flows = [start + m.index for m in open_marks if text[start + m.index:start + m.index + 1] in _CLOSER]
    if at_end and flows:
        bracket = text[flows[-1]]
        return f"this {bracket} is never closed: the document ends before its '{_CLOSER[bracket]}'", flows[-1]
    if error.context in _FLOW and context is not None and text.count("\n", start + context.index, offset):
        bracket = _FLOW[error.context]
        line = places.position(offset)[0]
        return f"this {bracket} is never closed: line {line} is reached without its '{_CLOSER[bracket]}'", start + context.index
    if error.context:
        message += f" ({error.context})"
    return message, offset


_MERGE_KEY = (
    "<< is a plain key in YAML 1.2, which kling-lint reads, but a merge key in YAML 1.1 "
    "(PyYAML, js-yaml): kling-lint merges nothing here, other tools would"
)


class _Builder:
    """Turns parser events into documents, one event at a time, with an explicit stack."""

    def __init__(self, places: _Places, base: int, with_positions: bool) -> None:
        self.places = places
        self.base = base  # where the parsed part starts in the text: marks count from there
        self.with_positions = with_positions
        self.documents: list[_Document] = []
        self.doc = _Document(with_positions)
        self.stack: list[_Frame] = []

    def place(self, mark: Any) -> tuple[int, int]:
        """The line and column of a parser mark, counted as every loader counts them.

        Not the mark's own line: the parser also breaks lines at a lone CR, NEL and U+2028.
        """
        return self.places.position(self.base + mark.index)

    def span(self, start: Any, end: Any) -> tuple[int, int, int, int]:
        return (*self.place(start), *self.place(end))

    def run(self, get_event: Callable[[], Any]) -> list[_Document]:
        from ruamel.yaml import events

        scalar, alias = events.ScalarEvent, events.AliasEvent
        mapping, sequence = events.MappingStartEvent, events.SequenceStartEvent
        ends = (events.MappingEndEvent, events.SequenceEndEvent)
        add = self.add
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar:
                text = event.value
                if not event.style and event.tag is None and is_plain_string(text) and text != "<<":
                    add(text, 1, len(text), event.start_mark, event.end_mark, event.anchor)
                else:
                    self.scalar(event)
            elif kind in ends:
                frame = self.stack.pop()
                add(frame.value, frame.size, frame.characters, frame.start_mark, event.end_mark, frame.anchor)
            elif kind is mapping or kind is sequence:
                self.open(event, {} if kind is mapping else [])
            elif kind is alias:
                self.alias(event)
            elif kind is events.DocumentStartEvent:
                self.doc = _Document(self.with_positions, (event.start_mark, event.end_mark))
            elif kind is events.DocumentEndEvent:
                self.documents.append(self.doc)
            elif kind is events.StreamEndEvent:
                return self.documents

    def alias(self, event: Any) -> None:
        """An alias: the anchored value again, counted, since aliases are what can multiply a
        small text into an enormous document; values written out in full are bounded by the
        file's size."""
        doc = self.doc
        if event.anchor not in doc.anchors:
            raise _Refused(f"the alias *{event.anchor} names no anchor", event.start_mark)
        value, size, characters = doc.anchors[event.anchor]
        doc.aliased_values += size
        doc.aliased_characters += characters
        for repeated, limit, what in ((doc.aliased_values, MAX_VALUES, "values"),
                                      (doc.aliased_characters, MAX_ALIASED_CHARACTERS, "characters")):
            if repeated > limit:
                raise _Refused(f"the document's aliases repeat more than {limit:,} {what} "
                               "(a 'billion laughs' file?)", event.start_mark)
        self.add(value, size, characters, event.start_mark, event.end_mark, None)

    def empty(self, event: Any) -> None:
        """A document with nothing in it (a "---" followed by comments): no request, said there."""
        doc = self.doc
        start, end = doc.start or (event.start_mark, event.end_mark)
        line, column, end_line, end_column = self.span(start, end)
        if (end_line, end_column) == (line, column):
            end_column += 1
        doc.problems.append(Problem(
            rule_ids.SYNTAX, (), "this document is empty (nothing but comments or blank lines): it holds no request",
            "remove this ---, or write a request after it", position=(line, column, end_line, end_column)))
        doc.checkable = False

    def scalar(self, event: Any) -> None:
        """A scalar off the shortcut: typed, tagged, quoted or possibly ambiguous."""
        plain = not event.style and event.tag is None
        try:
            value, message = plain_reading(event.value) if plain else (_scalar_value(event), None)
        except _Invalid as error:
            raise _Refused(str(error), event.start_mark) from None
        if plain and not self.stack and event.value == "" and event.anchor is None:
            self.empty(event)
        elif message is not None:  # quoting keeps a string's meaning; a number's would change
            self.note_yaml11(event, message, quote=isinstance(value, str))
        elif plain and value == "<<" and self.stack and self.stack[-1].expects_key():
            self.note_yaml11(event, _MERGE_KEY, "write the keys out instead of merging them")
        self.add(value, 1, len(event.value), event.start_mark, event.end_mark, event.anchor)

    def note_yaml11(self, event: Any, message: str, hint: str | None = None, quote: bool = False) -> None:
        parent = self.stack[-1] if self.stack else None
        at_key = parent is not None and parent.expects_key()
        path = parent.next_path() + ((event.value,) if at_key else ()) if parent else ()
        self.doc.problems.append(
            Problem(
                rule_ids.YAML11_AMBIGUOUS,
                path,
                message,
                hint or _yaml11_hint(event.value),
                at_key=at_key,
                position=self.span(event.start_mark, event.end_mark),
                repair=Repair(REPAIR_QUOTE, None, True, "quote it") if quote else None,
            )
        )

    def open(self, event: Any, container: Any) -> None:
        if event.tag not in (None, "!", _CORE + "map", _CORE + "seq"):
            raise _Refused(
                f"the YAML tag {_short_tag(event.tag)} is not allowed: a request holds plain data",
                event.start_mark,
            )
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(too_deep_message(), event.start_mark)
        path = self.stack[-1].next_path() if self.stack else ()
        self.stack.append(_Frame(container, path, event.anchor, event.start_mark))

    def add(self, value: Any, size: int, characters: int, start: Any, end: Any, anchor: str | None) -> None:
        """Put a finished value into its parent (or make it the document), counting its size."""
        doc = self.doc
        if anchor is not None:
            doc.anchors[anchor] = (value, size, characters)
        stack = self.stack
        if not stack:
            doc.value = value
            if self.with_positions:
                doc.positions[()] = Span(None, self.span(start, end))
            return
        parent = stack[-1]
        parent.size += size
        parent.characters += characters
        if parent.is_map:
            if parent.key_marks is None:  # this value is a key
                parent.key = value
                parent.key_marks = (start, end)
                return
            key_marks = parent.key_marks
            path = parent.next_path() if self.with_positions else None
            parent.key_marks = None
            if not self.set_entry(parent, key_marks, value):
                return
            if path is not None:
                doc.positions[path] = Span(self.span(*key_marks), self.span(start, end))
        else:
            if self.with_positions:
                doc.positions[parent.next_path()] = Span(None, self.span(start, end))
            parent.value.append(value)

    def set_entry(self, parent: _Frame, key_marks: tuple[Any, Any], value: Any) -> bool:
        """Store a mapping entry; False (and a problem) when its key cannot be kept."""
        key = parent.key
        if type(key) is not str:
            name = _key_name(key)
            self.key_problem(rule_ids.TYPE_MISMATCH, parent.path + (name,), key_marks,
                             f"the key {name} is not a string; request keys are strings",
                             "quote the key, or remove the entry")
            return False
        if key in parent.value:
            self.doc.problems.append(duplicate_key(parent.path + (key,), self.span(*key_marks)))
        parent.value[key] = value
        return True

    def key_problem(self, rule: str, path: Path, key_marks: tuple[Any, Any], message: str, hint: str) -> None:
        self.doc.problems.append(Problem(rule, path, message, hint, at_key=True, position=self.span(*key_marks)))

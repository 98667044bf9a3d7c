"""Loading: bytes of a request file to its requests, each with positions on demand.

``load(data, fmt)`` is the one entry point; ``format_of`` picks the format from a file name.
Nothing here knows about rules or output.
"""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from .. import rule_ids
from ..findings import Path, Problem
from .document import Document, LoadedFile, Positions, Span
from .text import UTF8_BOM, DecodeError, LineIndex, decode

__all__ = ["Document", "LoadedFile", "Positions", "Span", "format_of", "load", "SUFFIXES"]

SUFFIXES = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".yaml": "yaml", ".yml": "yaml"}


def format_of(name: str, data: bytes = b"") -> str:
    """The format of a file from its suffix; for another name (or stdin), from its content.

    Content that starts as JSON is JSON, unless its first line is a whole JSON value with more
    text after it: one JSON text cannot go on after its value, so that is JSON Lines. A ``{``
    whose first key is not in double quotes cannot be JSON: it is a YAML flow mapping
    (``{prompt: a fox, duration: 5}``) when it reads as YAML, else JSON, whose
    syntax error names the mistake. Valid JSON never takes that path (no YAML reader imported).
    """
    dot = name.rfind(".")
    fmt = SUFFIXES.get(name[dot:].lower()) if dot >= 0 else None
    if fmt:
        return fmt
    if data.startswith(UTF8_BOM):  # decode drops it: the format is what follows
        data = data[len(UTF8_BOM):]
    data = data.lstrip()
    if data[:1] not in (b"{", b"["):
        return "yaml"
    first, _, rest = data.partition(b"\n")
    if rest.strip() and _is_json_value(first):
        return "jsonl"
    return "yaml" if _is_flow_mapping(data) else "json"


def _is_flow_mapping(data: bytes) -> bool:
    """``{`` then an unquoted key, and the whole reads as YAML (read twice: such input is rare)."""
    if data[:1] != b"{" or data[1:].lstrip()[:1] in (b'"', b"}", b""):
        return False
    return load(data, "yaml").failure is None


def _is_json_value(line: bytes) -> bool:
    import json

    try:
        json.loads(line)
    except ValueError:  # not JSON, or not UTF-8
        return False
    return True


def load(data: bytes, fmt: str) -> LoadedFile:
    """Read ``data`` as ``fmt`` ("json", "jsonl" or "yaml")."""
    try:
        text = decode(data)
    except DecodeError as error:
        return LoadedFile("", [], _syntax(str(error), error.line, error.column))
    reader = {"json": _load_json, "jsonl": _load_jsonl, "yaml": _load_yaml}[fmt]
    return reader(text)


def _syntax(message: str, line: int, column: int) -> Problem:
    return Problem(rule_ids.SYNTAX, (), message, None, position=(line, column, line, column + 1))


def _load_json(text: str) -> LoadedFile:
    from . import json_format

    try:
        value = json_format.fast_load(text)
    except Exception:  # noqa: BLE001 - any failure: let the scanner say what and where
        return _scan_json(text)
    locate = lambda: _json_positions(text, 0, LineIndex(text))  # noqa: E731
    return LoadedFile(text, [Document(value, [], locate)])


def _scan_json(text: str, base: int = 0, whole: str | None = None, index: LineIndex | None = None) -> LoadedFile:
    """The slow, positioned read of a JSON text (or of one line of a JSONL file, with its index)."""
    from . import json_format

    unit = "text" if whole is None else "line"
    whole = text if whole is None else whole
    index = index or LineIndex(whole)
    try:
        value, regions, duplicates = json_format.scan(text, base, unit)
    except json_format.JsonError as error:
        return LoadedFile(whole, [], _syntax(str(error), *index.position(error.offset)))
    problems = json_format.duplicate_problems(duplicates, index)
    positions = json_format.positions(regions, index)
    return LoadedFile(whole, [Document(value, problems, lambda: positions)])


def _json_positions(text: str, base: int, index: LineIndex) -> Positions:
    """Positions in a text ``fast_load`` has accepted: nothing left to check, so the quick walk."""
    from . import json_format

    return json_format.positions(json_format.regions_of_valid(text, base), index)


def _load_jsonl(text: str) -> LoadedFile:
    """One request a line; blank lines are skipped, and a line that is not JSON is a finding of its own."""
    from . import json_format

    documents: list[Document] = []
    index = cache(lambda: LineIndex(text))  # one for the whole file, built at the first finding
    offset = 0
    # Lines end at "\n" only: str.splitlines would also break inside a string at U+2028 or NEL,
    # which JSON allows unescaped.
    for line in text.split("\n"):
        base, offset = offset, offset + len(line) + 1
        line = line.rstrip("\r")  # so that an error at the end of a line is placed on it
        if not line.strip():
            continue
        try:
            value = json_format.fast_load(line)
        except Exception:  # noqa: BLE001 - as in _load_json
            scanned = _scan_json(line, base, text, index())
            if scanned.failure:  # this line only: the others are still checked
                documents.append(Document(None, [scanned.failure], dict, checkable=False))
            documents.extend(scanned.documents)
            continue
        def locate(line: str = line, base: int = base) -> Positions:
            return _json_positions(line, base, index())

        documents.append(Document(value, [], locate))
    if not documents:
        return LoadedFile(text, [], _syntax("the file holds no request: it has no lines", 1, 1))
    return LoadedFile(text, documents)


def _load_yaml(text: str) -> LoadedFile:
    from . import yaml_simple

    # The usual file, without the YAML parser's import. Positions are taken on this one read:
    # they add about a fifth to it, while a second read for a file with a finding (a warning is
    # common) would double it. A repeated key is read here too, with the full reader's problem.
    positions: dict[Path, Span] = {}
    problems: list[Problem] = []
    simple = yaml_simple.read_simple_yaml(text, positions, problems)
    if simple is not None:
        return LoadedFile(text, [Document(value, problems, lambda: positions) for value in simple])
    from . import yaml_format

    # What gets here is unusual YAML (flow style, anchors, several documents) or broken, and
    # nearly always has a finding: read it once, with positions. They add about half to a read
    # (0.11 -> 0.18 ms a request file); the positioned second read at the first finding added all
    # of one.
    try:
        built = yaml_format.read_yaml(text, with_positions=True)
    except yaml_format.YamlError as error:
        return LoadedFile(text, [], _syntax(str(error), error.line, error.column))
    if not built:
        return LoadedFile(text, [], _syntax("the file holds no request: it is empty or only comments", 1, 1))

    def positions_of(doc: Any) -> Positions:
        return doc.positions  # a dict, taken on the one read

    documents = [Document(doc.value, doc.problems, partial(positions_of, doc), doc.checkable) for doc in built]
    return LoadedFile(text, documents)

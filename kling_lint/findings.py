"""The records every layer shares: a Problem (what is wrong, where in the request) and a
Finding (the same, placed in a file with a severity). Nothing else lives here, so that every
layer, the reporters included, can import it without pulling in anything heavy.

They are NamedTuples, not dataclasses: immutable records all the same, but defining a frozen
dataclass costs about 2 ms at import, which every run of a pre-commit hook would pay."""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from .redact import redact

# A JSON path as a tuple: ("extra_body", "multi_prompt", 0, "prompt"). Rendered as
# "$.extra_body.multi_prompt[0].prompt" only when a finding is made.
Path = tuple[str | int, ...]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Repair(NamedTuple):
    """What would mend a problem, said by the rule that found it, before it is placed in a file.

    ``kind`` is one of the REPAIR_* names below; ``value`` its argument: the value to write
    (REPAIR_VALUE), the key's new name (REPAIR_RENAME), or the path of the object the key moves
    into (REPAIR_MOVE). The engine turns it into edits of the file's text (a ``Fix``).
    """

    kind: str
    value: object
    safe: bool
    message: str


REPAIR_VALUE = "value"  # write this value in place of the value at the problem's path
REPAIR_QUOTE = "quote"  # quote the plain YAML scalar at the problem's position
REPAIR_RENAME = "rename"  # the key at the problem's path gets this name
REPAIR_MOVE = "move"  # the key at the problem's path moves into the object at this path

SAFE, UNSAFE = "safe", "unsafe"


class Edit(NamedTuple):
    """Replace the characters ``start:end`` of the file's text (BOM excluded) with ``text``."""

    start: int
    end: int
    text: str


class Fix(NamedTuple):
    """Edits that mend one finding, sorted by offset, and whether they keep the meaning (SAFE)."""

    applicability: str
    edits: tuple[Edit, ...]
    message: str


def shown_fix(fix: Fix) -> Fix:
    """``fix`` as a report shows it: secrets masked in its message and in its edits' text (a
    moved key brings its value along), lengths kept so that offsets still add up. ``--fix``
    applies the fix itself."""
    edits = tuple(edit._replace(text=redact(edit.text, keep_length=True)) for edit in fix.edits)
    return fix._replace(edits=edits, message=redact(fix.message))


class Problem(NamedTuple):
    """A broken rule found in a request, before it is placed in a file.

    ``at_key`` says whether the finding is about the key at ``path`` (an unknown or duplicate
    key) rather than its value. ``position`` is set only by a loader that already knows it
    (a syntax error), as a 1-based (line, column, end_line, end_column).
    """

    rule: str
    path: Path
    message: str
    hint: str | None = None
    at_key: bool = False
    position: tuple[int, int, int, int] | None = None
    repair: Repair | None = None


class Finding(NamedTuple):
    """One diagnostic, as every output format and the Python API give it.

    Lines and columns are 1-based; columns count characters, not bytes. ``end_line`` and
    ``end_column`` close the span (exclusive). ``snippet`` is the source line the span starts
    on, secrets masked; a very long line is cut around the span, and ``snippet_offset`` says
    how many of its characters come before the snippet. ``None`` when there is no file text
    (``kling_lint.lint`` on a dict, where line and column are ``None`` too).
    """

    rule: str
    severity: Severity
    message: str
    hint: str | None
    json_path: str
    file: str
    line: int | None
    column: int | None
    end_line: int | None = None
    end_column: int | None = None
    snippet: str | None = None
    snippet_offset: int = 0  # characters of the line left out before the snippet starts
    fix: Fix | None = None


class Summary(NamedTuple):
    """What a run checked and found."""

    files: int = 0
    errors: int = 0
    warnings: int = 0
    unreadable: int = 0
    fixable: int = 0  # findings with a safe fix (``check --fix`` would mend them)
    unsafe_fixable: int = 0  # findings with an unsafe fix (``--unsafe-fixes`` too)
    fixed: int = 0  # findings mended by ``check --fix``


# A key or value quoted in a message is cut to this many characters: the file already holds it.
SHOWN_CHARACTERS = 40


def brief(text: str) -> str:
    """``text`` for a message, secrets masked, then a very long one cut to SHOWN_CHARACTERS and an ellipsis.

    Masking comes first: a cut token or $KLING_API_KEY would no longer be recognised."""
    text = redact(text)
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


def format_path(path: Path) -> str:
    """("extra_body", "multi_prompt", 0) -> "$.extra_body.multi_prompt[0]"."""
    out = ["$"]
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif part.isidentifier():
            out.append(f".{part}")
        else:
            out.append("[" + _quote(part) + "]")
    return "".join(out)


def _quote(key: str) -> str:
    return "'" + key.replace("\\", "\\\\").replace("'", "\\'") + "'"

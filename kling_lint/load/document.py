"""What a loader gives back: the requests of one file, with their positions on demand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from ..findings import Path, Problem

# A request is four levels deep at most ($.extra_body.multi_prompt[0].prompt); anything far
# deeper is not a request, and refusing it early keeps every later walk cheap and recursion-free.
MAX_DEPTH = 100
# Aliases let a small YAML file stand for an enormous tree ("billion laughs"): count expanded
# values and stop well before that costs time or memory.
MAX_VALUES = 100_000
# The same through long strings: aliases may add this many characters to a document, no more.
MAX_ALIASED_CHARACTERS = 1_000_000

# 1-based (line, column, end_line, end_column), end exclusive.
Region = tuple[int, int, int, int]


class Span(NamedTuple):
    """Where a value sits in its file: its key (None for list items and the root) and itself."""

    key: Region | None
    value: Region


Positions = Mapping[Path, Span]  # a dict, or a view that places offsets on demand


def too_deep_message() -> str:
    return f"the data is nested more than {MAX_DEPTH} levels deep; a request is never this deep"


class Document:
    """One request of a file: its value and what reading it already found.

    ``locate`` builds the json_path -> Span map. It is called only for a request that has a
    finding, since positions cost more than the check itself. ``checkable`` is False for a
    request that could not be read (a bad line of a JSONL file): its problems say why.
    """

    __slots__ = ("value", "problems", "locate", "checkable", "_positions")

    def __init__(self, value: Any, problems: list[Problem], locate: Callable[[], Positions],
                 checkable: bool = True) -> None:
        self.value = value
        self.problems = problems
        self.locate = locate
        self.checkable = checkable
        self._positions: Positions | None = None

    def positions(self) -> Positions:
        if self._positions is None:
            self._positions = self.locate()
        return self._positions


class LoadedFile(NamedTuple):
    """The requests of one file, or the one problem that kept it from being read."""

    text: str
    documents: list[Document]
    failure: Problem | None = None

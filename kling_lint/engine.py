"""load -> check -> place: from the bytes of a file to its findings.

This is the one place where problems get their severity, their position and their snippet.
Positions are looked up only for a request that has a problem, which is what keeps valid files
cheap; the lookup itself is the same whichever path found the problem.
"""

from __future__ import annotations

from typing import Any

from . import rule_ids
from .contract import Contract, default_contract
from .findings import Finding, Path, Problem, format_path
from .load import LoadedFile, Positions, format_of, load
from .load.text import LineIndex
from .redact import redact

SNIPPET_WIDTH = 160  # characters of a long line shown around the span


def lint_bytes(data: bytes, name: str, fmt: str | None = None, explain_always: bool = False,
               contract: Contract | None = None) -> list[Finding]:
    """Every finding for the file ``name`` whose content is ``data`` (``contract``: the packaged one by default)."""
    loaded = load(data, fmt or format_of(name, data))
    return lint_loaded(loaded, name, explain_always, contract)


def lint_loaded(loaded: LoadedFile, name: str, explain_always: bool = False, contract: Contract | None = None) -> list[Finding]:
    contract = contract or default_contract()
    if loaded.failure is not None:
        return [_place(loaded.failure, {}, _Lines(loaded.text), name, contract)]
    findings: list[Finding] = []
    lines: _Lines | None = None
    for document in loaded.documents:
        problems = document.problems
        if document.checkable:
            problems = problems + contract.check(document.value, explain_always)
        if not problems:
            continue
        positions = document.positions()
        lines = lines or _Lines(loaded.text)
        findings.extend(_place(problem, positions, lines, name, contract) for problem in problems)
        if any(problem.repair for problem in problems):  # the fixes: edits of the file's own text
            _attach_fixes(findings, problems, positions, loaded.text, lines.index)
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return findings


def lint_value(request: Any, name: str = "<request>", contract: Contract | None = None) -> list[Finding]:
    """Findings for an in-memory request: no file, so no positions."""
    contract = contract or default_contract()
    return [
        Finding(p.rule, contract.severity(p.rule),
                _shown(p.message), _shown(p.hint), _shown(format_path(p.path)), name, None, None)
        for p in contract.check(request)
    ]


def unreadable(name: str, reason: str, contract: Contract | None = None) -> Finding:
    """The finding for a file that could not be read at all."""
    severity = (contract or default_contract()).severity(rule_ids.UNREADABLE)
    return Finding(rule_ids.UNREADABLE, severity, _shown(reason), None, "$", name, 1, 1, 1, 2)


def _shown(text: str | None) -> str | None:
    """A text for a finding: secrets masked, and printable in UTF-8 whatever the file held.

    A JSON string may hold a lone surrogate ("\\ud800"); it is shown as that escape, since no
    output stream could write the character itself.
    """
    if text is None:
        return None
    return redact(text).encode("utf-8", "backslashreplace").decode("utf-8")


class _Lines:
    """The lines of a file as snippets show them: every token masked, each line masked once.

    Masking keeps the line's length, so columns still match, and happens before a long line is
    cut around a span, so that the cut never leaves part of a token unmasked.
    """

    def __init__(self, text: str) -> None:
        self.index = LineIndex(text)
        self.masked: dict[int, str] = {}

    def line_text(self, line: int) -> str:
        if line not in self.masked:
            self.masked[line] = redact(self.index.line_text(line), keep_length=True)
        return self.masked[line]


def _region(problem: Problem, positions: Positions) -> tuple[int, int, int, int]:
    if problem.position is not None:
        return problem.position
    path: Path = problem.path
    span = positions.get(path)
    if span is not None:
        return span.key if problem.at_key and span.key else span.value
    while path:  # a missing key: point at the nearest object that is there
        path = path[:-1]
        if path in positions:
            return positions[path].value
    return (1, 1, 1, 2)


def _place(problem: Problem, positions: Positions, lines: _Lines, name: str, contract: Contract) -> Finding:
    line, column, end_line, end_column = _region(problem, positions)
    snippet, offset = _snippet(lines.line_text(line), column)
    return Finding(
        rule=problem.rule,
        severity=contract.severity(problem.rule),
        message=_shown(problem.message),
        hint=_shown(problem.hint),
        json_path=_shown(format_path(problem.path)),
        file=name,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        snippet=_shown(snippet),
        snippet_offset=offset,
    )


def _attach_fixes(findings: list[Finding], problems: list[Problem], positions: Positions, text: str, index: LineIndex) -> None:
    """Give the findings just placed (the last ``len(problems)``) the fixes their repairs make."""
    from .edits import fix_for

    first = len(findings) - len(problems)
    for number, problem in enumerate(problems):
        if problem.repair is not None:
            findings[first + number] = findings[first + number]._replace(fix=fix_for(problem, positions, text, index))


def _snippet(text: str, column: int) -> tuple[str, int]:
    """The line, or a window of it around ``column`` when it is too long to show."""
    if len(text) <= SNIPPET_WIDTH:
        return text, 0
    start = max(0, min(column - 1 - SNIPPET_WIDTH // 4, len(text) - SNIPPET_WIDTH))
    return text[start:start + SNIPPET_WIDTH], start

"""load -> check -> place: from the bytes of a file to its findings.

This is the one place where problems get their severity, their position and their snippet.
Positions are looked up only for a request that has a problem, which is what keeps valid files
cheap; the lookup itself is the same whichever path found the problem.
"""

from __future__ import annotations

from typing import Any

from .contract import RULES, check
from .findings import Finding, Path, Problem, format_path
from .load import LoadedFile, Positions, format_of, load
from .load.text import LineIndex
from .redact import redact

SNIPPET_WIDTH = 160  # characters of a long line shown around the span


def lint_bytes(data: bytes, name: str, fmt: str | None = None, explain_always: bool = False) -> list[Finding]:
    """Every finding for the file ``name`` whose content is ``data``."""
    loaded = load(data, fmt or format_of(name, data))
    return lint_loaded(loaded, name, explain_always)


def lint_loaded(loaded: LoadedFile, name: str, explain_always: bool = False) -> list[Finding]:
    if loaded.failure is not None:
        return [_place(loaded.failure, {}, LineIndex(loaded.text), name)]
    findings: list[Finding] = []
    lines: LineIndex | None = None
    for document in loaded.documents:
        problems = document.problems
        if document.checkable:
            problems = problems + check(document.value, explain_always)
        if not problems:
            continue
        positions = document.positions()
        lines = lines or LineIndex(loaded.text)
        findings.extend(_place(problem, positions, lines, name) for problem in problems)
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return findings


def lint_value(request: Any, name: str = "<request>") -> list[Finding]:
    """Findings for an in-memory request: no file, so no positions."""
    return [
        Finding(p.rule, RULES[p.rule].severity if p.rule in RULES else RULES["syntax"].severity,
                redact(p.message), _redact(p.hint), redact(format_path(p.path)), name, None, None)
        for p in check(request)
    ]


def unreadable(name: str, reason: str) -> Finding:
    """The finding for a file that could not be read at all."""
    return Finding("unreadable", RULES["unreadable"].severity, redact(reason), None, "$", name, 1, 1, 1, 2)


def _redact(text: str | None) -> str | None:
    return None if text is None else redact(text)


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


def _place(problem: Problem, positions: Positions, lines: LineIndex, name: str) -> Finding:
    line, column, end_line, end_column = _region(problem, positions)
    snippet, offset = _snippet(lines.line_text(line), column)
    rule = RULES.get(problem.rule)
    return Finding(
        rule=problem.rule,
        severity=rule.severity if rule else RULES["syntax"].severity,
        message=redact(problem.message),
        hint=_redact(problem.hint),
        json_path=redact(format_path(problem.path)),
        file=name,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        snippet=redact(snippet),
        snippet_offset=offset,
    )


def _snippet(text: str, column: int) -> tuple[str, int]:
    """The line, or a window of it around ``column`` when it is too long to show."""
    if len(text) <= SNIPPET_WIDTH:
        return text, 0
    start = max(0, min(column - 1 - SNIPPET_WIDTH // 4, len(text) - SNIPPET_WIDTH))
    return text[start:start + SNIPPET_WIDTH], start

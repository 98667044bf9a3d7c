"""load -> check -> place: from the bytes of a file to its findings.

This is the one place where problems get their severity, their position and their snippet.
Positions are looked up only for a request that has a problem, which is what keeps valid files
cheap; the lookup itself is the same whichever path found the problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .contract import RULES, check
from .findings import Finding, Path, Problem, Severity, format_path
from .load import LoadedFile, Positions, format_of, load
from .load.document import Region
from .load.text import LineIndex
from .redact import redact

SNIPPET_WIDTH = 160  # characters of a long line shown around the span


# A file reports at most this many findings, then one saying how many more there were: a
# request has a few dozen at worst, and a million-item list must not cost a million placed ones.
DEFAULT_MAX_FINDINGS = 1000


def lint_bytes(data: bytes, name: str, fmt: str | None = None, explain_always: bool = False,
               max_findings: int = DEFAULT_MAX_FINDINGS) -> list[Finding]:
    """Every finding for the file ``name`` whose content is ``data`` (at most ``max_findings``,
    then one ``too-many-findings``)."""
    loaded = load(data, fmt or format_of(name, data))
    return lint_loaded(loaded, name, explain_always, max_findings)


def lint_loaded(loaded: LoadedFile, name: str, explain_always: bool = False,
                max_findings: int = DEFAULT_MAX_FINDINGS) -> list[Finding]:
    if loaded.failure is not None:
        return [_place(loaded.failure, {}, _Lines(loaded.text), name)]
    # The first max_findings in file order, and the first one past them, if any, kept as the
    # problems stream by: however many there are, only these are placed, and only their
    # regions are held. The rest are counted.
    tally = _Tally()
    ordered = _first(max_findings + 1, _located(loaded, explain_always, tally))
    if not ordered:
        return []
    lines = _Lines(loaded.text)
    findings = [_place(problem, region, lines, name) for region, problem in ordered[:max_findings]]
    if len(ordered) > max_findings:
        findings.append(_more(tally, findings, ordered[max_findings][0], lines, name))
    return findings


class _Tally:
    __slots__ = ("problems", "errors")

    def __init__(self) -> None:
        self.problems = self.errors = 0


def _located(loaded: LoadedFile, explain_always: bool, tally: _Tally) -> Iterator[tuple[Region, Problem]]:
    """Every problem of the file with its region (cheap: snippets and masks come later), counted."""
    for document in loaded.documents:
        problems = document.problems
        if document.checkable:
            problems = problems + check(document.value, explain_always)
        if not problems:
            continue
        positions = document.positions()
        for problem in problems:
            tally.problems += 1
            tally.errors += RULES[problem.rule].severity is Severity.ERROR
            yield _region(problem, positions), problem


def _first(count: int, located: Iterator[tuple[Region, Problem]]) -> list[tuple[Region, Problem]]:
    """The first ``count`` in file order, as ``sorted(located, key=_order)[:count]`` gives them,
    holding at most twice that many at a time (and without heapq, which a plain check does not
    otherwise import)."""
    kept: list[tuple[Region, Problem]] = []
    for item in located:
        kept.append(item)
        if len(kept) >= 2 * count:
            kept.sort(key=_order)  # stable: of equal ones, the earlier stays first, as in sorted()
            del kept[count:]
    kept.sort(key=_order)
    return kept[:count]


def _order(item: tuple[Region, Problem]) -> tuple[int, int, str]:
    region, problem = item
    return region[0], region[1], problem.rule


def _more(tally: _Tally, shown: list[Finding], first: Region, lines: _Lines, name: str) -> Finding:
    """The finding that stands for those past the cap: at the first of them, as severe as the worst."""
    errors = tally.errors - sum(finding.severity is Severity.ERROR for finding in shown)
    more = tally.problems - len(shown)
    counts = f"{errors:,} error{'' if errors == 1 else 's'}, {more - errors:,} warning{'' if more - errors == 1 else 's'}"
    message = f"{more:,} more finding{'' if more == 1 else 's'} in this file {'is' if more == 1 else 'are'} not shown ({counts})"
    hint = f"fix the {len(shown):,} shown first, or raise --max-findings"
    finding = _place(Problem("too-many-findings", (), message, hint), first, lines, name)
    return finding._replace(severity=Severity.ERROR if errors else Severity.WARNING)


def lint_value(request: Any, name: str = "<request>") -> list[Finding]:
    """Findings for an in-memory request: no file, so no positions."""
    return [
        Finding(p.rule, RULES[p.rule].severity,
                _shown(p.message), _shown(p.hint), _shown(format_path(p.path)), name, None, None)
        for p in check(request)
    ]


def unreadable(name: str, reason: str) -> Finding:
    """The finding for a file that could not be read at all."""
    return Finding("unreadable", RULES["unreadable"].severity, _shown(reason), None, "$", name, 1, 1, 1, 2)


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


def _region(problem: Problem, positions: Positions) -> Region:
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


def _place(problem: Problem, where: Positions | Region, lines: _Lines, name: str) -> Finding:
    """``problem`` as a finding at ``where``: its region, or the positions to look it up in."""
    region = where if isinstance(where, tuple) else _region(problem, where)
    line, column, end_line, end_column = region
    snippet, offset = _snippet(lines.line_text(line), column)
    return Finding(
        rule=problem.rule,
        severity=RULES[problem.rule].severity,
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


def _snippet(text: str, column: int) -> tuple[str, int]:
    """The line, or a window of it around ``column`` when it is too long to show."""
    if len(text) <= SNIPPET_WIDTH:
        return text, 0
    start = max(0, min(column - 1 - SNIPPET_WIDTH // 4, len(text) - SNIPPET_WIDTH))
    return text[start:start + SNIPPET_WIDTH], start

"""load -> check -> place: from the bytes of a file to its findings.

This is the one place where problems get their severity, their position and their snippet.
Positions are looked up only for a request that has a problem, which is what keeps valid files
cheap; the lookup itself is the same whichever path found the problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any, overload

from . import rule_ids
from .contract import Contract, default_contract, secrets
from .findings import Finding, Path, Problem, Severity, format_path
from .load import Document, LoadedFile, Positions, format_of, load
from .load.document import Region
from .load.text import LineIndex
from .redact import environment_key, redact

SNIPPET_WIDTH = 160  # characters of a long line shown around the span
# A file reports at most this many findings, then one saying how many more there were: a
# request has a few dozen at worst, and a million-item list must not cost a million placed ones.
DEFAULT_MAX_FINDINGS = 1000
# The code rules the contract need not run for a file whose text shows no token and no escape.
_NO_TOKEN = (secrets.RULE,)
# With --fetch-images: request -> the problems of its fetched images (fetch.ImageFetcher.problems).
ImageCheck = Callable[[Any], list[Problem]]
# A problem, its region, and (only when it has a repair) the positions its fix is built from.
_Located = tuple[Region, Problem, "Positions | None"]


def lint_bytes(data: bytes, name: str, fmt: str | None = None, explain_always: bool = False,
               contract: Contract | None = None, max_findings: int = DEFAULT_MAX_FINDINGS,
               images: ImageCheck | None = None) -> list[Finding]:
    """Every finding for the file ``name`` whose content is ``data`` (``contract``: the packaged one
    by default; at most ``max_findings``, then one ``too-many-findings``; ``images``: the fetched
    images' problems of a request, with --fetch-images)."""
    fmt = fmt or format_of(name, data)
    loaded = load(data, fmt)
    findings = lint_loaded(loaded, name, explain_always, contract, max_findings, images)
    # Only a YAML file that says "kling-lint:" (suppress.MARKER) pays for reading its comments.
    if fmt == "yaml" and loaded.failure is None and "kling-lint:" in loaded.text:
        findings = _suppressed(findings, loaded.text, name, contract or default_contract())
    return findings


def _suppressed(findings: list[Finding], text: str, name: str, contract: Contract) -> list[Finding]:
    """The findings the file's comments leave, and a warning for each comment that silences nothing."""
    from .suppress import silence

    kept, problems = silence(findings, text, contract.rules)
    if not problems:
        return kept
    lines = _Lines(text)
    kept.extend(_place(problem, {}, lines, name, contract) for problem in problems)
    kept.sort(key=lambda f: (f.line or 0, f.column or 0, f.rule))
    return kept


def import_readers() -> None:
    """Import what a batch of files nearly always needs and a single file imports only when it
    does (a JSON file never imports the YAML reader): called before forking workers, so that
    each inherits them instead of importing them again."""
    from .contract import schema_errors  # noqa: F401 - imported for the workers to inherit
    from .load import json_format, yaml_simple  # noqa: F401


def lint_loaded(loaded: LoadedFile, name: str, explain_always: bool = False, contract: Contract | None = None,
                max_findings: int = DEFAULT_MAX_FINDINGS, images: ImageCheck | None = None) -> list[Finding]:
    contract = contract or default_contract()
    lines = _Lines(loaded.text)
    # The first max_findings in file order, and the first one past them, if any, kept as the
    # problems stream by: however many there are, only these are placed, and only their
    # regions are held. The rest are counted.
    tally = _Tally()
    ordered = _first(max_findings + 1, _located(loaded, explain_always, contract, lines, tally, images))
    if not ordered:
        return []
    findings = [_place(problem, region, lines, name, contract) for region, problem, _ in ordered[:max_findings]]
    for number, (_, problem, positions) in enumerate(ordered[:max_findings]):
        if problem.repair and positions is not None:  # the fix: edits of the file's own text
            from .edits import fix_for

            findings[number] = findings[number]._replace(fix=fix_for(problem, positions, loaded.text, lines.index))
    if len(ordered) > max_findings:
        findings.append(_more(tally, findings, ordered[max_findings][0], lines, name, contract))
    return findings


class _Tally:
    __slots__ = ("problems", "errors")

    def __init__(self) -> None:
        self.problems = self.errors = 0


def _located(loaded: LoadedFile, explain_always: bool, contract: Contract, lines: _Lines,
             tally: _Tally, images: ImageCheck | None = None) -> Iterator[_Located]:
    """Every problem of the file with its region (cheap: snippets and masks come later), counted."""
    tokens = secrets.in_text(loaded.text)  # two substring searches: [] for nearly every file
    in_text = _TokensInText(tokens, lines.index) if tokens else None
    # A value can hold a token only where the text shows one, or writes one with escapes (a
    # backslash): YAML's folding joins lines with a space. Otherwise the contract's walk of
    # the request for tokens is skipped.
    skip = () if tokens or "\\" in loaded.text else _NO_TOKEN
    if loaded.failure is not None:
        yield from _counted([loaded.failure] + (in_text.left() if in_text else []), dict, contract, tally)
        return
    for document in loaded.documents:
        problems: Iterable[Problem] = document.problems
        if document.checkable:  # streamed: only the first max_findings are ever held (_first)
            problems = chain(problems, contract.iter_check(document.value, explain_always, skip))
            if images is not None:
                problems = chain(problems, images(document.value))
        if in_text is not None:
            problems = in_text.claim(list(problems), document)
        yield from _counted(problems, document.positions, contract, tally)
    if in_text is not None:
        yield from _counted(in_text.left(), dict, contract, tally)


def _counted(problems: Iterable[Problem], positions: Callable[[], Positions], contract: Contract,
             tally: _Tally) -> Iterator[_Located]:
    """Each problem with its region, counted; ``positions`` is called at the first problem only:
    a valid request never pays for them."""
    found: Positions | None = None
    for problem in problems:
        if found is None:
            found = positions()
        tally.problems += 1
        tally.errors += contract.severity(problem.rule) is Severity.ERROR
        # A problem with a repair keeps its document's positions, which its fix is built from.
        yield _region(problem, found), problem, found if problem.repair else None


def _first(count: int, located: Iterator[_Located]) -> list[_Located]:
    """The first ``count`` in file order, as ``sorted(located, key=_order)[:count]`` gives them,
    holding at most twice that many at a time (and without heapq, which a plain check does not
    otherwise import)."""
    kept: list[_Located] = []
    for item in located:
        kept.append(item)
        if len(kept) >= 2 * count:
            kept.sort(key=_order)  # stable: of equal ones, the earlier stays first, as in sorted()
            del kept[count:]
    kept.sort(key=_order)
    return kept[:count]


def _order(item: _Located) -> tuple[int, int, str]:
    region, problem = item[0], item[1]
    return region[0], region[1], problem.rule


def _more(tally: _Tally, shown: list[Finding], first: Region, lines: _Lines, name: str, contract: Contract) -> Finding:
    """The finding that stands for those past the cap: at the first of them, as severe as the worst."""
    errors = tally.errors - sum(finding.severity is Severity.ERROR for finding in shown)
    more = tally.problems - len(shown)
    counts = f"{errors:,} error{'' if errors == 1 else 's'}, {more - errors:,} warning{'' if more - errors == 1 else 's'}"
    message = f"{more:,} more finding{'' if more == 1 else 's'} in this file {'is' if more == 1 else 'are'} not shown ({counts})"
    hint = f"fix the {len(shown):,} shown first, or raise --max-findings"
    finding = _place(Problem(rule_ids.TOO_MANY_FINDINGS, (), message, hint), first, lines, name, contract)
    return finding._replace(severity=Severity.ERROR if errors else Severity.WARNING)


def lint_value(request: Any, name: str = "<request>", contract: Contract | None = None) -> list[Finding]:
    """Findings for an in-memory request: no file, so no positions."""
    from .pyvalue import as_json  # only for a request built in Python

    contract = contract or default_contract()
    value, refused = as_json(request)  # a tuple, an OrderedDict or a StrEnum as JSON would send it
    said = {p.path for p in refused if p.rule == rule_ids.TYPE_MISMATCH}  # in JSON's words already
    problems = refused + [p for p in contract.check(value) if not (p.rule == rule_ids.TYPE_MISMATCH and p.path in said)]
    return [
        Finding(p.rule, contract.severity(p.rule),
                _shown(p.message), _shown(p.hint), _shown(format_path(p.path)), _shown(name), None, None)
        for p in problems
    ]


def unreadable(name: str, reason: str, contract: Contract | None = None) -> Finding:
    """The finding for a file that could not be read at all."""
    severity = (contract or default_contract()).severity(rule_ids.UNREADABLE)
    return Finding(rule_ids.UNREADABLE, severity, _shown(reason), None, "$", _shown(name), 1, 1, 1, 2)


@overload
def _shown(text: str, key: str | None = None) -> str: ...
@overload
def _shown(text: None, key: str | None = None) -> None: ...
@overload
def _shown(text: str | None, key: str | None = None) -> str | None: ...
def _shown(text: str | None, key: str | None = None) -> str | None:
    """A text for a finding: secrets masked, and printable in UTF-8 whatever the file held.

    A JSON string may hold a lone surrogate ("\\ud800"); it is shown as that escape, since no
    output stream could write the character itself. ``key``: as for ``redact``.
    """
    if text is None:
        return None
    text = redact(text, key=key)
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


class _Lines:
    """The lines of a file as snippets show them, every secret masked.

    The whole text is masked once, at the first snippet: a token may run over a line break
    (``Bearer`` and its value on two lines, a YAML escaped line break), and escapes are read as
    decoded. Masking keeps every character's place, so lines and columns still match, and
    happens before a long line is cut around a span, so that the cut never leaves part of a
    token unmasked. ``index`` places offsets of the text as read.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._index: LineIndex | None = None
        self._masked: LineIndex | None = None

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def line_text(self, line: int) -> str:
        if self._masked is None:
            masked = redact(self.text, keep_length=True)
            self._masked = self.index if masked == self.text else LineIndex(masked)
        return self._masked.line_text(line)


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


def _place(problem: Problem, where: Positions | Region, lines: _Lines, name: str, contract: Contract) -> Finding:
    """``problem`` as a finding at ``where``: its region, or the positions to look it up in."""
    region = where if isinstance(where, tuple) else _region(problem, where)
    line, column, end_line, end_column = region
    snippet, offset = _snippet(lines.line_text(line), column)
    key = environment_key()  # once for the finding's four texts, not once a text
    return Finding(
        rule=problem.rule,
        severity=contract.severity(problem.rule),
        message=_shown(problem.message, key),
        hint=_shown(problem.hint, key),
        json_path=_shown(format_path(problem.path), key),
        file=_shown(name, key),  # a file may be named after a key pasted into it: every format shows this
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        snippet=_shown(snippet, key),
        snippet_offset=offset,
    )



def _snippet(text: str, column: int) -> tuple[str, int]:
    """The line, or a window of it around ``column`` when it is too long to show."""
    if len(text) <= SNIPPET_WIDTH:
        return text, 0
    start = max(0, min(column - 1 - SNIPPET_WIDTH // 4, len(text) - SNIPPET_WIDTH))
    return text[start:start + SNIPPET_WIDTH], start


class _TokensInText:
    """secret-in-request for the tokens a file's text shows, each placed where it is.

    A token inside a string value or a key is that value's finding, now at the token; the
    value's own finding from the contract (which reads decoded strings) is kept only when the
    text shows no token there, as for a token written with escapes. A token in no value (a
    comment) is reported at the innermost object or list around it, or for the file.
    """

    def __init__(self, tokens: list[tuple[int, int]], index: LineIndex) -> None:
        self.left_over = [(*index.position(start), *index.position(end)) for start, end in tokens]

    def claim(self, problems: list[Problem], document: Document) -> list[Problem]:
        if not self.left_over:
            return problems
        found: list[Problem] = []
        unclaimed = []
        for token, (path, at_key) in zip(self.left_over, _innermost(self.left_over, document.positions()), strict=True):
            if path is None:
                unclaimed.append(token)
                continue
            inside_string = at_key or type(_value_at(document.value, path)) is str
            found.append(secrets.at_token(path, at_key, inside_string, token))
        self.left_over = unclaimed
        shown = {(p.path, p.at_key) for p in found}
        kept = [p for p in problems if p.rule != secrets.RULE or (p.path, p.at_key) not in shown]
        return kept + found

    def left(self) -> list[Problem]:
        """Tokens in no request of the file: before the first document, or in a file not read."""
        return [secrets.at_token(None, False, False, token) for token in self.left_over]


def _innermost(tokens: list[Region], positions: Positions) -> list[tuple[Path | None, bool]]:
    """For each token (in file order), the deepest (path, at_key) whose span holds its start.

    One sweep over the spans sorted by start, outer before inner, with a stack of open spans:
    spans nest, so the top of the stack is the innermost one still open."""
    spans: list[tuple[tuple[int, int], tuple[int, int], int, Path, bool]] = []
    for path, span in positions.items():
        for region, at_key in ((span.key, True), (span.value, False)):
            if region is not None:
                spans.append(((region[0], region[1]), (region[2], region[3]), len(path), path, at_key))
    spans.sort(key=lambda s: (s[0], (-s[1][0], -s[1][1]), s[2]))
    found: list[tuple[Path | None, bool]] = []
    stack: list[tuple[tuple[int, int], tuple[int, int], int, Path, bool]] = []
    next_span = 0
    for token in tokens:
        start = (token[0], token[1])
        while next_span < len(spans) and spans[next_span][0] <= start:
            while stack and stack[-1][1] <= spans[next_span][0]:
                stack.pop()  # closed before this span opens: not around it
            stack.append(spans[next_span])
            next_span += 1
        while stack and stack[-1][1] <= start:
            stack.pop()
        found.append((stack[-1][3], stack[-1][4]) if stack else (None, False))
    return found


def _value_at(value: Any, path: Path) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value

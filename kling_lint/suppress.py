"""Suppressions in YAML comments, and the warnings for those that silence nothing.

    duration: 20  # kling-lint: disable=duration-range      this line
    # kling-lint: disable=duration-range,duration-as-string  alone on a line: the next line
    # kling-lint: disable-file=image-base64                  the whole file

A rule id that silences nothing, an unknown id, a rule that cannot be silenced in the file
(``secret-in-request``: a token has to leave the file; ``syntax`` and ``unreadable``: the file
was not checked) and a ``kling-lint:`` comment of another form are ``unused-suppression``
warnings, as ruff's RUF100: a stale suppression would hide the next real problem on its line.
Those warnings can be silenced too (``disable-file=unused-suppression``).

JSON has no comments; its files are configured instead. Comments are found by a line scan that
knows YAML's quoted scalars (also over several lines) and block scalars (``|``, ``>``), so a
``#`` inside a value is never taken for a comment.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator
from typing import NamedTuple

from . import rule_ids
from .findings import Finding, Problem

MARKER = "kling-lint:"  # the engine looks for this text before importing this module
UNUSED = rule_ids.UNUSED_SUPPRESSION
NEVER_SILENCED = {
    rule_ids.SECRET_IN_REQUEST: "a token cannot be silenced in the file: move it to the environment ($KLING_API_KEY)",
    rule_ids.SYNTAX: "a file that cannot be read is not checked: fix the syntax error",
    rule_ids.UNREADABLE: "a file that cannot be read is not checked",
}
FORMS = "# kling-lint: disable=RULE[,RULE] or # kling-lint: disable-file=RULE[,RULE]"

_DIRECTIVE = re.compile(r"#\s*kling-lint:")
_FORM = re.compile(r"\s*(disable|disable-file)\s*=\s*([\w-]+(?:[ \t]*,[ \t]*[\w-]+)*)(?=\s|$)")
_RULE_ID = re.compile(r"[\w-]+")
_BLOCK_INDICATOR = re.compile(r"(?:^|[\s:\-?])[|>][0-9+-]*$")


class Directive(NamedTuple):
    """One suppression comment: the line it is on, the line it silences (None: the whole
    file), and each rule id it names with the 1-based column of that id."""

    line: int
    target: int | None
    rules: tuple[tuple[str, int], ...]


def silence(findings: list[Finding], text: str, known: Collection[str]) -> tuple[list[Finding], list[Problem]]:
    """``findings`` without those the comments of ``text`` silence, and the problems with the
    comments themselves (unused-suppression, placed at the rule id or the comment); ``known``
    holds the rule ids."""
    directives, problems = read_directives(text)
    if not directives and not problems:
        return findings, []
    used: set[tuple[int, str]] = set()
    kept = [finding for finding in findings if not _silenced(finding.rule, finding.line, directives, used)]
    for number, directive in enumerate(directives):
        for rule, column in directive.rules:
            if rule != UNUSED and (number, rule) not in used:
                problems.append(_unused(directive, rule, column, known))
    # The warnings about comments obey the comments too; an unused-suppression id is never itself
    # reported as unused.
    problems = [problem for problem in problems
                if not _silenced(UNUSED, problem.position[0] if problem.position else None, directives, used)]
    return kept, problems


def _silenced(rule: str, line: int | None, directives: list[Directive], used: set[tuple[int, str]]) -> bool:
    if rule in NEVER_SILENCED:
        return False
    silenced = False
    for number, directive in enumerate(directives):
        if (directive.target is None or directive.target == line) and any(rule == named for named, _ in directive.rules):
            used.add((number, rule))
            silenced = True
    return silenced


def _unused(directive: Directive, rule: str, column: int, known: Collection[str]) -> Problem:
    position = (directive.line, column, directive.line, column + len(rule))
    form = "disable-file" if directive.target is None else "disable"
    if rule in NEVER_SILENCED:
        return Problem(UNUSED, (), f"{form}={rule} is not allowed", NEVER_SILENCED[rule], position=position)
    if rule not in known:
        from .contract.suggest import closest, either

        found = closest(rule, sorted(known), cutoff=0.6)
        guess = either(found) if found else None
        hint = f"did you mean {guess}?" if guess else "`kling-lint rules` lists the rule ids"
        return Problem(UNUSED, (), f'{form}={rule} names no rule: there is no rule "{rule}"', hint, position=position)
    where = "in this file" if directive.target is None else f"on line {directive.target}"
    return Problem(UNUSED, (), f"{form}={rule} silences nothing: there is no {rule} finding {where}",
                   f"remove {rule} from the comment", position=position)


def read_directives(text: str) -> tuple[list[Directive], list[Problem]]:
    """The suppression comments of a YAML text, and a problem for each kling-lint comment that
    is not a suppression."""
    directives: list[Directive] = []
    problems: list[Problem] = []
    comments = list(_comments(text))
    content_lines = _content_lines(text)
    for line, column, comment, alone in comments:
        marker = _DIRECTIVE.search(comment)  # at the comment's start, or after another "#"
        if marker is None:
            continue
        form = _FORM.match(comment, marker.end())
        if form is None:
            position = (line, column, line, column + len(comment))
            problems.append(Problem(UNUSED, (), "this kling-lint comment is not a suppression", f"write {FORMS}", position=position))
            continue
        rules = tuple((found[0], column + form.start(2) + found.start()) for found in _RULE_ID.finditer(form[2]))
        if form[1] == "disable-file":
            target = None
        elif alone:
            after = bisect_right(content_lines, line)
            target = content_lines[after] if after < len(content_lines) else -1  # nothing follows: silences nothing
        else:
            target = line
        directives.append(Directive(line, target, rules))
    return directives, problems


def _content_lines(text: str) -> list[int]:
    """Lines that hold more than white space and comments."""
    return [number for number, line in enumerate(text.split("\n"), 1)
            if line.strip() and not line.lstrip().startswith("#")]


def _comments(text: str) -> Iterator[tuple[int, int, str, bool]]:
    """Every comment of a YAML text: line, 1-based column of its "#", its text (from the "#"),
    and whether it is alone on its line."""
    quote: str | None = None  # a quoted scalar that runs on from an earlier line
    block: int | None = None  # a block scalar's lines are indented deeper than this
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        content = line.lstrip(" ")
        if block is not None:
            if not content.strip() or len(line) - len(content) > block:
                continue
            block = None
        at = 0
        if quote is not None:
            at = _closing(line, 0, quote)
            if at < 0:
                continue
            quote = None
        code_end = len(line)
        while at < len(line):
            character = line[at]
            if character == "#" and (at == 0 or line[at - 1] in " \t"):
                code_end = at
                yield number, at + 1, line[at:], not line[:at].strip()
                break
            if character in "\"'" and _starts_scalar(line, at):
                end = _closing(line, at + 1, character)
                if end < 0:
                    quote = character
                    code_end = -1
                    break
                at = end
                continue
            at += 1
        if code_end >= 0:
            block = _block_parent(line[:code_end].rstrip())


def _closing(line: str, start: int, quote: str) -> int:
    """The index just after the quote closing a scalar opened before ``start``, or -1."""
    at = start
    while at < len(line):
        character = line[at]
        if quote == '"' and character == "\\":
            at += 2
            continue
        if character == quote:
            if quote == "'" and line[at + 1:at + 2] == "'":  # '' is a quote inside '...'
                at += 2
                continue
            return at + 1
        at += 1
    return -1


def _starts_scalar(line: str, at: int) -> bool:
    """Whether a quote at ``at`` opens a quoted scalar (rather than sitting inside a plain one)."""
    before = line[:at].rstrip()
    while before and before.split()[-1][:1] in ("!", "&"):  # a tag or an anchor before the value
        before = before[: before.rfind(before.split()[-1])].rstrip()
    if not before:
        return True
    if before[-1] in "[{,":
        return True
    return before[-1] in ":-?" and at > len(before) and (before[-1] == ":" or len(before) == 1 or before[-2] in " \t")


def _block_parent(code: str) -> int | None:
    """For a line ending in a block scalar's indicator (``key: |``, ``- >-``), the indentation
    its content lines go deeper than; else None."""
    if not _BLOCK_INDICATOR.search(code):
        return None
    head = code[: code.rfind(code.split()[-1])]
    if ":" in head:  # key: |  or  - key: |  -- the key's column
        return len(code) - len(code.lstrip(" -"))
    dash = head.rfind("-")
    return dash if dash >= 0 else len(code) - len(code.lstrip(" "))

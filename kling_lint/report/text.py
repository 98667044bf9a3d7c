"""Human-readable output: ``file:line:col: severity[rule] message``, the line, a caret, a hint."""

from __future__ import annotations

from typing import Any, TextIO

from ..findings import SAFE, Finding, Severity, Summary

_COLORS = {"error": "\033[1;31m", "warning": "\033[1;33m", "bold": "\033[1m", "dim": "\033[2m", "cyan": "\033[36m"}
_RESET = "\033[0m"


class Reporter:
    def __init__(self, stream: TextIO, color: bool = False, quiet: bool = False, **context: Any) -> None:
        self.stream = stream
        self.color = color
        self.quiet = quiet  # findings only: no summary line

    def paint(self, text: str, style: str) -> str:
        return f"{_COLORS[style]}{text}{_RESET}" if self.color else text

    def file(self, name: str, findings: list[Finding]) -> None:
        for finding in findings:
            self.stream.write(self.render(finding))

    def render(self, finding: Finding) -> str:
        where = finding.file if finding.line is None else f"{finding.file}:{finding.line}:{finding.column}"
        severity = self.paint(f"{finding.severity.value}[{finding.rule}]", finding.severity.value)
        fixable = "[*] " if finding.fix is not None and finding.fix.applicability == SAFE else ""
        lines = [f"{self.paint(where, 'bold')}: {severity} {fixable}{finding.message}"]
        lines.extend(self.excerpt(finding))
        if finding.hint:
            lines.append(f"  {self.paint('hint', 'cyan')}: {finding.hint}")
        return "\n".join(lines) + "\n\n"

    def excerpt(self, finding: Finding) -> list[str]:
        if finding.snippet is None or finding.line is None or finding.column is None or not finding.snippet.strip():
            return []
        snippet = finding.snippet.replace("\t", " ")  # one column a character, so carets align
        start = finding.column - 1 - finding.snippet_offset
        if finding.end_line == finding.line and finding.end_column:
            width = finding.end_column - finding.column
        else:
            width = len(snippet) - start
        width = max(1, min(width, len(snippet) - start))
        gutter = f"{finding.line:>4} |"
        lines = [self.paint(gutter, "dim") + f" {snippet}"]
        if 0 <= start <= len(snippet):
            caret = self.paint("^" * width, finding.severity.value)
            lines.append(self.paint(" " * (len(gutter) - 1) + "|", "dim") + " " + " " * start + caret)
        return lines

    def finish(self, summary: Summary) -> None:
        if not self.quiet:
            self.stream.write(summary_line(summary) + "\n")
            self.stream.write(fix_summary(summary))


def summary_line(summary: Summary) -> str:
    """"2 errors, 1 warning in 3 files", or "no problems in 3 files"."""
    files = f"{summary.files} file" + ("" if summary.files == 1 else "s")
    if not summary.errors and not summary.warnings:
        return f"no problems in {files}"
    errors = f"{summary.errors} error" + ("" if summary.errors == 1 else "s")
    warnings = f"{summary.warnings} warning" + ("" if summary.warnings == 1 else "s")
    return f"{errors}, {warnings} in {files}"


def fix_summary(summary: Summary) -> str:
    """What --fix did or could do, as ruff says it; nothing when there is nothing to say."""
    said = []
    if summary.fixed:
        said.append(f"fixed {summary.fixed} finding" + ("" if summary.fixed == 1 else "s"))
    if summary.fixable:
        said.append(f"[*] {summary.fixable} fixable with --fix")
    if summary.unsafe_fixable:
        said.append(f"{summary.unsafe_fixable} more with --fix --unsafe-fixes")
    return "; ".join(said) + "\n" if said else ""


__all__ = ["Reporter", "Severity"]

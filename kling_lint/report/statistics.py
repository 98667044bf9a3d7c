"""``--statistics``: how many findings each rule has, most first, instead of the findings.

Text: one line a rule (count, severity, rule id), then the summary line unless ``--quiet``.
JSON: ``{"statistics": [{"rule", "severity", "count"}, ...], "summary": {...}}``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, TextIO

from ..findings import Finding, Summary
from .json_format import dumps, summary_object
from .text import summary_line


class Reporter:
    def __init__(self, stream: TextIO, color: bool = False, as_json: bool = False, quiet: bool = False, **context: Any) -> None:
        self.stream = stream
        self.as_json = as_json
        self.quiet = quiet
        self.counts: Counter[tuple[str, str]] = Counter()

    def file(self, name: str, findings: list[Finding]) -> None:
        self.counts.update((finding.rule, finding.severity.value) for finding in findings)

    def rows(self) -> list[tuple[str, str, int]]:
        """(rule, severity, count), the most frequent first, then by rule id."""
        return sorted(((rule, severity, count) for (rule, severity), count in self.counts.items()),
                      key=lambda row: (-row[2], row[0], row[1]))

    def finish(self, summary: Summary) -> None:
        if self.as_json:
            document = {
                "statistics": [{"rule": rule, "severity": severity, "count": count} for rule, severity, count in self.rows()],
                "summary": summary_object(summary),
            }
            self.stream.write(dumps(document, self.stream) + "\n")
            return
        rows = self.rows()
        width = len(f"{rows[0][2]:,}") if rows else 0
        for rule, severity, count in rows:
            self.stream.write(f"{count:>{width},}  {severity:<7}  {rule}\n")
        if not self.quiet:
            self.stream.write(summary_line(summary) + "\n")

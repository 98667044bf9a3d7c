"""GitHub Actions workflow commands: one ``::error``/``::warning`` line a finding, streamed.

    ::error file=a.json,line=2,col=12,endLine=2,endColumn=26,title=kling-lint model-unknown::a.json:2:12: …

The message repeats ``file:line:column`` because the Actions log shows only the message, not
the annotation's properties. A span over several lines gives no ``col``/``endColumn``, which
GitHub rejects there. Property values and the message are escaped as the Actions runner
unescapes them, so no finding can end its line early or start another command.
"""

from __future__ import annotations

from typing import Any, TextIO

from ..findings import Finding, Summary


class Reporter:
    def __init__(self, stream: TextIO, color: bool = False, quiet: bool = False, **context: Any) -> None:
        self.stream = stream
        self.quiet = quiet

    def file(self, name: str, findings: list[Finding]) -> None:
        for finding in findings:
            self.stream.write(command(finding) + "\n")

    def finish(self, summary: Summary) -> None:
        # A plain line, not a workflow command: the log shows it as it is.
        from .text import Reporter as TextReporter

        TextReporter(self.stream, quiet=self.quiet).finish(summary)


def command(finding: Finding) -> str:
    """The workflow command for one finding, on one line."""
    properties = [("file", finding.file)]
    where = finding.file
    if finding.line is not None:
        one_line = finding.end_line is None or finding.end_line == finding.line
        properties.append(("line", str(finding.line)))
        if one_line and finding.column is not None:
            properties.append(("col", str(finding.column)))
        if finding.end_line is not None:
            properties.append(("endLine", str(finding.end_line)))
        if one_line and finding.end_line is not None and finding.end_column is not None:
            properties.append(("endColumn", str(finding.end_column)))
        where += f":{finding.line}" if finding.column is None else f":{finding.line}:{finding.column}"
    properties.append(("title", f"kling-lint {finding.rule}"))
    message = f"{where}: {finding.message}"
    if finding.hint:
        message += f" (hint: {finding.hint})"
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{finding.severity.value} {rendered}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")

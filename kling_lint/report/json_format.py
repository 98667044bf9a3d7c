"""One JSON object: {"diagnostics": [...], "summary": {...}}; collected, then written once.

``--quiet`` changes nothing here: the summary is part of the object, not a line beside it.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..findings import Finding, Summary, shown_fix


class Reporter:
    def __init__(self, stream: TextIO, color: bool = False, **context: Any) -> None:
        self.stream = stream
        self.diagnostics: list[dict[str, object]] = []

    def file(self, name: str, findings: list[Finding]) -> None:
        self.diagnostics.extend(diagnostic(finding) for finding in findings)

    def finish(self, summary: Summary) -> None:
        document = {
            "diagnostics": self.diagnostics,
            "summary": summary_object(summary),
        }
        self.stream.write(dumps(document, self.stream) + "\n")


def summary_object(summary: Summary) -> dict[str, int]:
    return {"files": summary.files, "errors": summary.errors, "warnings": summary.warnings}


def diagnostic(finding: Finding) -> dict[str, object]:
    out: dict[str, object] = {
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "hint": finding.hint,
        "json_path": finding.json_path,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
    }
    if finding.fix is not None:  # only a fixable finding has the key, so other readers see no change
        out["fix"] = fix_object(finding)
    return out


def fix_object(finding: Finding) -> dict[str, object] | None:
    """The finding's fix: edits as character offsets into the file's text (a BOM not counted)."""
    if finding.fix is None:
        return None
    fix = shown_fix(finding.fix)
    edits = [{"start": e.start, "end": e.end, "text": e.text} for e in fix.edits]
    return {"applicability": fix.applicability, "edits": edits, "message": fix.message}


def dumps(document: object, stream: TextIO) -> str:
    """``document`` as indented JSON for ``stream``: characters as they are where the stream's
    encoding is Unicode, else as JSON escapes (which any reader decodes to the same text)."""
    return json.dumps(document, ensure_ascii=not shows_unicode(stream), indent=2)


def shows_unicode(stream: object) -> bool:
    """Whether ``stream``'s encoding can show any character (UTF-8, UTF-16, ...)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith("utf")

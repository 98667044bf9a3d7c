"""Output formats: one module each, looked up by name so that only the one used is imported.

Every module has ``Reporter(stream, color, **context)`` with ``file(name, findings)``, called
once a file as results stream in, and ``finish(summary)``. ``context`` carries what a format
may describe besides findings: ``rules`` (id -> Rule) and ``version``. Reporters only render:
they import nothing from kling-lint but findings.py.
"""

from __future__ import annotations

import importlib
from typing import Any, TextIO

FORMATS = {
    "text": "kling_lint.report.text",
    "json": "kling_lint.report.json_format",
    "github": "kling_lint.report.github",
    "sarif": "kling_lint.report.sarif",
}


def reporter(name: str, stream: TextIO, color: bool = False, **context: Any) -> Any:
    return importlib.import_module(FORMATS[name]).Reporter(stream, color, **context)

"""kling-lint: check Kling v3 video-generation requests before you submit them.

Public API (imported on first use, so that ``import kling_lint`` stays cheap):

- ``lint(request) -> list[Finding]``: a request built in code (a dict);
- ``lint_text(text, filename=...)`` and ``lint_file(path)``: request files, with positions;
- ``lint_paths(paths)``: files and directories, one ``FileResult`` a file;
- ``Finding``, ``Severity``: the record every finding is, and its severity;
- ``RULES``: every rule by id, with its severity and documentation;
- ``Contract``: everything derived from a schema (the packaged one, or your own copy); pass
  ``contract=`` to any of the functions above to check against it.
- ``InvalidRequest``: what the guard for httpx clients (``kling_lint.guard``) raises.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: Ctrl-C finds kling-lint's handler sooner
    from typing import Any

__version__ = "0.1.0"
__all__ = ["Contract", "Finding", "FileResult", "InvalidRequest", "RULES", "Severity", "lint", "lint_file", "lint_paths", "lint_text"]

_HOMES = {
    "Finding": "kling_lint.findings",
    "Severity": "kling_lint.findings",
    "FileResult": "kling_lint.api",
    "lint": "kling_lint.api",
    "lint_file": "kling_lint.api",
    "lint_paths": "kling_lint.api",
    "lint_text": "kling_lint.api",
    "RULES": "kling_lint.contract",
    "Contract": "kling_lint.contract",
    "InvalidRequest": "kling_lint.guard",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'kling_lint' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)


def __dir__() -> list[str]:
    """What editors and ``dir()`` list: the public API besides the module's own names, though
    ``__getattr__`` imports each of them only when it is used."""
    return sorted(set(globals()) | set(__all__))

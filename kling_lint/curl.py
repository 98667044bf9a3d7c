"""The text of a ready-to-paste curl command that sends one request, and the shell quoting it needs.

The body goes to a POSIX shell (bash, dash, zsh, as a person pastes it) in one of two ways:

- compact: one line in single quotes, each ``'`` written ``'\\''``. Nothing inside single quotes
  is expanded, history expansion (``!``) included;
- pretty (``--pretty``): indented, through a here-document with a quoted delimiter
  (``--data-binary @- <<'JSON'``), which no shell expands. Some shells (zsh, older bash) still
  apply history expansion to here-document lines typed at a prompt, so a ``!`` in the body is
  written as the JSON escape ``\\u0021``.

Either way the body is JSON text that parses to the request: non-ASCII goes as UTF-8, and only
characters a terminal would act on or hide (control characters, line and paragraph separators,
bidirectional controls, the byte-order mark) and lone surrogates are written as JSON escapes, so
what is pasted is what is shown. Tokens are masked, and the token itself is always
``$KLING_API_KEY``, never a value.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .redact import redact

ENDPOINT = "/v1/video/generations"
BASE_URL_VARIABLE = "KLING_BASE_URL"
AUTHORIZATION = '-H "Authorization: Bearer $KLING_API_KEY"'
CONTENT_TYPE = "-H 'Content-Type: application/json'"
# Keys a request file may hold that are not sent: "$schema" only lets editors find the schema.
NOT_SENT = ("$schema",)

# What a terminal would act on or hide: the C0 controls (json.dumps escapes them already), DEL
# and the C1 controls, the Arabic letter mark, LRM/RLM, line and paragraph separators,
# bidirectional embeddings, overrides and isolates, the BOM; and lone surrogates, which UTF-8
# cannot carry.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_HEREDOC = "JSON"


def sent_body(request: Any) -> Any:
    """The request as it goes on the wire: keys that are never sent left out, tokens masked."""
    if isinstance(request, dict):
        request = {key: value for key, value in request.items() if key not in NOT_SENT}
    return masked(request)


def masked(value: Any) -> Any:
    """``value`` with every token-like string (key or value) masked, at any depth."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {masked(key): masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [masked(item) for item in value]
    return value


def json_text(value: Any, indent: int | None = None, allow_nan: bool = False, ascii_only: bool = False) -> str:
    """JSON for a terminal: parses to ``value``; invisible and control characters escaped.

    The escaped characters can only occur inside JSON strings, so replacing them in the text is
    the same as escaping them in each string. NaN and Infinity are not JSON: ValueError, unless
    ``allow_nan`` (for showing a body, never for sending one). ``ascii_only`` writes every
    non-ASCII character as a JSON escape, for an output whose encoding cannot show it.
    """
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent, allow_nan=allow_nan)
    return _UNPRINTABLE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    char = match.group()
    return char if char == "\n" else f"\\u{ord(char):04x}"  # a raw newline is json.dumps' indent


def single_quoted(text: str) -> str:
    """``text`` as one POSIX shell word that no shell expands: '...', each ' written '\\''."""
    return "'" + text.replace("'", "'\\''") + "'"


def url(base_url: str | None) -> str:
    """The endpoint's URL as a shell word: the given base, or "$KLING_BASE_URL" left to the reader."""
    if base_url is None:
        return f'"${BASE_URL_VARIABLE}{ENDPOINT}"'
    return single_quoted(redact(base_url.rstrip("/")) + ENDPOINT)


def command(request: Any, base_url: str | None = None, pretty: bool = False, ascii_only: bool = False) -> str:
    """A curl command (several lines, no trailing newline) that POSTs ``request`` as JSON
    (``ascii_only``: non-ASCII characters as JSON escapes)."""
    body = sent_body(request)
    head = f"curl -X POST {url(base_url)} \\\n  {AUTHORIZATION} \\\n  {CONTENT_TYPE} \\\n  --data-binary "
    if not pretty:
        return head + single_quoted(json_text(body, ascii_only=ascii_only))
    text = json_text(body, indent=2, ascii_only=ascii_only).replace("!", "\\u0021")  # "!" occurs only inside strings
    delimiter = _delimiter(text)
    return f"{head}@- <<'{delimiter}'\n{text}\n{delimiter}"


def _delimiter(text: str) -> str:
    """A here-document delimiter that is no line of ``text`` (JSON's own lines never are)."""
    lines = set(text.split("\n"))
    delimiter = _HEREDOC
    while delimiter in lines:
        delimiter += "_"
    return delimiter


def one_line(text: str) -> str:
    """``text`` for a comment or a heading: tokens masked, and no character that could end the
    line or hide text (a file name may hold a newline: pasted, it would start a command)."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], redact(text))



def comment(name: str, line: int, mode: str | None) -> str:
    """The comment line above a command: ``# requests/teaser.yaml:1 (image-to-video)``."""
    return f"# {one_line(name)}:{line} ({mode or 'unknown mode'})"


def markdown(name: str, line: int, mode: str | None, text: str) -> str:
    """A command for a docs page: a heading naming the file and the mode, a fenced sh block."""
    fence = "```"
    while fence in text:
        fence += "`"
    heading = _markdown_escaped(f"{one_line(name)}:{line}")
    return f"### {heading} ({mode or 'unknown mode'})\n\n{fence}sh\n{text}\n{fence}"


def _markdown_escaped(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>()#+!|~])", r"\\\1", text)

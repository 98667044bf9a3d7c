"""Secrets never leave kling-lint in full: every text it prints about a file passes through here.

Masked, in messages, hints, JSON paths and snippets alike:
- what looks like an API token (``SECRET``: an ``sk-…`` key, a ``Bearer …`` header value);
- the value of $KLING_API_KEY, whatever it looks like (see ``ENV_FLOOR``);
- either one written with escapes (``sk-proj\\u002d…``, ``Bearer\\x20…``, a backslash before a
  line break): the text is also read the way a JSON or YAML reader decodes it, and what the
  decoded text shows as a secret is masked wherever its source text shows it.
A text is masked whole before anything shortens it, so a cut never leaves part of a secret.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right

# What an API token looks like in a request file: an OpenAI-style key, or a bearer header value,
# not glued to a letter or digit before it. Each alternative starts with its literal, the
# look-behind after it, so that the regex engine skips ahead to an "s" or a "B" (3x faster).
SECRET = re.compile(
    r"sk-(?<![A-Za-z0-9]sk-)[A-Za-z0-9][A-Za-z0-9_\-]{15,}"
    r"|Bearer(?<![A-Za-z0-9]Bearer)\s+[A-Za-z0-9\-._~+/]{12,}=*"
)
TOKEN_VARIABLE = "KLING_API_KEY"
# $KLING_API_KEY is masked when it has at least ENV_FLOOR characters: shorter, it could not be
# told from the letters of ordinary words and numbers ("a", "5", "16"), and no service issues
# such a key. Below ENV_ANYWHERE characters it is masked as a whole word only ("test" in
# "a test video", not in "latest"); from ENV_ANYWHERE on, wherever it appears.
ENV_FLOOR = 4
ENV_ANYWHERE = 8
MASK = "****"

# The escapes of JSON strings and YAML double-quoted scalars that can stand for a character.
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|\r?\n[ \t]*|[0abtnvfre \"/\\N_LP\t])")
_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r",
    "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_LINE_BREAKS = frozenset("\r\n")

Span = tuple[int, int, int]  # (start, end, characters of the source to leave shown)


def redact(text: str, keep_length: bool = False, key: str | None = None) -> str:
    """``text`` with every secret masked.

    ``keep_length`` masks character for character, line breaks kept, so that lines and columns
    in a source text still match (snippets); otherwise a token becomes ``sk-****``. ``key``:
    ``environment_key()``, read once by a caller that masks many texts (it is read here otherwise).
    """
    spans = secret_spans(text, key)
    if not spans:
        return text
    out: list[str] = []
    at = 0
    for start, end, shown in spans:
        out.append(text[at:start])
        if keep_length:
            out.append(text[start:start + shown])
            out.append("".join(c if c in _LINE_BREAKS else "*" for c in text[start + shown:end]))
        else:
            out.append(("Bearer " if text.startswith("Bearer", start) else text[start:start + shown]) + MASK)
        at = end
    out.append(text[at:])
    return "".join(out)


def tokens_in(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every token ``text`` shows as written.

    Two substring searches first: they find nothing in nearly every text, several times faster
    than the regular expression, which then runs only where a token can be."""
    if "sk-" not in text and "Bearer" not in text:
        return []
    return [match.span() for match in SECRET.finditer(text)]


def secret_spans(text: str, key: str | None = None) -> list[Span]:
    """Where ``text`` shows a secret, in order, overlaps merged: nearly always [] after one search."""
    spans = [(start, end, _shown_of(text, start)) for start, end in tokens_in(text)]
    if key is None:
        key = environment_key()
    if key:
        spans += [(start, end, 0) for start, end in _key_spans(text, key)]
    if "\\" in text:
        spans += _escaped_spans(text, key)
    return _merged(spans) if spans else spans


def _shown_of(text: str, start: int) -> int:
    """How much of a secret at ``start`` stays readable: its kind (sk-, Bea…), only when written plainly."""
    return 3 if text.startswith(("sk-", "Bearer"), start) else 0


def environment_key() -> str:
    """$KLING_API_KEY when it is long enough to be masked (ENV_FLOOR), else ""."""
    key = os.environ.get(TOKEN_VARIABLE, "")
    return key if len(key) >= ENV_FLOOR else ""


def _key_spans(text: str, key: str) -> list[tuple[int, int]]:
    if key not in text:  # the usual case, at the cost of one substring search
        return []
    if len(key) >= ENV_ANYWHERE:
        return [(m.start(), m.end()) for m in re.finditer(re.escape(key), text)]
    word = re.compile(r"(?<![A-Za-z0-9])" + re.escape(key) + r"(?![A-Za-z0-9])")
    return [m.span() for m in word.finditer(text)]


def _escaped_spans(text: str, key: str) -> list[Span]:
    """Secrets that only the decoded text shows, placed where their source (escapes included) is."""
    decoded = _ESCAPE.sub(_decode, text)
    found = [m.span() for m in SECRET.finditer(decoded)]
    if key:
        found += _key_spans(decoded, key)
    if not found:
        return []
    source = _SourceOffsets(text)
    spans = []
    for start, end in found:
        begin = source.start(start)
        spans.append((begin, source.end(end), _shown_of(text, begin)))
    return spans


def _decode(match: re.Match[str]) -> str:
    escape = match.group()
    if escape[1] in "uUx":
        return chr(int(escape[2:], 16)) if int(escape[2:], 16) < 0x110000 else escape
    if escape[1] in _LINE_BREAKS:
        return ""  # YAML: an escaped line break joins the lines, leading blanks dropped
    return _SIMPLE_ESCAPES[escape[1]]


class _SourceOffsets:
    """Maps offsets of the decoded text back to the source: escapes are where lengths differ."""

    def __init__(self, text: str) -> None:
        self.decoded: list[int] = []  # where each escape's decoding starts in the decoded text
        self.source: list[tuple[int, int]] = []  # the escape in the source
        self.widths: list[int] = []  # characters it decodes to: 0 or 1
        shift = 0
        for match in _ESCAPE.finditer(text):
            start, end = match.span()
            width = len(_decode(match))
            self.decoded.append(start - shift)
            self.source.append((start, end))
            self.widths.append(width)
            shift += (end - start) - width

    def _locate(self, offset: int) -> tuple[int, int]:
        """(source offset, index of the escape holding it or -1) for a decoded offset."""
        i = bisect_right(self.decoded, offset) - 1
        if i < 0:
            return offset, -1
        start, end = self.source[i]
        inside = offset - self.decoded[i]
        if inside < self.widths[i]:
            return start, i
        return end + inside - self.widths[i], -1

    def start(self, offset: int) -> int:
        return self._locate(offset)[0]

    def end(self, offset: int) -> int:
        """The source offset just after the decoded character at ``offset - 1``."""
        place, escape = self._locate(offset - 1)
        return self.source[escape][1] if escape >= 0 else place + 1


def _merged(spans: list[Span]) -> list[Span]:
    spans.sort()
    merged = [spans[0]]
    for start, end, shown in spans[1:]:
        last_start, last_end, last_shown = merged[-1]
        if start < last_end:
            merged[-1] = (last_start, max(last_end, end), min(last_shown, start - last_start + shown))
        else:
            merged.append((start, end, shown))
    return merged

"""Bytes to text, and text offsets to 1-based line:column.

Every loader goes through ``decode`` so that a BOM, UTF-16, binary data and invalid UTF-8 get
the same clear message whatever the format, and through ``LineIndex`` (for offsets) so that
positions are counted one way: lines from 1, columns from 1 in characters, CRLF as one break.
"""

from __future__ import annotations

from bisect import bisect_right

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class DecodeError(ValueError):
    """The bytes are not a UTF-8 text; ``line`` and ``column`` say where that shows first."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def decode(data: bytes) -> str:
    """UTF-8 bytes (an initial BOM dropped) to text, or ``DecodeError``."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM):]
    elif data.startswith(_UTF16_BOMS) or data.startswith(b"\x00\x00\xfe\xff"):
        raise DecodeError("the file is UTF-16 or UTF-32; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position_in_bytes(data, nul)
        raise DecodeError(
            "the file contains a NUL byte: it is binary or UTF-16, not a UTF-8 text", line, column
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position_in_bytes(data, error.start)
        raise DecodeError(
            f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8",
            line,
            column,
        ) from None


def _position_in_bytes(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column of a byte offset, counting the valid UTF-8 before it as characters."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    prefix = data[line_start:offset].decode("utf-8", errors="replace")
    return data.count(b"\n", 0, offset) + 1, len(prefix) + 1


class LineIndex:
    """Converts character offsets in a text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._text = text
        starts = [0]
        find = text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column): ``position``'s inverse."""
        return self._starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if not 1 <= line <= len(self._starts):
            return ""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._text)
        return self._text[start:end].rstrip("\r")

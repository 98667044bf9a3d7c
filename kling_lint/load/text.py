"""Bytes to text, and text offsets to 1-based line:column.

Every loader goes through ``decode`` so that a BOM, UTF-16, binary data and invalid UTF-8 get
the same clear message whatever the format, and through ``LineIndex`` (for offsets) so that
positions are counted one way: lines from 1, columns from 1 in characters, CRLF as one break.
"""

from __future__ import annotations

from bisect import bisect_left

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
    """Converts character offsets in a text to 1-based (line, column).

    It keeps, for each block of _BLOCK characters, how many line breaks come before the block
    and where the last of them is: a few numbers a block, however many lines the text has (16 MB
    of blank lines would otherwise be a list of 16 million offsets). A lookup counts within one
    block, in C.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        breaks_before = [0]  # line breaks in text[:k * _BLOCK]
        last_break = [-1]  # offset of the last line break before block k, or -1
        count, rfind = text.count, text.rfind
        for start in range(0, len(text), _BLOCK):
            end = start + _BLOCK
            breaks_before.append(breaks_before[-1] + count("\n", start, end))
            last_break.append(max(last_break[-1], rfind("\n", start, end)))
        self._breaks_before = breaks_before
        self._last_break = last_break

    def position(self, offset: int) -> tuple[int, int]:
        block = min(offset // _BLOCK, len(self._breaks_before) - 1)
        start = block * _BLOCK
        line = self._breaks_before[block] + self._text.count("\n", start, offset) + 1
        line_start = max(self._text.rfind("\n", start, offset), self._last_break[block]) + 1
        return line, offset - line_start + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column): ``position``'s inverse."""
        return self._line_start(line) + column - 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if not 1 <= line <= self._breaks_before[-1] + 1:
            return ""
        start = self._line_start(line)
        end = self._text.find("\n", start)
        return self._text[start:end if end >= 0 else len(self._text)].rstrip("\r")

    def _line_start(self, line: int) -> int:
        breaks = line - 1  # line breaks before the line
        if breaks == 0:
            return 0
        block = bisect_left(self._breaks_before, breaks) - 1  # the block that holds that break
        start = block * _BLOCK
        text = self._text[start:start + _BLOCK]
        after = text.split("\n", breaks - self._breaks_before[block])[-1]  # the block after that break
        return start + len(text) - len(after)


_BLOCK = 4096

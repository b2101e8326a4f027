"""Reading text files with clear, located messages about their encoding.

Every reader of revmatch accepts UTF-8 with or without Excel's byte-order
mark. Other encodings are refused with the exact fix, rather than guessed:
a wrong guess would silently turn names into mojibake and ids into other ids.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left
from pathlib import Path

from revmatch.exceptions import InvalidInputError, Problem

__all__ = ["SAVE_AS_UTF8", "LineIndex", "decode_text", "display_name", "read_text"]

SAVE_AS_UTF8 = "UTF-8 text (in Excel: File > Save As > 'CSV UTF-8 (Comma delimited)')"
"""The accepted encoding, with the fix for the most common way to get it wrong."""

_NEWLINE = re.compile("\n")


def display_name(path: str | os.PathLike[str]) -> str:
    """Return the path as the caller gave it, for messages."""
    return os.fspath(path)


def read_text(path: str | os.PathLike[str]) -> str:
    """Read a UTF-8 text file (an optional byte-order mark is dropped).

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    str
        The text.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    InvalidInputError
        If the file is not UTF-8 text; the problem names the line of the
        first bad byte and the fix.
    """
    return decode_text(Path(path).read_bytes(), display_name(path))


def decode_text(raw: bytes, file: str) -> str:
    """Decode ``raw`` as UTF-8 (BOM allowed), or raise a located error.

    Parameters
    ----------
    raw : bytes
        File contents.
    file : str
        Name of the file, for messages.

    Returns
    -------
    str

    Raises
    ------
    InvalidInputError
        For UTF-16/32 text, Excel workbooks and other non-UTF-8 bytes.
    """
    if raw.startswith(b"PK\x03\x04"):
        raise InvalidInputError(
            Problem(
                "the file is an Excel workbook or another zip archive, not text",
                file=file,
                expected="a .xlsx file name for a workbook, or " + SAVE_AS_UTF8,
            )
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInputError(
            Problem(
                "the file is UTF-16 encoded (as Excel's 'Unicode Text' export is)",
                file=file,
                line=1,
                expected=SAVE_AS_UTF8,
            )
        )
    if b"\0" in raw[:4096]:
        # Text never holds NUL bytes; UTF-16 without a byte-order mark does.
        raise InvalidInputError(
            Problem(
                "the file holds NUL bytes: it is UTF-16 text without a byte-order mark, "
                "or not a text file at all",
                file=file,
                line=1,
                expected=SAVE_AS_UTF8,
            )
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        raise InvalidInputError(
            Problem(
                f"byte 0x{byte:02X} is not valid UTF-8; the file seems to be saved in a "
                "legacy encoding such as Windows-1252 or Latin-1",
                file=file,
                line=line,
                expected=SAVE_AS_UTF8,
            )
        ) from None


class LineIndex:
    """Map character offsets of a text to 1-based line numbers.

    Parameters
    ----------
    text : str
        The text.

    Examples
    --------
    >>> LineIndex("a\\nb\\nc").line(4)
    3
    """

    __slots__ = ("_line", "_newlines", "_offset", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1
        self._newlines: list[int] | None = None

    def line(self, offset: int) -> int:
        """Return the 1-based line number of the character at ``offset``."""
        if offset >= self._offset:
            # Readers mostly move forward: count only the stretch since the last call.
            self._line += self._text.count("\n", self._offset, offset)
            self._offset = offset
            return self._line
        if self._newlines is None:
            self._newlines = [m.start() for m in _NEWLINE.finditer(self._text)]
        return bisect_left(self._newlines, offset) + 1

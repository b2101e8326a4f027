"""Reading text files with clear, located messages about their encoding.

JSON and mapping files are UTF-8 (with or without Excel's byte-order mark),
as JSON requires. Exports read as tables (CSV, Excel's "Unicode text") come
in whatever encoding the HR system or spreadsheet wrote, so their encoding
is detected, in this order, and always reported (never a silent guess):

1. a byte-order mark: UTF-8, UTF-16 or UTF-32;
2. UTF-16 without a byte-order mark, seen in its pattern of NUL bytes;
3. valid UTF-8 (plain ASCII is read as UTF-8, which it is);
4. otherwise Windows-1252, Excel's "ANSI" on Western European systems,
   whose letters agree with Latin-1 (ISO 8859-1) except at bytes
   0x80-0x9F; the five bytes Windows-1252 leaves undefined are read as
   Latin-1.

Legacy single-byte encodings cannot be told apart from the bytes alone; an
``encoding`` given by the caller overrides the detection, and one that the
bytes contradict (not decodable, or plainly UTF-8 or UTF-16) is an error.
"""

from __future__ import annotations

import codecs
import os
import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

from revmatch.exceptions import InvalidInputError, Problem

__all__ = [
    "SAVE_AS_UTF8",
    "Decoded",
    "LineIndex",
    "check_encoding",
    "decode_export",
    "decode_text",
    "display_name",
    "read_text",
]

SAVE_AS_UTF8 = "UTF-8 text (in Excel: File > Save As > 'CSV UTF-8 (Comma delimited)')"
"""The accepted encoding of JSON files, with the fix for the most common way to get it wrong."""

_NEWLINE = re.compile("\n")
_SAMPLE = 4096
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32 (with byte-order mark)"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32 (with byte-order mark)"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (with byte-order mark)"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 (with byte-order mark)"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 (with byte-order mark)"),
)
# Windows-1252 leaves these five bytes undefined; Latin-1 reads them as C1 controls.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_CP1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in _CP1252_UNDEFINED}
_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32": "UTF-32",
    "utf-32-le": "UTF-32 LE",
    "utf-32-be": "UTF-32 BE",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "iso8859-1": "Latin-1",
    "iso8859-15": "Latin-9 (ISO 8859-15)",
    "cp850": "DOS Latin-1 (code page 850)",
    "mac-roman": "Mac Roman",
}
_EXPECTED_ENCODING = (
    "the file's encoding, e.g. 'utf-8', 'utf-16', 'cp1252' or 'latin-1', "
    "or none to have it detected"
)


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


def _refuse_workbook(raw: bytes, file: str) -> None:
    if raw.startswith(b"PK\x03\x04"):
        raise InvalidInputError(
            Problem(
                "the file is an Excel workbook or another zip archive, not text",
                file=file,
                expected="a .xlsx file name for a workbook, or CSV text",
            )
        )


def decode_text(raw: bytes, file: str) -> str:
    """Decode ``raw`` as UTF-8 (BOM allowed), or raise a located error.

    Used for JSON and mapping files; exports read as tables go through
    :func:`decode_export`, which detects their encoding.

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
    _refuse_workbook(raw, file)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidInputError(
            Problem(
                "the file is UTF-16 encoded (as Excel's 'Unicode Text' export is)",
                file=file,
                line=1,
                expected=SAVE_AS_UTF8,
            )
        )
    if b"\0" in raw[:_SAMPLE]:
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


@dataclass(frozen=True)
class Decoded:
    """The text of an export and how it was decoded.

    Attributes
    ----------
    text : str
    encoding : str
        What the bytes were read as, for people: ``"UTF-8"``,
        ``"UTF-16 (with byte-order mark)"``, ``"Windows-1252"``, ...
    given : bool
        True when the caller named the encoding, False when it was detected.
    """

    text: str
    encoding: str
    given: bool = False


def check_encoding(name: str) -> str:
    """Return Python's name of an encoding, or raise for an unknown one.

    Parameters
    ----------
    name : str
        E.g. ``"utf-8"``, ``"UTF-16"``, ``"windows-1252"``, ``"latin-1"``.

    Returns
    -------
    str
        The codec's canonical name (``"cp1252"`` for ``"windows-1252"``).

    Raises
    ------
    InvalidInputError
        If Python knows no such encoding.

    Examples
    --------
    >>> check_encoding("Windows-1252")
    'cp1252'
    """
    try:
        return codecs.lookup(name.strip()).name
    except (LookupError, ValueError):
        raise InvalidInputError(
            Problem(f"unknown encoding {name!r}", field="encoding", expected=_EXPECTED_ENCODING)
        ) from None


def _utf16_order(sample: bytes) -> str | None:
    """Return ``"utf-16-le"``/``"utf-16-be"`` when NUL bytes fall as in UTF-16 text."""
    size = len(sample) - len(sample) % 2
    if size < 4:
        return None
    even = sample[0:size:2].count(0) / (size // 2)
    odd = sample[1:size:2].count(0) / (size // 2)
    # Latin letters, digits and delimiters have a NUL high byte; other scripts
    # have not, so a third of NULs on one side is enough, with (almost) none on the other.
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _legacy(raw: bytes) -> Decoded:
    """Read bytes that are not UTF-8 as Windows-1252, with Latin-1 for its undefined bytes."""
    text = raw.decode("latin-1")
    c1 = {b for b in range(0x80, 0xA0) if bytes([b]) in raw}
    if not c1:
        # Both encodings read the bytes alike; naming either alone would be a guess.
        return Decoded(text, "Windows-1252/Latin-1")
    if c1 <= _CP1252_UNDEFINED:
        return Decoded(text, "Latin-1")
    return Decoded(text.translate(_CP1252), "Windows-1252")


def _decode_error(raw: bytes, exc: UnicodeDecodeError, codec: str, what: str, file: str) -> Problem:
    # The line of the bad byte, counted in the text decoded so far.
    line = raw[: exc.start].decode(codec, errors="replace").count("\n") + 1
    byte = raw[exc.start]
    return Problem(
        f"byte 0x{byte:02X} is not valid {what}",
        file=file,
        line=line,
        expected=_EXPECTED_ENCODING,
    )


def _detect(raw: bytes, file: str) -> tuple[Decoded, bool]:
    """Detect and decode; the flag tells whether the bytes prove the encoding."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise InvalidInputError(_decode_error(raw, exc, codec, label, file)) from None
            return Decoded(text, label), True
    sample = raw[:_SAMPLE]
    if b"\0" in sample:
        order = _utf16_order(sample)
        if order is None:
            raise InvalidInputError(
                Problem(
                    "the file holds NUL bytes but is not UTF-16 text: it is not a text file",
                    file=file,
                    line=raw.count(b"\n", 0, raw.index(b"\0")) + 1,
                    expected="CSV text; for a workbook, a .xlsx file name",
                )
            )
        try:
            text = raw.decode(order)
        except UnicodeDecodeError as exc:
            raise InvalidInputError(_decode_error(raw, exc, order, "UTF-16 text", file)) from None
        return Decoded(text, "UTF-16 (without byte-order mark)"), True
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _legacy(raw), False
    return Decoded(text, "UTF-8"), not text.isascii()


def _family(codec: str) -> str:
    if codec.startswith("utf-8"):
        return "UTF-8"
    if codec.startswith(("utf-16", "utf-32")):
        return codec[:6].upper()
    return "single-byte"


def decode_export(raw: bytes, file: str, encoding: str | None = None) -> Decoded:
    """Decode an export (CSV text), detecting its encoding unless one is given.

    Parameters
    ----------
    raw : bytes
        File contents.
    file : str
        Name of the file, for messages.
    encoding : str, optional
        The encoding to read, overriding the detection (``"cp1252"``,
        ``"latin-1"``, ``"utf-16"``, ...).

    Returns
    -------
    Decoded
        The text (without a byte-order mark) and what it was read as.

    Raises
    ------
    InvalidInputError
        For an Excel workbook, NUL bytes outside UTF-16 text, a byte-order
        mark followed by invalid text, or an ``encoding`` the bytes
        contradict; each names the line.

    Examples
    --------
    >>> decode_export("Müller;IT\\n".encode("cp1252"), "m.csv").encoding
    'Windows-1252/Latin-1'
    >>> decode_export("Müller;IT\\n".encode("utf-16"), "m.csv").text
    'Müller;IT\\n'
    """
    _refuse_workbook(raw, file)
    if encoding is None:
        return _detect(raw, file)[0]
    codec = check_encoding(encoding)
    label = _LABELS.get(codec, encoding.strip())
    try:
        found, proven = _detect(raw, file)
    except InvalidInputError:
        found, proven = Decoded("", "not text"), False
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        what = f"{label}, the encoding given; the file looks like {found.encoding} text"
        raise InvalidInputError(_decode_error(raw, exc, codec, what, file)) from None
    family = _family(codec)
    if proven and _family(found.encoding.split()[0].lower()) == family:
        # The bytes show this encoding; detection also knows the byte order.
        return Decoded(found.text, label, given=True)
    if proven:
        message = f"the file is {found.encoding} text"
    elif family in ("UTF-16", "UTF-32") and b"\0" not in raw:
        message = f"the file holds no NUL bytes, so it is not {family} text"
    else:
        return Decoded(text.removeprefix("\ufeff"), label, given=True)
    raise InvalidInputError(
        Problem(
            f"{message}, but the encoding given is {label}: reading it so would garble letters",
            file=file,
            line=_first_non_ascii(raw),
            field="encoding",
            expected=_EXPECTED_ENCODING,
        )
    )


def _first_non_ascii(raw: bytes) -> int:
    for index, byte in enumerate(raw):
        if byte >= 0x80 or byte == 0:
            return raw.count(b"\n", 0, index) + 1
    return 1


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

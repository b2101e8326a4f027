"""JSON parsing that remembers on which line each record and field starts.

The standard :mod:`json` module returns values without positions. Problems in
a record must name its line, so the top levels of the document (the top
object and its lists) are walked here, while each record is decoded by the C
scanner of :mod:`json` in one call; the lines of a record's keys are found
by walking that record alone, and only when a problem in it asks for them.

Duplicate keys, which :mod:`json` silently resolves to the last value, are
reported at any depth.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from revmatch.exceptions import InvalidInputError, Problem

from ._text import LineIndex

__all__ = ["Pos", "parse_located"]

_WS = re.compile(r"[ \t\n\r]*")

# Depth 0 is the top object, 1 its lists, 2 the records. The two top levels are
# walked in Python; each record is decoded by the C scanner in one call, and its
# key lines are found only when a problem in it needs them.
_RECORD_DEPTH = 2


@dataclass(slots=True)
class Pos:
    """Where a walked container starts, and where its members start.

    Attributes
    ----------
    line : int
        Line of the opening bracket.
    keys : mapping of str to int
        For objects: line of each key (found on first use for records).
    children : dict or list of Pos
        Positions of walked members (containers only; scalars and values
        below the walked depth have none).
    """

    line: int
    keys: Mapping[str, int] = field(default_factory=dict)
    children: dict[str, Pos] | list[Pos | None] = field(default_factory=dict)

    def child(self, key: str | int) -> Pos | None:
        """Return the position of a member, if it was walked."""
        if isinstance(self.children, dict):
            return self.children.get(key) if isinstance(key, str) else None
        if isinstance(key, int) and 0 <= key < len(self.children):
            return self.children[key]
        return None


class _LazyKeys(Mapping[str, int]):
    """Key lines of a record, found by walking it only when a problem needs them."""

    __slots__ = ("_depth", "_keys", "_pos", "_walker")

    def __init__(self, walker: _Walker, pos: int, depth: int) -> None:
        self._walker, self._pos, self._depth = walker, pos, depth
        self._keys: Mapping[str, int] | None = None

    def _walked(self) -> Mapping[str, int]:
        if self._keys is None:
            self._keys = self._walker.obj(self._pos, self._depth)[1].keys
        return self._keys

    def __getitem__(self, key: str) -> int:
        return self._walked()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._walked())

    def __len__(self) -> int:
        return len(self._walked())


class _Walker:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.lines = LineIndex(text)
        self.duplicates: list[str] = []
        # The C decoder calls this hook for every object, so duplicate keys at any
        # depth are noticed without walking the text in Python.
        self.decoder = json.JSONDecoder(object_pairs_hook=self._pairs)
        self.problems: list[Problem] = []

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    self.duplicates.append(key)
                seen.add(key)
        return out

    def fail(self, message: str, pos: int) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, pos)

    def ws(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, depth: int) -> tuple[Any, Pos | None, int]:
        char = self.text[pos : pos + 1]
        if depth < _RECORD_DEPTH and char == "{":
            return self.obj(pos, depth)
        if depth < _RECORD_DEPTH and char == "[":
            return self.array(pos, depth)
        self.duplicates.clear()
        value, end = self.decoder.raw_decode(self.text, pos)
        if depth == _RECORD_DEPTH and char == "{":
            if self.duplicates:
                return self.obj(pos, depth)  # walk it to name the lines
            return value, Pos(self.lines.line(pos), _LazyKeys(self, pos, depth)), end
        return value, None, end

    def obj(self, pos: int, depth: int) -> tuple[dict[str, Any], Pos, int]:
        text = self.text
        keys: dict[str, int] = {}
        children: dict[str, Pos] = {}
        here = Pos(self.lines.line(pos), keys, children)
        out: dict[str, Any] = {}
        pos = self.ws(pos + 1)
        if text[pos : pos + 1] == "}":
            return out, here, pos + 1
        while True:
            if text[pos : pos + 1] != '"':
                if text[pos : pos + 1] == "}":
                    raise self.fail("trailing comma before '}'", pos)
                raise self.fail("Expecting property name enclosed in double quotes", pos)
            key_line = self.lines.line(pos)
            key, pos = self.decoder.raw_decode(text, pos)
            pos = self.ws(pos)
            if text[pos : pos + 1] != ":":
                raise self.fail("Expecting ':' delimiter", pos)
            pos = self.ws(pos + 1)
            item, item_pos, pos = self.value(pos, depth + 1)
            if item_pos is None and self.duplicates:
                inner = ", ".join(repr(k) for k in dict.fromkeys(self.duplicates))
                self.duplicates.clear()
                self.duplicate(f"key {inner} appears twice inside {key!r}", key_line, key)
            if key in out:
                self.duplicate(
                    f"key {key!r} appears twice in the same object (also on line {keys[key]})",
                    key_line,
                    key,
                )
            out[key] = item
            keys[key] = key_line
            if item_pos is not None:
                children[key] = item_pos
            pos = self.ws(pos)
            char = text[pos : pos + 1]
            if char == ",":
                pos = self.ws(pos + 1)
            elif char == "}":
                return out, here, pos + 1
            else:
                raise self.fail("Expecting ',' delimiter", pos)

    def duplicate(self, message: str, line: int, key: str) -> None:
        self.problems.append(
            Problem(
                message + "; JSON keeps only the last one",
                file=self.file,
                line=line,
                field=key,
                expected="each key once per object",
            )
        )

    def array(self, pos: int, depth: int) -> tuple[list[Any], Pos, int]:
        text = self.text
        children: list[Pos | None] = []
        here = Pos(self.lines.line(pos), {}, children)
        out: list[Any] = []
        pos = self.ws(pos + 1)
        if text[pos : pos + 1] == "]":
            return out, here, pos + 1
        while True:
            if text[pos : pos + 1] == "]":
                raise self.fail("trailing comma before ']'", pos)
            start = pos
            item, item_pos, pos = self.value(pos, depth + 1)
            out.append(item)
            children.append(item_pos if item_pos is not None else Pos(self.lines.line(start)))
            pos = self.ws(pos)
            char = text[pos : pos + 1]
            if char == ",":
                pos = self.ws(pos + 1)
            elif char == "]":
                return out, here, pos + 1
            else:
                raise self.fail("Expecting ',' delimiter", pos)


def parse_located(text: str, file: str) -> tuple[Any, Pos, list[Problem]]:
    """Parse JSON text, keeping the lines of records and their fields.

    Parameters
    ----------
    text : str
        The JSON document.
    file : str
        File name for messages.

    Returns
    -------
    value : Any
        The decoded document, as :func:`json.loads` would return it.
    pos : Pos
        Positions of the top object, its lists, their elements and the
        elements' keys.
    problems : list of Problem
        Duplicate keys found on the walked levels.

    Raises
    ------
    InvalidInputError
        If the text is not valid JSON; the problem names line and column.

    Examples
    --------
    >>> value, pos, _ = parse_located('{"mentors": [\\n  {"id": "m1"}\\n]}', "x.json")
    >>> pos.child("mentors").child(0).line
    2
    """
    walker = _Walker(text, file)
    try:
        start = walker.ws(0)
        if start == len(text):
            raise walker.fail("the file is empty", start)
        value, pos, end = walker.value(start, 0)
        end = walker.ws(end)
        if end != len(text):
            raise walker.fail("Extra data after the end of the JSON document", end)
    except json.JSONDecodeError as exc:
        message = exc.msg
        before = text[: exc.pos].rstrip()
        if text[exc.pos : exc.pos + 1] in ("}", "]") and before.endswith(","):
            # The most common slip when editing JSON by hand; json says it obliquely.
            message = f"trailing comma before {text[exc.pos]!r}"
        raise InvalidInputError(
            Problem(
                f"not valid JSON: {message} (column {exc.colno})",
                file=file,
                line=exc.lineno,
                expected="a JSON document (check quotes, commas and brackets near this place)",
            )
        ) from None
    except RecursionError:
        # The C decoder recurses once per level of nesting; no revmatch document
        # nests deeper than a handful of levels.
        raise InvalidInputError(
            Problem(
                "not valid input: the JSON is nested too deeply to read",
                file=file,
                expected="records nested a few levels deep, as in the canonical format",
            )
        ) from None
    except ValueError:
        # The only other ValueError of the decoder: int() refuses numbers longer
        # than sys.get_int_max_str_digits() digits.
        raise InvalidInputError(
            Problem(
                "not valid input: a number in the file is too long to read "
                f"(more than {sys.get_int_max_str_digits()} digits)",
                file=file,
                expected="numbers of ordinary size (a capacity, a level 0-5, a grade)",
            )
        ) from None
    if pos is None:
        pos = Pos(walker.lines.line(start))
    return value, pos, walker.problems

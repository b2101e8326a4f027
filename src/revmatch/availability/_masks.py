"""People as ``(zone, slots)`` read into local weekly masks, and masks turned to UTC.

:func:`read_people` checks every person and reduces their slots to a
sorted key; :func:`local_masks` turns keys into the local cells covered by
weekly and by fortnightly-only slots; :func:`to_utc` rotates local masks
into UTC grids, week class by week class.  The preferred meeting window is
checked and laid over the week here too.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError

from revmatch._zones import ZONE_FORM, is_zone, resolve_timezone
from revmatch.exceptions import InvalidInputError, Problem

from ._slots import (
    CELLS_PER_DAY,
    SLOT_MINUTES,
    SLOTS_PER_WEEK,
    Slot,
    SlotLike,
    parse_slot,
    parse_slots,
)
from ._text import SLOT_FORM
from ._weeks import IntArray

DEFAULT_PREFERRED_WINDOW: tuple[int, int] = (690, 870)
"""Local 11:30-14:30 on every day: the long-lunch pattern reverse mentoring favours."""

Person: TypeAlias = tuple[str, Sequence[SlotLike]]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
SlotKey: TypeAlias = tuple[tuple[int, int, int, int], ...]


def _load_zone(name: object, record: str, problems: list[Problem]) -> str | None:
    if not isinstance(name, str):
        problems.append(
            Problem(
                f"time zone is {type(name).__name__}, not text",
                record=record,
                field="timezone",
                expected=ZONE_FORM,
            )
        )
        return None
    try:
        return resolve_timezone(name)
    except ValueError as exc:
        problems.append(Problem(str(exc), record=record, field="timezone", expected=ZONE_FORM))
        return None


_SLOT_FIELDS = attrgetter("day", "start", "end", "every")
_ONLY_SLOTS = {Slot}


def _slot_key(slots: object, record: str, problems: list[Problem]) -> SlotKey | None:
    if isinstance(slots, list | tuple) and all(type(raw) is Slot for raw in slots):
        return tuple(sorted(set(map(_SLOT_FIELDS, slots))))
    if isinstance(slots, str | bytes) or not isinstance(slots, Iterable):
        problems.append(
            Problem(
                "availability is not a list of slots",
                record=record,
                field="availability",
                expected=f"a list of {SLOT_FORM}",
            )
        )
        return None
    parsed: set[tuple[int, int, int, int]] = set()
    ok = True
    for j, raw in enumerate(slots):
        try:
            read = parse_slots(raw) if isinstance(raw, str) else (parse_slot(raw),)
        except (ValidationError, ValueError, TypeError) as exc:
            ok = False
            if isinstance(exc, InvalidInputError):
                detail = exc.problems[0].message
            elif isinstance(exc, ValidationError) and exc.errors():
                detail = exc.errors()[0]["msg"]
            else:
                detail = str(exc)
            # The accepted form goes to ``expected``, not twice into the message.
            detail = detail.removeprefix("Value error, ").split(f"; expected {SLOT_FORM}")[0]
            problems.append(
                Problem(
                    detail,
                    record=record,
                    field=f"availability[{j}]",
                    expected=SLOT_FORM,
                )
            )
            continue
        parsed.update((slot.day, slot.start, slot.end, slot.every) for slot in read)
    return tuple(sorted(parsed)) if ok else None


def read_people(
    people: Sequence[Person], role: str, problems: list[Problem]
) -> list[tuple[str, SlotKey]]:
    out: list[tuple[str, SlotKey]] = []
    for i, person in enumerate(people):
        # The common case first, without the slower generic checks below:
        # a known zone and a tuple of slots.
        if type(person) is tuple and len(person) == 2 and type(person[0]) is str:
            slots = person[1]
            if (
                type(slots) is tuple
                and (not slots or set(map(type, slots)) == _ONLY_SLOTS)
                and is_zone(person[0])
            ):
                out.append((person[0], tuple(sorted(set(map(_SLOT_FIELDS, slots))))))
                continue
        record = f"{role}[{i}]"
        if (
            type(person) is tuple
            and len(person) == 2
            and type(person[0]) is str
            and is_zone(person[0])
        ):
            key = _slot_key(person[1], record, problems)
            if key is not None:
                out.append((person[0], key))
            continue
        if not isinstance(person, Sequence) or isinstance(person, str) or len(person) != 2:
            problems.append(
                Problem(
                    "is not a (time zone, slots) pair",
                    record=record,
                    expected="a tuple (iana_zone, list of slots)",
                )
            )
            continue
        zone = _load_zone(person[0], record, problems)
        key = _slot_key(person[1], record, problems)
        if zone is not None and key is not None:
            out.append((zone, key))
    return out


def check_window(window: tuple[int, int] | None) -> tuple[int, int] | None:
    if window is None:
        return None
    try:
        lo, hi = (int(v) for v in window)
    except (TypeError, ValueError):
        lo, hi = -1, -1
    if not (0 <= lo < hi <= 24 * 60) or lo % SLOT_MINUTES or hi % SLOT_MINUTES:
        raise InvalidInputError(
            Problem(
                f"preferred window {window!r} is not a time range of one day",
                field="preferred_window",
                expected=f"(start, end) minutes with 0 <= start < end <= 1440 on the "
                f"{SLOT_MINUTES}-minute grid, e.g. (690, 870) for 11:30-14:30",
            )
        )
    return lo, hi


def window_mask(window: tuple[int, int] | None) -> BoolArray:
    mask = np.zeros(SLOTS_PER_WEEK, dtype=np.bool_)
    if window is not None:
        lo, hi = window[0] // SLOT_MINUTES, window[1] // SLOT_MINUTES
        mask.reshape(7, CELLS_PER_DAY)[:, lo:hi] = True
    return mask


def local_masks(keys: Sequence[SlotKey]) -> tuple[BoolArray, BoolArray]:
    """Local weekly cells covered by weekly and by fortnightly-only slots.

    Returns ``(full, half)``, each ``(len(keys), 672)``; a cell covered by a
    weekly slot is never in ``half`` (weekly wins).
    """
    n = len(keys)
    covered = np.zeros((2, n, SLOTS_PER_WEEK), dtype=np.bool_)
    per_key = np.fromiter(map(len, keys), dtype=np.intp, count=n)
    total = int(per_key.sum())
    if total:
        # Every slot of a key is (day, start, end, every): read them all flat.
        numbers = itertools.chain.from_iterable(itertools.chain.from_iterable(keys))
        table = np.fromiter(numbers, dtype=np.intp, count=4 * total).reshape(-1, 4)
        row = np.repeat(np.arange(n, dtype=np.intp), per_key)
        begin = table[:, 0] * CELLS_PER_DAY + table[:, 1] // SLOT_MINUTES
        length = (table[:, 2] - table[:, 1]) // SLOT_MINUTES
        # One flat index per covered cell: each slot's begin, begin + 1, ..., end - 1.
        begin += ((table[:, 3] - 1) * n + row) * SLOTS_PER_WEEK
        first = np.cumsum(length) - length
        cell = np.repeat(begin - first, length) + np.arange(int(length.sum()))
        covered.reshape(-1)[cell] = True
    full, half = covered[0], covered[1]
    np.greater(half, full, out=half)  # fortnightly only: not covered weekly too
    return full, half


def to_utc(local: BoolArray, zone_of: IntArray, class_offsets: npt.NDArray[np.int16]) -> BoolArray:
    """Map local masks ``(P, 672)`` to UTC grids ``(P, K, 672)``.

    ``zone_of`` must be sorted.  The wall clock of zone ``z`` shows local cell
    ``u + class_offsets[z, k, u]`` (cyclic) at UTC cell ``u`` of class ``k``;
    where that offset is constant through the week the map is a rotation,
    done with two slice copies, otherwise a gather.
    """
    n_classes = class_offsets.shape[1]
    out = np.empty((local.shape[0], n_classes, SLOTS_PER_WEEK), dtype=np.bool_)
    cells = np.arange(SLOTS_PER_WEEK, dtype=np.intp)
    for z in np.unique(zone_of).tolist():
        lo, hi = np.searchsorted(zone_of, [z, z + 1]).tolist()
        block = local[lo:hi]
        for k in range(n_classes):
            offset = class_offsets[z, k]
            if (offset == offset[0]).all():
                shift = int(offset[0]) % SLOTS_PER_WEEK
                out[lo:hi, k, : SLOTS_PER_WEEK - shift] = block[:, shift:]
                out[lo:hi, k, SLOTS_PER_WEEK - shift :] = block[:, :shift]
            else:
                out[lo:hi, k] = block[:, (cells + offset) % SLOTS_PER_WEEK]
    return out

"""Weekly availability of synthetic people, drawn from the calendar patterns.

A person holds one or more patterns of ``calendars.json``, each moved to
other weekdays; the first may be shifted by half an hour or turned
fortnightly. Each distinct draw is built once and shared by everyone who
drew it, as are the :class:`~revmatch.availability.Slot` objects.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from revmatch.availability import Slot, format_minute, parse_slot

from ._draw import normalised
from ._tables import SlotKey, tables

__all__ = ["Availability"]

_SHIFTS = (-30, 0, 30)
_SHIFT_P = (0.10, 0.80, 0.10)
_WORKDAYS = 5


class Availability:
    """Weekly slot lists drawn from the calendar patterns, built once per distinct draw."""

    def __init__(self) -> None:
        self._slots: dict[SlotKey, Slot] = {}
        self._patterns: dict[tuple[int, int, int, bool], tuple[SlotKey, ...]] = {}

    def _slot(self, key: SlotKey) -> Slot:
        slot = self._slots.get(key)
        if slot is None:
            day, start, end, every = key
            slot = parse_slot(
                {
                    "day": day,
                    "start": format_minute(start),
                    "end": format_minute(end),
                    "every": every,
                }
            )
            self._slots[key] = slot
        return slot

    def _pattern(
        self, template: int, rotation: int, shift: int, fortnightly: bool
    ) -> tuple[SlotKey, ...]:
        key = (template, rotation, shift, fortnightly)
        pattern = self._patterns.get(key)
        if pattern is None:
            pattern = tuple(
                (
                    (day + rotation) % _WORKDAYS,
                    start + shift,
                    end + shift,
                    2 if (fortnightly and i == 0) else every,
                )
                for i, (day, start, end, every) in enumerate(tables().template_keys[template])
            )
            self._patterns[key] = pattern
        return pattern

    def draw(
        self, rng: np.random.Generator, n: int, n_patterns_p: Sequence[float]
    ) -> list[tuple[Slot, ...]]:
        """Slot lists for ``n`` people.

        A person holds 1, 2, ... patterns with probabilities ``n_patterns_p``.
        The first pattern may be shifted by half an hour and turned
        fortnightly; every pattern is moved to other weekdays on its own.
        """
        n_templates = len(tables().templates)
        most = len(n_patterns_p)
        count = 1 + rng.choice(most, size=n, p=normalised(n_patterns_p))
        template = rng.choice(n_templates, size=(n, most), p=tables().template_p)
        rotation = rng.integers(0, _WORKDAYS, size=(n, most))
        unused = np.arange(most)[None, :] >= count[:, None]
        template[unused] = -1
        rotation[unused] = 0
        shift = rng.choice(len(_SHIFTS), size=n, p=_SHIFT_P)
        fortnightly = (rng.random(n) < 0.06).astype(np.int64)
        # One integer per distinct draw, so each slot list is built only once.
        code = shift * 2 + fortnightly
        for j in range(most):
            code = (code * (n_templates + 1) + template[:, j] + 1) * _WORKDAYS + rotation[:, j]
        _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        lists: list[tuple[Slot, ...]] = []
        for i in first.tolist():
            keys = self._pattern(
                int(template[i, 0]),
                int(rotation[i, 0]),
                _SHIFTS[int(shift[i])],
                bool(fortnightly[i]),
            )
            for j in range(1, int(count[i])):
                keys += self._pattern(int(template[i, j]), int(rotation[i, j]), 0, False)
            lists.append(tuple(self._slot(key) for key in sorted(set(keys))))
        return [lists[k] for k in inverse.ravel().tolist()]

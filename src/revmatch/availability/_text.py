"""Availability as people write it, read into canonical slot texts.

One job: turn one cell (or one list item) of free-text availability into
canonical slot texts such as ``"Mon 12:00-14:00"`` or
``"Mon 12:00-14:00 fortnightly"``, or raise an error that shows the text and
the accepted forms.  Everything is case-insensitive.

Days
    English and German, short and long: ``Mon``, ``Monday``, ``Mo``,
    ``Montag``; ``Tue``, ``Tues``, ``Tu``, ``Di``, ``Dienstag``; ``Wed``,
    ``Weds``, ``We``, ``Mi``, ``Mittwoch``; ``Thu``, ``Thur``, ``Thurs``,
    ``Th``, ``Do``, ``Donnerstag``; ``Fri``, ``Fr``, ``Freitag``; ``Sat``,
    ``Sa``, ``Samstag``, ``Sonnabend``; ``Sun``, ``Su``, ``So``, ``Sonntag``.
    ``So`` is Sunday (German), ``Mi`` Wednesday; a trailing dot (``Mo.``)
    and a colon after the days (``Mon: 12-14``) are allowed.  A day range
    ``Mo-Fr`` (also ``Mon to Fri``, ``Mo bis Fr``) gives one slot per day and
    may wrap over the weekend (``Fr-Mo``); days are joined with ``/``,
    ``&``, ``+``, ``and`` or ``und`` (``Mon/Wed 12-13``).
Times
    ``12``, ``12:00``, ``12.00``, ``9:30``, four digits ``0930`` (three
    digits such as ``930`` are refused: write ``9:30``), ``noon``,
    ``midnight``, 12-hour ``12pm``, ``9am``, ``10:30 p.m.``; an optional
    ``Uhr`` after the times.  The range is joined by ``-``, an en or em dash,
    ``to`` or ``bis``.  Times lie on the 15-minute grid.
12-hour rule
    A time without am/pm next to one with it is read in the same half of the
    day when that makes the slot end after it starts (``12-2pm`` is
    12:00-14:00, ``9-10:30am`` is 09:00-10:30), else in the other half
    (``11-1pm`` is 11:00-13:00, ``9am-5`` is 09:00-17:00); when neither
    reading does, the text is refused (``10-2am``: write ``10pm-2am``).
Midnight
    An end of ``0:00``, ``12am`` or ``midnight`` is the end of the day
    (24:00).  An end before the start crosses midnight and is split into two
    slots, ``Mon 22:00-02:00`` into ``Mon 22:00-24:00`` and
    ``Tue 00:00-02:00`` (Sunday wraps to Monday), but only when the slot so
    read lasts at most 12 hours: ``Mon 14:00-12:00`` is more likely two
    swapped times than a 22-hour slot, and is refused.
Lists
    A cell holds several slots separated by ``;``, ``,`` or line breaks.
    Commas always separate slots, never decimals: ``12,5`` is not a time.
    Days written alone take the times of the next part (``Mon, Wed 12-14``
    is Monday and Wednesday 12-14), and times written alone keep the days
    before them (``Mon 9-10, 14-15``).
Fortnightly
    ``fortnightly``, ``biweekly``, ``every 2 weeks``, ``every other week``,
    ``alle 2 Wochen``, ``14-tägig`` or ``zweiwöchentlich`` anywhere in a part
    marks its slots as fortnightly; ``weekly`` or ``wöchentlich`` is allowed
    and changes nothing.
"""

from __future__ import annotations

import functools
import re

from revmatch.exceptions import InvalidInputError, Problem

__all__ = ["DAY_NAMES", "DAY_SPELLINGS", "SLOT_FORM", "day_index", "normalise_slots"]

DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

SLOT_FORM = (
    "a weekly slot like 'Mon 12:00-14:00' (day in English or German, e.g. Mon, Monday, Mo, "
    "Montag, So = Sunday, or a range Mo-Fr; times like 12-14, 12:00-14:00, 12.00-14.00, 0930, "
    "12pm-2pm, on a 15-minute grid; optionally 'fortnightly'; several slots separated by "
    "';', ',' or line breaks)"
)

_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("mon", "monday", "mo", "montag"),
    ("tue", "tues", "tuesday", "tu", "di", "dienstag"),
    ("wed", "weds", "wednesday", "we", "mi", "mittwoch"),
    ("thu", "thur", "thurs", "thursday", "th", "do", "donnerstag"),
    ("fri", "friday", "fr", "freitag"),
    ("sat", "saturday", "sa", "samstag", "sonnabend"),
    ("sun", "sunday", "su", "so", "sonntag"),
)
_DAY_OF: dict[str, int] = {name: i for i, names in enumerate(_SPELLINGS) for name in names}
DAY_SPELLINGS: tuple[str, ...] = tuple(_DAY_OF)
"""Every accepted day name, lower case (case does not matter when reading)."""

# Longest spellings first, so that "every 2 weeks" is not read as "weekly".
_I = re.IGNORECASE
_FORTNIGHTLY = re.compile(
    r"\(?\b(?:fortnightly|bi-?weekly|every\s+(?:2|two|other|second)\s+weeks?"
    r"|alle\s+(?:2|zwei)\s+wochen|(?:14|vierzehn)-?t(?:ä|ae)gig|zweiw(?:ö|oe)chentlich)\b\)?",
    _I,
)
_WEEKLY = re.compile(r"\(?\b(?:weekly|every\s+week|w(?:ö|oe)chentlich|jede\s+woche)\b\)?", _I)
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_RANGE_WORD = re.compile(r"\s+(?:to|till|until|bis)\s+", _I)
_AND_WORD = re.compile(r"\s+(?:and|und)\s+", _I)
_FILLER = re.compile(r"\b(?:from|von|uhr)\b", _I)
_MERIDIEM = re.compile(r"(?<=\d)\s*([ap])\.?\s?m\b\.?", _I)
_NAMED_TIME = {"noon": "12:00", "midday": "12:00", "midnight": "0:00", "mitternacht": "0:00"}
_NAMED = re.compile(r"\b(?:noon|midday|midnight|mitternacht)\b", _I)
_DAY_WORD = r"[a-zäöüß]+\.?"
_DAYS = re.compile(rf"^({_DAY_WORD}(?:\s*[-&/+]\s*{_DAY_WORD})*)\s*:?\s*", _I)
_TIME = r"\d+(?:[:.]\d+)?"
_TIMES = re.compile(rf"^(?P<a>{_TIME})\s*(?P<ap>[ap]m)?\s*-\s*(?P<b>{_TIME})\s*(?P<bp>[ap]m)?$", _I)
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?$|^(\d{2})(\d{2})$")
_PARTS = re.compile(r"[;,\n\r]+")
_MAX_CROSSING = 12 * 60
_DAY = 24 * 60
_GRID = 15


class _UnreadableError(Exception):
    """A part of the text cannot be read; carries the reason."""


def day_index(name: str) -> int:
    """Return the weekday index (Monday = 0) of one day name in English or German.

    Parameters
    ----------
    name : str
        ``"Mon"``, ``"monday"``, ``"Mo"``, ``"Montag"``, ``"So"`` (Sunday), ...

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If the name is not a weekday.
    """
    key = name.strip().lower().rstrip(".")
    if key not in _DAY_OF:
        raise ValueError(f"unknown day {name.strip()!r}; expected one of {', '.join(DAY_NAMES)}")
    return _DAY_OF[key]


def normalise_slots(text: str) -> tuple[str, ...]:
    """Read free-text availability into canonical slot texts.

    Parameters
    ----------
    text : str
        One cell or list item, e.g. ``"Mo-Fr 12-13"`` or ``"Montag 12-14; Di 9-10"``.

    Returns
    -------
    tuple of str
        Canonical slots such as ``"Mon 12:00-14:00"`` (``" fortnightly"``
        appended for fortnightly slots), in the order written; empty for
        blank text.

    Raises
    ------
    InvalidInputError
        If some part cannot be read; the message shows the text and the
        problem, ``expected`` the accepted forms.
    """
    try:
        return _normalised(text)
    except _UnreadableError as exc:
        raise InvalidInputError(
            Problem(f"{text!r} is not a weekly slot: {exc}", expected=SLOT_FORM)
        ) from None


@functools.lru_cache(maxsize=8192)
def _normalised(text: str) -> tuple[str, ...]:
    # Slot texts repeat a lot across people (templates, exports): read each once.
    out: list[str] = []
    pending: list[int] = []
    last: list[int] = []
    for raw in _PARTS.split(text):
        days, times, every = _part(raw, text)
        if times is None:
            if days and every == 2:
                raise _UnreadableError(f"'fortnightly' in {raw.strip()!r} needs the times with it")
            pending.extend(days or ())
            continue
        if days is not None:
            pending.extend(days)
        if pending:
            last, pending = pending, []
        if not last:
            raise _UnreadableError(f"no day given for the times in {raw.strip()!r}")
        for day in last:
            out.extend(_slots(day, times, every))
    if pending:
        raise _UnreadableError("no times given after the last day")
    return tuple(out)


def _part(raw: str, whole: str) -> tuple[list[int] | None, tuple[int, int] | None, int]:
    """Days, (start, end) minutes and every-n-weeks of one part; Nones where absent."""
    text = _DASHES.sub("-", raw)
    every = 1
    if _FORTNIGHTLY.search(text):
        every = 2
        text = _FORTNIGHTLY.sub(" ", text)
    text = _WEEKLY.sub(" ", text)
    text = _NAMED.sub(lambda m: _NAMED_TIME[m.group(0).lower()], text)
    text = _MERIDIEM.sub(lambda m: f"{m.group(1).lower()}m", text)
    text = _FILLER.sub(" ", text)
    text = _AND_WORD.sub("&", _RANGE_WORD.sub("-", f" {text} ")).strip()
    if not text:
        return None, None, every
    days: list[int] | None = None
    match = _DAYS.match(text)
    if match is not None:
        days = _day_list(match.group(1))
        text = text[match.end() :]
    if not text:
        return days, None, every
    times = _TIMES.match(text)
    if times is None:
        if re.fullmatch(rf"{_TIME}\s*(?:[ap]m)?", text, _I):
            comma = "; a comma separates slots, it is no decimal point" if "," in whole else ""
            raise _UnreadableError(f"{raw.strip()!r} has a start time but no end time{comma}")
        raise _UnreadableError(f"cannot read {raw.strip()!r}")
    return days, _range(times), every


def _day_list(words: str) -> list[int]:
    days: list[int] = []
    for term in re.split(r"\s*[&/+]\s*", words):
        ends = re.split(r"\s*-\s*", term)
        if len(ends) > 2 or not all(ends):
            raise _UnreadableError(f"cannot read the days {term!r}")
        first = _day(ends[0])
        if len(ends) == 1:
            days.append(first)
            continue
        last = _day(ends[1])
        if last == first:
            raise _UnreadableError(f"the day range {term!r} starts and ends on the same day")
        days.extend((first + k) % 7 for k in range((last - first) % 7 + 1))
    return days


def _day(word: str) -> int:
    try:
        return day_index(word)
    except ValueError:
        raise _UnreadableError(
            f"unknown day {word!r} (days are {', '.join(DAY_NAMES)}, long or short, "
            "in English or German)"
        ) from None


def _clock(token: str) -> tuple[int, int]:
    match = _CLOCK.match(token)
    if match is None:
        if re.fullmatch(r"\d{3}", token):
            raise _UnreadableError(f"time {token!r} is ambiguous; write it with a colon, e.g. 9:30")
        raise _UnreadableError(f"time {token!r} is not a time of day")
    hours = match.group(1) or match.group(3)
    minutes = match.group(2) or match.group(4) or "0"
    return int(hours), int(minutes)


def _twelve_hour(token: str, hours: int, minutes: int, half: str) -> int:
    if not 1 <= hours <= 12 or minutes >= 60:
        raise _UnreadableError(f"time '{token}{half}' is not a 12-hour time of day")
    return (hours % 12 + (12 if half == "pm" else 0)) * 60 + minutes


def _range(match: re.Match[str]) -> tuple[int, int]:
    a, b = match["a"], match["b"]
    ap, bp = (h.lower() if h else None for h in (match["ap"], match["bp"]))
    (ah, am), (bh, bm) = _clock(a), _clock(b)
    if ap is None and bp is None:
        return _minute(a, ah, am, end=False), _minute(b, bh, bm, end=True)
    if ap is not None and bp is not None:
        return _twelve_hour(a, ah, am, ap), _twelve_hour(b, bh, bm, bp)
    other = {"am": "pm", "pm": "am"}
    if bp is not None:
        end = _twelve_hour(b, bh, bm, bp) or _DAY
        for half in (bp, other[bp]):
            start = _twelve_hour(a, ah, am, half)
            if start < end:
                return start, end
    else:
        assert ap is not None
        start = _twelve_hour(a, ah, am, ap)
        for half in (ap, other[ap]):
            end = _twelve_hour(b, bh, bm, half) or _DAY
            if start < end:
                return start, end
    raise _UnreadableError(
        f"'{match.group(0)}' does not end after it starts whichever half of the day the "
        "time without am/pm is in; write am or pm on both times"
    )


def _minute(token: str, hours: int, minutes: int, *, end: bool) -> int:
    total = hours * 60 + minutes
    if minutes >= 60 or total > _DAY or (total == _DAY and not end):
        raise _UnreadableError(
            f"time {_format(hours, minutes)!r} is not a time of day (00:00-24:00)"
        )
    return total


def _format(hours: int, minutes: int) -> str:
    return f"{hours:02d}:{minutes:02d}"


def _slots(day: int, times: tuple[int, int], every: int) -> list[str]:
    start, end = times
    if end == 0:
        end = _DAY  # "22:00-00:00": midnight at the end of the day
    for minute in (start, end):
        if minute % _GRID:
            raise _UnreadableError(
                f"time {_format(*divmod(minute, 60))!r} is not on the {_GRID}-minute grid"
            )
    suffix = " fortnightly" if every == 2 else ""
    if start < end:
        return [
            f"{DAY_NAMES[day]} {_format(*divmod(start, 60))}-{_format(*divmod(end, 60))}" + suffix
        ]
    shown = f"{_format(*divmod(end, 60))}, not after its start {_format(*divmod(start, 60))}"
    length = end + _DAY - start
    if end == start or length > _MAX_CROSSING:
        raise _UnreadableError(
            f"the slot ends at {shown}; read across midnight it would last "
            f"{length / 60:g} hours, more than {_MAX_CROSSING // 60}"
        )
    tomorrow = (day + 1) % 7
    return [
        f"{DAY_NAMES[day]} {_format(*divmod(start, 60))}-24:00{suffix}",
        f"{DAY_NAMES[tomorrow]} 00:00-{_format(*divmod(end, 60))}{suffix}",
    ]

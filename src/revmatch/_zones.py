"""Time-zone names as people write them: one check for the models and the time engine.

:func:`resolve_timezone` turns a name into the IANA key to use, or raises with
a "did you mean" suggestion; :func:`zone_caution` says why a name that is
accepted may still be misread.  The traps are abbreviations: ``EST``, ``CET``
and ``GMT`` are valid IANA keys, ``PST``, ``MEZ`` and ``CEST`` are not, and
neither names a place.  A fixed offset never changes to summer time, so a
person in New York written as ``EST`` would be an hour off for eight months
of the year.  Such a name is read (as the key, or as the fixed offset it
stands for) with a warning that names the likely place; an abbreviation used
for several places (``IST``, ``CST``, ``BST``, ``AST``) is an error.
"""

from __future__ import annotations

import difflib
import functools
import zoneinfo
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["ZONE_FORM", "is_zone", "resolve_timezone", "zone_caution"]

ZONE_FORM = "an IANA time zone such as 'Europe/Berlin' or 'UTC'"
# A year whose January and July show whether a zone changes to summer time
# (the reference year of revmatch.availability).
_PROBE_YEAR = 2027

# Keys that exist on some systems but say nothing portable about a place.
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})

# Abbreviation -> (UTC offset in hours, the place most people using it mean).
_ABBREVIATIONS: dict[str, tuple[int, str]] = {
    "GMT": (0, "Europe/London"),
    "WET": (0, "Europe/Lisbon"),
    "WEST": (1, "Europe/Lisbon"),
    "CET": (1, "Europe/Berlin"),
    "MET": (1, "Europe/Berlin"),
    "MEZ": (1, "Europe/Berlin"),
    "CEST": (2, "Europe/Berlin"),
    "MEST": (2, "Europe/Berlin"),
    "MESZ": (2, "Europe/Berlin"),
    "EET": (2, "Europe/Athens"),
    "EEST": (3, "Europe/Athens"),
    "MSK": (3, "Europe/Moscow"),
    "SAST": (2, "Africa/Johannesburg"),
    "WAT": (1, "Africa/Lagos"),
    "CAT": (2, "Africa/Maputo"),
    "EAT": (3, "Africa/Nairobi"),
    "PKT": (5, "Asia/Karachi"),
    "ICT": (7, "Asia/Bangkok"),
    "WIB": (7, "Asia/Jakarta"),
    "SGT": (8, "Asia/Singapore"),
    "HKT": (8, "Asia/Hong_Kong"),
    "PHT": (8, "Asia/Manila"),
    "AWST": (8, "Australia/Perth"),
    "JST": (9, "Asia/Tokyo"),
    "KST": (9, "Asia/Seoul"),
    "AEST": (10, "Australia/Sydney"),
    "AEDT": (11, "Australia/Sydney"),
    "NZST": (12, "Pacific/Auckland"),
    "NZDT": (13, "Pacific/Auckland"),
    "BRT": (-3, "America/Sao_Paulo"),
    "ART": (-3, "America/Argentina/Buenos_Aires"),
    "EST": (-5, "America/New_York"),
    "EDT": (-4, "America/New_York"),
    "CDT": (-5, "America/Chicago"),
    "MST": (-7, "America/Denver"),
    "MDT": (-6, "America/Denver"),
    "PST": (-8, "America/Los_Angeles"),
    "PDT": (-7, "America/Los_Angeles"),
    "AKST": (-9, "America/Anchorage"),
    "AKDT": (-8, "America/Anchorage"),
}
_AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "BST": ("Europe/London", "Asia/Dhaka"),
    "AST": ("America/Halifax", "Asia/Riyadh"),
}


@functools.cache
def _keys() -> dict[str, str]:
    """Lower-case name -> IANA key, over every zone this system knows."""
    return {k.lower(): k for k in zoneinfo.available_timezones() if k not in _NOT_PLACES}


@functools.lru_cache(maxsize=4096)
def is_zone(name: str) -> bool:
    """Return whether ``name`` is exactly an IANA key this system can load.

    ZoneInfo keeps only a few zones strongly cached; validating thousands of
    people must not reread the zone files, hence the cache here.
    """
    if name in _NOT_PLACES:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _fixed_key(hours: int) -> str:
    # POSIX signs: Etc/GMT-2 is two hours *ahead* of UTC.
    return "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"


@functools.lru_cache(maxsize=4096)
def resolve_timezone(name: str) -> str:
    """Return the IANA key to use for a time-zone name as people write it.

    Parameters
    ----------
    name : str
        An IANA name in any case (``"europe/berlin"``), or an abbreviation
        (``"CET"``, ``"PST"``; see :func:`zone_caution`).

    Returns
    -------
    str
        The IANA key: the name itself, its correctly cased form, or for an
        abbreviation that is no key the fixed offset it stands for
        (``"PST"`` -> ``"Etc/GMT+8"``).

    Raises
    ------
    ValueError
        If the name is unknown (with the closest known name, if any) or an
        abbreviation used for several places.
    """
    text = name.strip()
    if is_zone(text):
        return text
    upper = text.upper()
    if upper in _AMBIGUOUS:
        places = " or ".join(repr(p) for p in _AMBIGUOUS[upper])
        raise ValueError(
            f"time zone {text!r} is an abbreviation used for several places; "
            f"give the place, e.g. {places}"
        )
    key = _keys().get(text.lower())
    if key is not None:
        return key
    if upper in _ABBREVIATIONS:
        return _fixed_key(_ABBREVIATIONS[upper][0])
    guess = difflib.get_close_matches(text.lower(), list(_keys()), n=1, cutoff=0.8)
    hint = f" (did you mean {_keys()[guess[0]]!r}?)" if guess else ""
    raise ValueError(f"unknown time zone {text!r}{hint}")


def zone_caution(name: str) -> str | None:
    """Return why an accepted time-zone name may be misread, or None.

    Parameters
    ----------
    name : str
        The name as written (it must pass :func:`resolve_timezone`).

    Returns
    -------
    str or None
        For an abbreviation such as ``"CET"`` or ``"PST"``: what it is read
        as, what that means for summer time, and the place to write instead.
    """
    text = name.strip()
    upper = text.upper()
    if upper not in _ABBREVIATIONS:
        return None
    hours, place = _ABBREVIATIONS[upper]
    key = resolve_timezone(text)
    zone = ZoneInfo(key)
    winter = datetime(_PROBE_YEAR, 1, 15, tzinfo=zone).utcoffset()
    summer = datetime(_PROBE_YEAR, 7, 15, tzinfo=zone).utcoffset()
    if winter == summer:
        sign = "+" if hours >= 0 else "-"
        read = "" if key == text else f", read as {key!r}"
        return (
            f"{text!r} is a fixed offset (UTC{sign}{abs(hours):02d}:00{read}), not a place: "
            f"meetings will not follow summer time; did you mean {place!r}?"
        )
    return (
        f"{text!r} is an abbreviation, not a place: it is read as the zone {key!r}, which "
        f"follows one summer-time rule for a whole region, not a country's own history; "
        f"did you mean {place!r}?"
    )

"""iCalendar (RFC 5545) invitations: one recurring event per pair.

Each pair's proposed meeting becomes a ``VEVENT`` in the executive's
``TZID`` (with its ``VTIMEZONE``) whose ``RRULE`` is weekly, or every two
weeks for a fortnightly meeting, with one ``COUNT`` per program week.  The
length is a ``DURATION`` (exact time, so a clock change inside the session
does not stretch it).  Every session is checked again at its real instants
(:mod:`._schedule`): a week in which a clock change takes the session out of
someone's available time gets an override with ``RECURRENCE-ID`` at the
nearest shared time of that week, or, where there is none, an ``EXDATE`` and
a line in the description naming the week.  A moved session is an override
only: RFC 5545 removes an ``EXDATE`` instance from the set, so an override of
it would have nothing to replace.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from .._handout_data import Invitations
from ..models import Executive, Mentor
from ._context import Context, make_context
from ._schedule import Schedule, schedules
from ._text import (
    WORDS,
    check_language,
    clock_lines,
    display_name,
    exception_lines,
    span_text,
    top_topics,
    topic_label,
)

if TYPE_CHECKING:
    from icalendar import Calendar, Event

    from ..models import Program
    from ..result import MatchResult

COMBINED = "all-pairs.ics"
"""Name of the file holding every pair's event."""

WITHOUT_SLOT = "pairs-without-slot.txt"
"""Name of the file listing the pairs that get no event."""


def _require_icalendar() -> None:
    try:
        import icalendar  # noqa: F401
    except ImportError:
        raise ImportError(
            "icalendar is needed for to_ics(): pip install 'revmatch[calendar]'"
        ) from None


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "x"


def _uid(ctx: Context, schedule: Schedule) -> str:
    """Stable across re-runs of the same program and pair, so a re-import updates the event."""
    key = "\x1f".join(
        [
            ctx.program.program.name,
            str(ctx.program.start),
            schedule.pair.executive_id,
            schedule.pair.mentor_id,
        ]
    )
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"{digest}-{_slug(schedule.pair.executive_id)}-{_slug(schedule.pair.mentor_id)}@revmatch"


def _address(person: Executive | Mentor, role: str) -> Any:
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = display_name(person)
    address.params["ROLE"] = role
    address.params["CUTYPE"] = "INDIVIDUAL"
    if role != "CHAIR":
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
    return address


def description(ctx: Context, schedule: Schedule, language: str) -> str:
    """The event's description: who, topics, shared time, the slot for both, weeks to watch."""
    words = WORDS[language]
    pair = schedule.pair
    executive, mentor = ctx.executives[pair.executive_id], ctx.mentors[pair.mentor_id]
    topics = [topic_label(t) for t in top_topics(ctx, pair, n=len(pair.topics_covered))]
    every = words["weekly"] if schedule.every == 1 else words["fortnightly"]
    lines = [
        f"{words['topics']}: {', '.join(topics) if topics else words['no_topics']}",
        words["shared"].format(minutes=round(pair.mean_overlap_minutes)),
        "",
    ]
    first = next((s.start for s in schedule.held), None)
    for person, key in ((executive, "for_executive"), (mentor, "for_mentor")):
        zone = schedule.slot.executive_zone if person is executive else schedule.slot.mentor_zone
        when = span_text(first, schedule.minutes, ZoneInfo(zone), language) if first else "-"
        lines.append(
            words[key].format(name=display_name(person))
            + ": "
            + words["slot_line"].format(when=when, every=every, zone=zone)
        )
    watch = [
        *exception_lines(schedule, schedule.slot.executive_zone, language),
        *clock_lines(schedule, schedule.slot.executive_zone, language),
        *clock_lines(schedule, schedule.slot.mentor_zone, language),
    ]
    if watch:
        lines.append("")
        lines.extend(f"- {line}" for line in dict.fromkeys(watch))
    lines += ["", words["generated"]]
    return "\n".join(lines)


def events(
    ctx: Context,
    schedule: Schedule,
    *,
    organizer: str | None,
    stamp: datetime,
    language: str,
) -> list[Event]:
    """The recurring event of one pair and an override per moved session."""
    from icalendar import Event, vCalAddress, vRecur

    pair = schedule.pair
    executive, mentor = ctx.executives[pair.executive_id], ctx.mentors[pair.mentor_id]
    tz_exec = ZoneInfo(schedule.slot.executive_zone)
    uid = _uid(ctx, schedule)
    summary = WORDS[language]["summary"].format(
        executive=display_name(executive), mentor=display_name(mentor)
    )
    text = description(ctx, schedule, language)
    attendees = [
        _address(person, "REQ-PARTICIPANT") for person in (executive, mentor) if person.email
    ]

    if organizer:
        chair: Any = vCalAddress(f"mailto:{organizer.removeprefix('mailto:')}")
    else:
        # Without a program office address the first attendee (the executive
        # when they have an e-mail) organizes: RFC 5545 wants an organizer
        # wherever there are attendees.
        first = executive if executive.email else mentor
        chair = vCalAddress(f"mailto:{first.email}")
        chair.params["CN"] = display_name(first)

    def common(event: Event) -> None:
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        event.add("description", text)
        event.add("duration", timedelta(minutes=schedule.minutes))
        event.add("categories", ["Reverse mentoring"])
        event.add("transp", "OPAQUE")
        event.add("sequence", 0)
        if attendees:
            event.add("organizer", chair)
            for address in attendees:
                event.add("attendee", address, encode=False)

    sessions = schedule.sessions
    main = Event()
    common(main)
    main.add("dtstart", sessions[0].rule_start)
    main.add(
        "rrule", vRecur({"FREQ": "WEEKLY", "INTERVAL": schedule.every, "COUNT": len(sessions)})
    )
    cancelled = [s.rule_start for s in sessions if s.status == "cancelled"]
    if cancelled:
        main.add("exdate", cancelled)
    out = [main]
    for s in sessions:
        if s.status != "moved" or s.start is None:
            continue
        moved = Event()
        common(moved)
        moved.add("recurrence-id", s.rule_start)
        local = s.start.astimezone(tz_exec)
        # A repeated wall time (fold=1) cannot be written with TZID alone: use UTC.
        exact = local.replace(fold=0).astimezone(UTC) == s.start
        moved.add("dtstart", local if exact else s.start)
        out.append(moved)
    return out


def calendar(
    ctx: Context,
    items: list[Schedule],
    *,
    name: str,
    organizer: str | None,
    stamp: datetime,
    language: str,
) -> Calendar:
    """One ``VCALENDAR`` with the events of ``items`` and the time zones they use."""
    from icalendar import Calendar

    from .. import __version__

    cal = Calendar()
    cal.add("prodid", f"-//revmatch//revmatch {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for schedule in items:
        for event in events(ctx, schedule, organizer=organizer, stamp=stamp, language=language):
            cal.add_component(event)
    if items:
        first = min(s.sessions[0].rule_start for s in items).date() - timedelta(days=7)
        last = max(s.sessions[-1].rule_start for s in items).date() + timedelta(days=14)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal


def write_ics(
    result: MatchResult,
    directory: str | Path,
    *,
    program: Program | None = None,
    organizer: str | None = None,
    language: str = "en",
) -> list[Path]:
    """Write one ``.ics`` file per pair and one with every pair; return the paths.

    See :meth:`revmatch.MatchResult.to_ics`; a pair without a shared slot is
    listed in ``pairs-without-slot.txt`` instead.

    Examples
    --------
    >>> import tempfile, revmatch as rm
    >>> from revmatch.handouts import write_ics
    >>> result = rm.match(rm.datasets.make_program(n_executives=4, n_mentors=6, seed=1))
    >>> paths = write_ics(result, tempfile.mkdtemp())
    >>> paths[-1].name in {"all-pairs.ics", "pairs-without-slot.txt"}
    True
    """
    return to_ics(result, directory, program=program, organizer=organizer, language=language).paths


def to_ics(
    result: MatchResult,
    path_or_dir: str | Path,
    *,
    program: Program | None = None,
    organizer: str | None = None,
    language: str = "en",
) -> Invitations:
    """Write the calendar files of a result (see :meth:`revmatch.MatchResult.to_ics`)."""
    _require_icalendar()
    language = check_language(language)
    ctx = make_context(result, program, "to_ics")
    target = Path(path_or_dir)
    found = schedules(ctx)
    items = [s for s in found if s is not None and s.sessions]
    without = tuple(
        (p.executive_id, p.mentor_id)
        for p, s in zip(result.pairs, found, strict=True)
        if s is None or not s.sessions
    )
    stamp = datetime.now(UTC).replace(microsecond=0)
    name = ctx.program.program.name or "Reverse mentoring"
    files: list[Path] = []
    listing: Path | None = None
    if target.suffix.lower() == ".ics":
        target.parent.mkdir(parents=True, exist_ok=True)
        combined = target
    else:
        target.mkdir(parents=True, exist_ok=True)
        combined = target / COMBINED
        seen: set[str] = set()
        for schedule in items:
            stem = f"pair-{_slug(schedule.pair.executive_id)}-{_slug(schedule.pair.mentor_id)}"
            base, k = stem, 1
            while stem.lower() in seen:
                k += 1
                stem = f"{base}-{k}"
            seen.add(stem.lower())
            path = target / f"{stem}.ics"
            cal = calendar(
                ctx, [schedule], name=name, organizer=organizer, stamp=stamp, language=language
            )
            path.write_bytes(cal.to_ical())
            files.append(path)
        if without:
            listing = target / WITHOUT_SLOT
            listing.write_text(
                "executive_id\tmentor_id\treason\n"
                + "".join(
                    f"{e}\t{m}\tno shared time of {ctx.config.session_minutes} minutes "
                    "in any program week\n"
                    for e, m in without
                ),
                encoding="utf-8",
            )
        else:
            (target / WITHOUT_SLOT).unlink(missing_ok=True)  # from an earlier run
    cal = calendar(ctx, items, name=name, organizer=organizer, stamp=stamp, language=language)
    combined.write_bytes(cal.to_ical())
    return Invitations(
        files=tuple(files),
        combined=combined,
        without_slot=without,
        moved=sum(x.status == "moved" for s in items for x in s.sessions),
        cancelled=sum(x.status == "cancelled" for s in items for x in s.sessions),
        listing=listing,
    )

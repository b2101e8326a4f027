"""Words, dates and times for people, in the built-in languages (English, German)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ..exceptions import InvalidInputError
from ..models import Executive, Mentor
from ..result import Pair
from ._context import Context
from ._schedule import Schedule, usual_start

LANGUAGES = ("en", "de")
"""Languages with built-in words and templates."""

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "de": ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Reverse mentoring: {executive} and {mentor}",
        "weekly": "every week",
        "fortnightly": "every other week",
        "topics": "Topics",
        "no_topics": "the topics you both bring",
        "shared": "about {minutes} minutes of shared time a week",
        "slot_line": "{when}, {every} ({zone})",
        "for_executive": "for {name}",
        "for_mentor": "for {name}",
        "moved": "{week}: moved to {when} (no shared time at the usual time)",
        "cancelled": "{week}: no session (no shared hour that week); agree on another time",
        "clock": "{week}: {when} ({zone}) because of a clock change",
        "week_of": "week of {date}",
        "weeks_of": "weeks of {dates}",
        "and": "and",
        "to": "to",
        "watch_none": "none",
        "generated": "Proposed by the program office with revmatch; please accept or suggest "
        "another time.",
    },
    "de": {
        "summary": "Reverse Mentoring: {executive} und {mentor}",
        "weekly": "jede Woche",
        "fortnightly": "alle zwei Wochen",
        "topics": "Themen",
        "no_topics": "die Themen, die Sie beide mitbringen",
        "shared": "etwa {minutes} Minuten gemeinsame Zeit pro Woche",
        "slot_line": "{when}, {every} ({zone})",
        "for_executive": "für {name}",
        "for_mentor": "für {name}",
        "moved": "{week}: verschoben auf {when} (zur üblichen Zeit keine gemeinsame Zeit)",
        "cancelled": "{week}: kein Termin (keine gemeinsame Stunde in dieser Woche); "
        "bitte einen anderen Termin vereinbaren",
        "clock": "{week}: {when} ({zone}) wegen der Zeitumstellung",
        "week_of": "Woche vom {date}",
        "weeks_of": "Wochen vom {dates}",
        "and": "und",
        "to": "bis",
        "watch_none": "keine",
        "generated": "Vorgeschlagen vom Programmbüro mit revmatch; bitte annehmen oder einen "
        "anderen Termin vorschlagen.",
    },
}


def check_language(language: str) -> str:
    """The language code if built in, else an error naming the built-in ones."""
    code = language.lower().split("-")[0].split("_")[0]
    if code not in LANGUAGES:
        raise InvalidInputError(
            f"no built-in words for language {language!r}; built in are "
            f"{', '.join(LANGUAGES)} (for others pass your own template)"
        )
    return code


def person_language(person: Executive | Mentor, fallback: str = "en") -> str:
    """The person's first listed language that is built in, else ``fallback``."""
    for lang in person.languages:
        code = lang.lower().split("-")[0].split("_")[0]
        if code in LANGUAGES:
            return code
    return fallback


def day_text(day: date, language: str) -> str:
    """``Mon 15 Mar 2027`` / ``Mo 15.03.2027``."""
    weekday = _WEEKDAYS[language][day.weekday()]
    if language == "de":
        return f"{weekday} {day:%d.%m.%Y}"
    return f"{weekday} {day.day} {_MONTHS['en'][day.month - 1]} {day.year}"


def span_text(begin: datetime, minutes: int, zone: ZoneInfo, language: str) -> str:
    """``Tue 12:00-13:00`` on the wall clock of ``zone``."""
    local = begin.astimezone(zone)
    end = (begin + timedelta(minutes=minutes)).astimezone(zone)
    return f"{_WEEKDAYS[language][local.weekday()]} {local:%H:%M}-{end:%H:%M}"


def dated_span_text(begin: datetime, minutes: int, zone: ZoneInfo, language: str) -> str:
    """``Tue 16 Mar 2027, 12:00-13:00`` on the wall clock of ``zone``."""
    local = begin.astimezone(zone)
    end = (begin + timedelta(minutes=minutes)).astimezone(zone)
    return f"{day_text(local.date(), language)}, {local:%H:%M}-{end:%H:%M}"


def weeks_text(weeks: Sequence[date], language: str, step: int = 1) -> str:
    """Program weeks by their Monday; runs of three or more (``step`` weeks apart) as a range."""
    words = WORDS[language]
    parts: list[str] = []
    run: list[date] = []
    for week in [*sorted(weeks), None]:
        if week is not None and run and week - run[-1] == timedelta(weeks=step):
            run.append(week)
            continue
        if len(run) >= 3:
            parts.append(
                f"{day_text(run[0], language)} {words['to']} {day_text(run[-1], language)}"
            )
        else:
            parts.extend(day_text(w, language) for w in run)
        run = [week] if week is not None else []
    if len(weeks) == 1:
        return words["week_of"].format(date=parts[0])
    joined = (
        parts[0] if len(parts) == 1 else (", ".join(parts[:-1]) + f" {words['and']} " + parts[-1])
    )
    return words["weeks_of"].format(dates=joined)


def display_name(person: Executive | Mentor) -> str:
    """The person's name, or their id when no name is given."""
    return person.name or person.id


def top_topics(ctx: Context, pair: Pair, n: int = 3) -> tuple[str, ...]:
    """The pair's covered topics, by executive interest times mentor level, highest first."""
    executive = ctx.executives[pair.executive_id]
    mentor = ctx.mentors[pair.mentor_id]
    ranked = sorted(
        pair.topics_covered,
        key=lambda t: (-executive.interests.get(t, 0) * mentor.expertise.get(t, 0), t),
    )
    return tuple(ranked[:n])


def topic_label(topic: str) -> str:
    """``work_life_balance`` -> ``work life balance``."""
    return topic.replace("_", " ")


def clock_lines(schedule: Schedule, zone_name: str, language: str) -> list[str]:
    """Weeks in which the session shows other local times in ``zone_name`` than usual."""
    tz = ZoneInfo(zone_name)
    first = usual_start(schedule)
    if first is None:
        return []
    usual = span_text(first, schedule.minutes, tz, language)
    shifted: dict[str, list[date]] = {}
    for s in schedule.sessions:
        if s.status == "planned" and s.start is not None:
            text = span_text(s.start, schedule.minutes, tz, language)
            if text != usual:
                shifted.setdefault(text, []).append(s.week)
    return [
        WORDS[language]["clock"].format(
            week=weeks_text(weeks, language, schedule.every), when=when, zone=zone_name
        )
        for when, weeks in shifted.items()
    ]


def exception_lines(schedule: Schedule, zone_name: str, language: str) -> list[str]:
    """Moved sessions (in ``zone_name``'s time) and cancelled weeks."""
    tz = ZoneInfo(zone_name)
    words = WORDS[language]
    lines = [
        words["moved"].format(
            week=weeks_text([s.week], language),
            when=dated_span_text(s.start, schedule.minutes, tz, language),
        )
        for s in schedule.sessions
        if s.status == "moved" and s.start is not None
    ]
    cancelled = [s.week for s in schedule.sessions if s.status == "cancelled"]
    if cancelled:
        lines.append(
            words["cancelled"].format(week=weeks_text(cancelled, language, schedule.every))
        )
    return lines

"""Letters to participants: who, why, when, and the weeks to watch, in their own time.

A letter names only its reader and the reader's partners (their names and
e-mails), never another participant, and holds no score.  Templates are
``string.Template`` text (``$name``); the built-in ones are Markdown files in
``revmatch/handouts/templates`` and may be copied and edited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from .._handout_data import Kind, Letter
from ..exceptions import InvalidInputError
from ..models import Executive, Mentor
from ..result import Pair, Unmatched
from ._context import Context, make_context
from ._schedule import Schedule, schedules
from ._text import (
    LANGUAGES,
    WORDS,
    check_language,
    clock_lines,
    day_text,
    display_name,
    exception_lines,
    person_language,
    span_text,
    top_topics,
    topic_label,
)

if TYPE_CHECKING:
    from ..models import Program
    from ..result import MatchResult


PLACEHOLDERS: Mapping[str, str] = {
    "name": "the reader's name (their id when no name is given)",
    "role": "'executive' or 'mentor', in the letter's language",
    "role_article": "'a' or 'an' before the role (English)",
    "program": "the program's name",
    "partners": "paired: a block per partner with name, e-mail, why, when and weeks to watch",
    "partner_names": "paired: the partners' names, joined",
    "partner_email": "paired: the first partner's e-mail (empty when not given)",
    "topics": "paired: the first pair's top topics",
    "shared_minutes": "paired: the first pair's mean weekly shared minutes",
    "slot": "paired: the first pair's session in the reader's own time, e.g. 'Tue 12:00-13:00'",
    "every": "paired: 'every week' or 'every other week'",
    "first_session, last_session": "paired: dates of the first pair's first and last session",
    "watch": "paired: the first pair's weeks to watch, one '- ' line each ('' when none)",
    "reason": "unmatched: why no partner was found, in general words",
    "next_steps": "unmatched: what happens next",
    "advice": "unmatched: what the reader can do (may be empty)",
}
"""Fields a letter template may use, and what each holds."""

_FIELDS = frozenset(n.strip() for key in PLACEHOLDERS for n in key.split(","))

_ROLE = {
    "en": {"executive": "executive", "mentor": "mentor"},
    "de": {"executive": "Führungskraft", "mentor": "Mentor:in"},
}

_PARTNER_WORDS = {
    "en": {
        "why": "Why this pair",
        "topics": "you share an interest in {topics}",
        "no_topics": "you bring different perspectives to the program's topics",
        "shared": "about {minutes} minutes of shared time a week",
        "when": "When",
        "slot": "{slot} your time ({zone}), {every}, from {first} to {last}",
        "no_slot": "no regular weekly time was found; please agree on one together",
        "watch": "Weeks to watch",
        "steady": "none: the time stays the same all program long",
        "email": "e-mail",
    },
    "de": {
        "why": "Warum dieses Tandem",
        "topics": "gemeinsames Interesse an {topics}",
        "no_topics": "Sie bringen unterschiedliche Blickwinkel auf die Programmthemen mit",
        "shared": "etwa {minutes} Minuten gemeinsame Zeit pro Woche",
        "when": "Wann",
        "slot": "{slot} Ihrer Zeit ({zone}), {every}, vom {first} bis {last}",
        "no_slot": "es wurde keine regelmäßige gemeinsame Zeit gefunden; bitte gemeinsam "
        "einen Termin vereinbaren",
        "watch": "Wochen mit anderer Uhrzeit",
        "steady": "keine: die Uhrzeit bleibt das ganze Programm über gleich",
        "email": "E-Mail",
    },
}

_TIME_CODES = {"min_overlap"}
_LANGUAGE_CODES = {"language"}
_PLACE_CODES = {
    "capacity",
    "not_chosen",
    "no_gain",
    "quota",
    "outranked",
    "no_capacity",
    "no_mentors",
    "no_executives",
}

_UNMATCHED_WORDS = {
    "en": {
        "time": "the weekly times you gave and those of the possible partners overlapped "
        "too little for regular meetings",
        "language": "none of the possible partners shares a language with you",
        "place": "there were more {role}s than places this round",
        "rules": "the program's rules for good pairs left no suitable partner this round",
        "next_executive": "you have priority in the next round, and the program office will "
        "contact you if a place opens up earlier.",
        "next_mentor": "you stay in the pool: the program office will contact you when an "
        "executive joins or a pair opens up, and in the next round.",
        "advice_time": "If you can offer further weekly times, please tell the program "
        "office: that widens the choice most.",
        "advice_language": "If you speak further languages, please tell the program office.",
    },
    "de": {
        "time": "Ihre wöchentlichen Zeiten und die der möglichen Gegenüber überschneiden "
        "sich zu wenig für regelmäßige Treffen",
        "language": "keines der möglichen Gegenüber spricht eine Ihrer Sprachen",
        "place": "es gab in dieser Runde mehr Anmeldungen als Plätze",
        "rules": "die Regeln des Programms für gute Tandems ließen in dieser Runde kein "
        "passendes Gegenüber zu",
        "next_executive": "In der nächsten Runde haben Sie Vorrang, und das Programmbüro "
        "meldet sich, sobald vorher ein Platz frei wird.",
        "next_mentor": "Sie bleiben im Pool: Das Programmbüro meldet sich, wenn eine "
        "Führungskraft hinzukommt oder ein Tandem frei wird, und in der nächsten Runde.",
        "advice_time": "Wenn Sie weitere wöchentliche Zeiten anbieten können, sagen Sie es "
        "bitte dem Programmbüro: Das erweitert die Auswahl am meisten.",
        "advice_language": "Wenn Sie weitere Sprachen sprechen, sagen Sie es bitte dem "
        "Programmbüro.",
    },
}


def _builtin(kind: Kind, language: str) -> str:
    return (files("revmatch.handouts") / "templates" / f"{kind}.{language}.md").read_text(
        encoding="utf-8"
    )


def _read_template(value: str | Path, kind: str) -> tuple[str, str]:
    """Template text and the suffix of letters written from it."""
    if isinstance(value, Path) or ("\n" not in value and "$" not in value):
        path = Path(value)
        if not path.is_file():
            raise InvalidInputError(f"letter template {str(path)!r} ({kind}) is not a file")
        text = path.read_text(encoding="utf-8")
        suffix = ".txt" if path.suffix.lower() == ".txt" else ".md"
    else:
        text, suffix = value, ".md"
    try:
        names = set(Template(text).get_identifiers())
    except ValueError as exc:
        raise InvalidInputError(f"the {kind} letter template cannot be read: {exc}") from None
    unknown = sorted(names - _FIELDS)
    if unknown:
        raise InvalidInputError(
            f"the {kind} letter template uses unknown field(s) "
            f"{', '.join('$' + u for u in unknown)}; known are "
            f"{', '.join('$' + f for f in sorted(_FIELDS))} (write $$ for a dollar sign)"
        )
    return text, suffix


def _templates(
    template: str | Path | Mapping[str, str | Path] | None,
) -> dict[str, tuple[str, str] | None]:
    """Custom template per kind (``None``: built in, by language)."""
    if template is None:
        return {"paired": None, "unmatched": None}
    if isinstance(template, Mapping):
        unknown = sorted(set(template) - {"paired", "unmatched"})
        if unknown:
            raise InvalidInputError(
                f"letter templates are given for 'paired' and 'unmatched'; got {unknown}"
            )
        return {
            kind: _read_template(template[kind], kind) if kind in template else None
            for kind in ("paired", "unmatched")
        }
    both = _read_template(template, "letter")
    return {"paired": both, "unmatched": both}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._") or "x"


def _partner_block(
    ctx: Context,
    reader: Executive | Mentor,
    pair: Pair,
    schedule: Schedule | None,
    language: str,
) -> tuple[str, dict[str, str]]:
    """The Markdown block about one partner, and the fields of that pair."""
    words, pw = WORDS[language], _PARTNER_WORDS[language]
    is_exec = pair.executive_id == reader.id
    partner = ctx.mentors[pair.mentor_id] if is_exec else ctx.executives[pair.executive_id]
    topics = ", ".join(topic_label(t) for t in top_topics(ctx, pair))
    shared = str(round(pair.mean_overlap_minutes))
    why = [pw["topics"].format(topics=topics) if topics else pw["no_topics"]]
    why.append(pw["shared"].format(minutes=shared))
    zone_name = ctx.zone(reader)
    fields = {
        "partner_email": partner.email or "",
        "topics": topics,
        "shared_minutes": shared,
        "slot": "",
        "every": "",
        "first_session": "",
        "last_session": "",
        "watch": "",
    }
    held = schedule.held if schedule is not None else ()
    if schedule is None or not held:
        when = pw["no_slot"]
        watch_lines: list[str] = []
    else:
        tz = ZoneInfo(zone_name)
        usual = next((s.start for s in schedule.sessions if s.status == "planned"), held[0].start)
        assert usual is not None
        assert held[0].start is not None
        assert held[-1].start is not None
        every = words["weekly"] if schedule.every == 1 else words["fortnightly"]
        slot = span_text(usual, schedule.minutes, tz, language)
        first = day_text(held[0].start.astimezone(tz).date(), language)
        last = day_text(held[-1].start.astimezone(tz).date(), language)
        when = pw["slot"].format(slot=slot, zone=zone_name, every=every, first=first, last=last)
        watch_lines = [
            *exception_lines(schedule, zone_name, language),
            *clock_lines(schedule, zone_name, language),
        ]
        fields.update(slot=slot, every=every, first_session=first, last_session=last)
    fields["watch"] = "\n".join(f"- {line}" for line in watch_lines)
    heading = f"## {display_name(partner)}"
    lines = [heading, ""]
    if partner.email:
        lines.append(f"- {pw['email']}: {partner.email}")
    lines.append(f"- {pw['why']}: {'; '.join(why)}")
    lines.append(f"- {pw['when']}: {when}")
    if schedule is not None and held:
        if watch_lines:
            lines.append(f"- {pw['watch']}:")
            lines.extend(f"  - {line}" for line in watch_lines)
        else:
            lines.append(f"- {pw['watch']}: {pw['steady']}")
    return "\n".join(lines), fields


def _unmatched_fields(person: Unmatched, language: str) -> dict[str, str]:
    words = _UNMATCHED_WORDS[language]
    codes = set(person.reason_codes[:1])
    if codes & _TIME_CODES:
        reason, advice = words["time"], words["advice_time"]
    elif codes & _LANGUAGE_CODES:
        reason, advice = words["language"], words["advice_language"]
    elif codes & _PLACE_CODES:
        reason, advice = words["place"].format(role=person.role), ""
    else:
        reason, advice = words["rules"], ""
    return {
        "reason": reason,
        "next_steps": words[f"next_{person.role}"],
        "advice": advice,
    }


def make_letters(
    result: MatchResult,
    template: str | Path | Mapping[str, str | Path] | None = None,
    *,
    program: Program | None = None,
    language: str | None = None,
) -> tuple[Letter, ...]:
    """The letters of a result (see :meth:`revmatch.MatchResult.letters`)."""
    fixed = check_language(language) if language is not None else None
    custom = _templates(template)
    ctx = make_context(result, program, "letters")
    found = schedules(ctx)
    by_person: dict[str, list[tuple[Pair, Schedule | None]]] = {}
    for pair, schedule in zip(result.pairs, found, strict=True):
        by_person.setdefault(pair.executive_id, []).append((pair, schedule))
        by_person.setdefault(pair.mentor_id, []).append((pair, schedule))
    unmatched = {u.id: u for u in result.unmatched}
    name = ctx.program.program.name or "the reverse-mentoring program"
    out: list[Letter] = []
    people: list[tuple[Literal["executive", "mentor"], Executive | Mentor]] = [
        *(("executive", e) for e in sorted(ctx.program.executives, key=lambda p: p.id)),
        *(("mentor", m) for m in sorted(ctx.program.mentors, key=lambda p: p.id)),
    ]
    for role, person in people:
        lang = fixed or person_language(person)
        assert lang in LANGUAGES
        fields = dict.fromkeys(_FIELDS, "")
        fields.update(
            name=display_name(person),
            role=_ROLE[lang][role],
            role_article="an" if role == "executive" else "a",
            program=name,
        )
        pairs = by_person.get(person.id, [])
        kind: Kind = "paired" if pairs else "unmatched"
        partners: tuple[str, ...] = ()
        if pairs:
            blocks = []
            for k, (pair, schedule) in enumerate(pairs):
                block, pair_fields = _partner_block(ctx, person, pair, schedule, lang)
                blocks.append(block)
                if k == 0:
                    fields.update(pair_fields)
            partners = tuple(
                p.mentor_id if p.executive_id == person.id else p.executive_id for p, _ in pairs
            )
            fields["partners"] = "\n\n".join(blocks)
            fields["partner_names"] = ", ".join(display_name(ctx.person(pid)) for pid in partners)
        else:
            reasons = unmatched.get(person.id) or Unmatched(person.id, role, {}, "")
            fields.update(_unmatched_fields(reasons, lang))
        chosen = custom[kind]
        text, suffix = chosen if chosen is not None else (_builtin(kind, lang), ".md")
        body = Template(text).substitute(fields)
        body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
        out.append(
            Letter(
                person_id=person.id,
                role=role,
                kind=kind,
                language=lang,
                partners=partners,
                email=person.email,
                text=body,
                filename=f"{role}-{_slug(person.id)}{suffix}",
            )
        )
    return tuple(out)


def write_letters(
    result: MatchResult,
    directory: str | Path,
    template: str | Path | Mapping[str, str | Path] | None = None,
    language: str | None = None,
    *,
    program: Program | None = None,
) -> list[Path]:
    """Write one letter per participant into ``directory``; return the paths.

    See :meth:`revmatch.MatchResult.letters`. File names are
    ``executive-<id>.md`` and ``mentor-<id>.md`` (``.txt`` from a ``.txt``
    template); an ``index.tsv`` lists each file with the reader's id, role,
    kind, language and e-mail, for a mail merge.

    Examples
    --------
    >>> import tempfile, revmatch as rm
    >>> from revmatch.handouts import write_letters
    >>> result = rm.match(rm.datasets.make_program(n_executives=3, n_mentors=4, seed=1))
    >>> [p.name for p in write_letters(result, tempfile.mkdtemp())][-1]
    'index.tsv'
    """
    letters = make_letters(result, template, program=program, language=language)
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    taken: set[str] = set()
    rows = ["file\tperson_id\trole\tkind\tlanguage\temail"]
    for letter in letters:
        name = letter.filename
        stem, dot, suffix = name.rpartition(".")
        k = 1
        while name.lower() in taken:
            k += 1
            name = f"{stem}-{k}{dot}{suffix}"
        taken.add(name.lower())
        path = target / name
        path.write_text(letter.text, encoding="utf-8")
        paths.append(path)
        rows.append(
            "\t".join(
                [
                    name,
                    letter.person_id,
                    letter.role,
                    letter.kind,
                    letter.language,
                    letter.email or "",
                ]
            )
        )
    index = target / "index.tsv"
    index.write_text("\n".join(rows) + "\n", encoding="utf-8")
    paths.append(index)
    return paths


__all__ = ["PLACEHOLDERS", "Letter", "make_letters", "write_letters"]

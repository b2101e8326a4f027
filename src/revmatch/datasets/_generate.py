"""The generator: :func:`make_program` and the order in which it draws a program."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from revmatch.models import Executive, Mentor, OrgEntry, Program, ProgramInfo

from ._args import arg_problem, capacity_range, check_integer, topic_names, zone_list
from ._calendar import Availability
from ._draw import (
    emails,
    expertise_levels,
    ids,
    interest_levels,
    level_dicts,
    normalised,
    places,
    topic_tables,
    wishes,
)
from ._org import org_chart
from ._tables import tables

__all__ = ["PROGRAM_START", "make_program"]

PROGRAM_START = date(2027, 1, 11)
"""First day (a Monday) of every synthetic program."""

_MAX_WEEKS = 520

_MODES = ("hybrid", "onsite", "remote")
_EXEC_MODE_P = (0.86, 0.07, 0.07)
_MENTOR_MODE_P = (0.80, 0.05, 0.15)
_MENTOR_GRADES = (2, 3, 4, 5)
_MENTOR_GRADE_P = (0.25, 0.35, 0.25, 0.15)

# How many weekly patterns executives and mentors hold (1, 2, 3): executives'
# calendars are full, younger staff are more flexible.
_EXEC_PATTERNS_P = (0.4, 0.6)
_MENTOR_PATTERNS_P = (0.0, 0.6, 0.4)


def make_program(
    n_executives: int = 40,
    n_mentors: int = 60,
    seed: int | None = 0,
    *,
    n_topics: int | None = None,
    weeks: int = 26,
    capacity: int | tuple[int, int] = 1,
    zones: Sequence[str] | None = None,
    name: str = "Synthetic program",
) -> Program:
    """Build a realistic synthetic reverse-mentoring program.

    The program imitates the HR export of a company headquartered in
    Germany, so that matching it shows the effects of real data:

    - **Org chart.** A chief executive (``x-0001``, outside the program)
      heads the divisions Finance, IT, Marketing, HR, Operations, Sales,
      Legal, R&D, Communications, Strategy and Customer Service. A division's
      executives form a tree with up to three executives reporting to each:
      its head has grade 10, the next level 9, deeper levels 8. Mentors
      (grades 2-5) report to an executive of their division, to a unit head
      below that executive, or to a team lead below a unit head; unit heads
      and team leads are ``org`` entries. Every executive above a mentor is
      in the mentor's reporting chain, which excludes a minority of pairs
      (about 4 % at the default size). Customer Service has no executive in
      the program: its mentors report through an outside director.
    - **Places.** About 70 % of people work in Europe/Berlin (Munich, Berlin,
      Frankfurt, Hamburg), the others in London, New York, Paris, Bangalore
      or Pune, Singapore and Zurich. Languages follow the zone (``de`` and
      ``en`` in Germany, ``en`` in London, ...); part of the executives in
      Germany speak German only. Most people work hybrid, some on site or
      remote. Names come from small built-in lists per region.
    - **Topics.** Mentors' expertise (levels 1-5; 0 is left out) follows
      their department (IT and Marketing are strong in ``digital`` and
      ``social_media``, HR in ``diversity`` and ``work_life_balance``, ...)
      plus a personal aptitude. Executives wish 1-4 topics, mostly 2-3, with
      priorities falling from 5, tilted towards what their own department
      lacks.
    - **Time.** Availability comes from 38 weekly patterns in groups (long
      lunches such as ``Tue 12:00-14:00``, early 07:30-09:00 and late
      17:00-18:30 slots, office hours, broad offers, fortnightly slots),
      each moved to other weekdays, sometimes shifted by half an hour or
      turned fortnightly. Executives hold one or two patterns, mentors two
      or three.
    - **Wishes.** A few people block or prefer someone on the other side.

    With the default :class:`~revmatch.models.MatchConfig`, a
    ``make_program(40, 60)`` program has about a quarter to a third of its
    pairs feasible; nearly every executive can be matched. Too little shared
    time (``min_overlap``, mostly across time zones) is the most common
    reason a pair is ruled out, followed by ``language``, ``location`` and
    ``reporting_chain``.

    Parameters
    ----------
    n_executives, n_mentors : int
        Number of executives and mentors (>= 0; empty pools are allowed).
    seed : int or None
        Seed (>= 0) of :func:`numpy.random.default_rng`: the same seed and
        arguments give an equal program. ``None`` draws fresh entropy.
    n_topics : int, optional
        Size of the topic vocabulary (>= 1). ``None`` uses
        :data:`~revmatch.models.DEFAULT_TOPICS`; a smaller number keeps the
        first ``n_topics`` of them, a larger one adds ``"topic_06"``,
        ``"topic_07"``, ... whose department affinities are drawn from the
        seed.
    weeks : int
        Program length in weeks (1..520). The program starts on Monday
        :data:`PROGRAM_START` (2027-01-11) and ends on the Friday of its
        last week.
    capacity : int or (int, int)
        Executives per mentor (>= 0): fixed, or drawn uniformly from the
        inclusive range ``(low, high)``.
    zones : sequence of str, optional
        IANA time zones to use. ``None`` uses the default mix above. Given
        zones: the first holds about 70 % of people, the others share the
        rest equally; a zone without a built-in profile gets English, names
        from every region and a city named after the zone.
    name : str
        Program name.

    Returns
    -------
    Program
        Executives ``"e-0001"``, ..., mentors ``"m-0001"``, ... and org
        entries ``"x-0001"``, ... (zero-padded to four digits, or more when
        needed). The program's default time zone is the first zone.

    Raises
    ------
    InvalidInputError
        If an argument has the wrong type or is out of range; the problem
        names the argument.

    See Also
    --------
    revmatch.models.Program : the data model built here.

    Notes
    -----
    Every random draw is vectorised with numpy and taken from one generator
    in a fixed order, so programs of different sizes are unrelated: the
    first 40 executives of ``make_program(80, 60)`` are not those of
    ``make_program(40, 60)``. The time is dominated by validating the
    pydantic records (some 30-40 µs per person, org entries included):
    ``make_program(2000, 2000)`` takes about 0.2 s on one core. Every record
    stays alive, so in larger programs Python's cyclic garbage collector,
    walking the growing set of records again and again, takes a quarter to
    a third of the time: ``make_program(20000, 40000)`` takes about 7 s.
    ``make_program(20000, 200000, n_topics=10)`` needs about 0.8 GB.

    Examples
    --------
    >>> from revmatch.datasets import make_program
    >>> program = make_program(n_executives=4, n_mentors=6, seed=1)
    >>> len(program.executives), len(program.mentors)
    (4, 6)
    >>> program.executives[0].id, program.mentors[-1].id
    ('e-0001', 'm-0006')
    >>> program.start.isoformat(), program.end.isoformat()
    ('2027-01-11', '2027-07-09')
    >>> program.topics
    ('digital', 'social_media', 'diversity', 'work_ethic', 'work_life_balance')
    >>> make_program(4, 6, seed=1) == program
    True
    >>> make_program(2, 3, n_topics=7).topics[-2:]
    ('topic_06', 'topic_07')
    >>> sorted({m.capacity for m in make_program(0, 50, capacity=(1, 3)).mentors})
    [1, 2, 3]
    """
    n_exec = check_integer(n_executives, "n_executives", 0)
    n_ment = check_integer(n_mentors, "n_mentors", 0)
    if seed is not None:
        seed = check_integer(seed, "seed", 0)
    topics = topic_names(n_topics)
    n_weeks = check_integer(weeks, "weeks", 1, _MAX_WEEKS)
    cap_low, cap_high = capacity_range(capacity)
    zone_names = zone_list(zones)
    if not isinstance(name, str):
        raise arg_problem(
            "name", f"The 'name' must be a string. Got {type(name).__name__}.", "a str"
        )
    info = ProgramInfo(
        name=name,
        start=PROGRAM_START,
        end=PROGRAM_START + timedelta(weeks=n_weeks, days=-3),
        topics=topics,
        timezone=zone_names[0],
    )
    return _generate(
        np.random.default_rng(seed),
        n_exec,
        n_ment,
        info,
        capacity=(cap_low, cap_high),
        zones=zone_names,
        default_mix=zones is None,
    )


def _generate(
    rng: np.random.Generator,
    n_exec: int,
    n_ment: int,
    info: ProgramInfo,
    *,
    capacity: tuple[int, int],
    zones: tuple[str, ...],
    default_mix: bool,
) -> Program:
    """Draw the people of a program; see :func:`make_program` for the model."""
    topics = info.topics
    departments = tables().departments
    dept_names = [d.name for d in departments]
    affinity, wish = topic_tables(rng, len(topics))
    exec_dept = rng.choice(
        len(departments), size=n_exec, p=normalised([d.exec_share for d in departments])
    )
    ment_dept = rng.choice(
        len(departments), size=n_ment, p=normalised([d.mentor_share for d in departments])
    )
    exec_ids, ment_ids = ids("e", n_exec), ids("m", n_ment)
    chart = org_chart(rng, exec_dept, ment_dept, exec_ids)

    exec_grade = (10 - np.minimum(chart.exec_depth, 2)).tolist()
    ment_grade = rng.choice(_MENTOR_GRADES, size=n_ment, p=_MENTOR_GRADE_P)
    exec_mode = rng.choice(len(_MODES), size=n_exec, p=_EXEC_MODE_P).tolist()
    ment_mode = rng.choice(len(_MODES), size=n_ment, p=_MENTOR_MODE_P).tolist()
    exec_places = places(rng, n_exec, zones, default_mix, "executive")
    ment_places = places(rng, n_ment, zones, default_mix, "mentor")
    doctor = (rng.random(n_exec) < 0.15).tolist()
    interests = level_dicts(interest_levels(rng, wish, exec_dept), topics)
    expertise = level_dicts(expertise_levels(rng, affinity, ment_dept, ment_grade), topics)
    calendar = Availability()
    exec_slots = calendar.draw(rng, n_exec, _EXEC_PATTERNS_P)
    ment_slots = calendar.draw(rng, n_ment, _MENTOR_PATTERNS_P)
    ment_capacity = rng.integers(capacity[0], capacity[1] + 1, size=n_ment).tolist()
    exec_wishes = wishes(rng, n_exec, ment_ids, (0.04, 0.06, 2))
    ment_wishes = wishes(rng, n_ment, exec_ids, (0.02, 0.03, 1))
    taken: dict[str, int] = {}
    exec_email = emails(exec_places, taken)
    ment_email = emails(ment_places, taken)
    exec_dept_list, ment_dept_list = exec_dept.tolist(), ment_dept.tolist()
    ment_grade_list = ment_grade.tolist()

    executives = [
        Executive(
            id=exec_ids[i],
            name=("Dr. " if doctor[i] else "") + f"{exec_places.first[i]} {exec_places.last[i]}",
            email=exec_email[i],
            department=dept_names[exec_dept_list[i]],
            manager_id=chart.exec_manager[i],
            timezone=exec_places.zone[i],
            languages=exec_places.languages[i],
            location=exec_places.city[i],
            mode=_MODES[exec_mode[i]],
            grade=exec_grade[i],
            availability=exec_slots[i],
            interests=interests[i],
            **exec_wishes[i],
        )
        for i in range(n_exec)
    ]
    mentors = [
        Mentor(
            id=ment_ids[i],
            name=f"{ment_places.first[i]} {ment_places.last[i]}",
            email=ment_email[i],
            department=dept_names[ment_dept_list[i]],
            manager_id=chart.mentor_manager[i],
            timezone=ment_places.zone[i],
            languages=ment_places.languages[i],
            location=ment_places.city[i],
            mode=_MODES[ment_mode[i]],
            grade=ment_grade_list[i],
            availability=ment_slots[i],
            expertise=expertise[i],
            capacity=ment_capacity[i],
            **ment_wishes[i],
        )
        for i in range(n_ment)
    ]
    org = [OrgEntry(id=oid, manager_id=boss) for oid, boss in chart.org]
    return Program(program=info, mentors=mentors, executives=executives, org=org)

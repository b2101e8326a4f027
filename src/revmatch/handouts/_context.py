"""What every handout needs besides the result: the people, their zones and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..exceptions import InvalidInputError
from ..models import Executive, MatchConfig, Mentor, Program

if TYPE_CHECKING:
    from ..result import MatchResult


@dataclass(frozen=True)
class Context:
    """A result with the program and settings it was solved from."""

    result: MatchResult
    program: Program
    config: MatchConfig
    executives: dict[str, Executive]
    mentors: dict[str, Mentor]

    def person(self, person_id: str) -> Executive | Mentor:
        """The executive or mentor with this id."""
        return self.executives.get(person_id) or self.mentors[person_id]

    def zone(self, person: Executive | Mentor) -> str:
        """The person's time zone (the program's when they give none)."""
        return self.program.timezone_of(person)


def make_context(result: MatchResult, program: Program | None, caller: str) -> Context:
    """Join ``result`` with its program and settings.

    The program comes from ``program`` or else from the result; a result read
    from JSON has none, so it must be passed.  The
    settings come from the score matrix or the audit record.

    Raises
    ------
    InvalidInputError
        If no program is known, or the program does not hold everyone of the
        result.
    """
    if program is None:
        if result.program is None:
            raise InvalidInputError(
                f"{caller}() needs the program this result was matched from (names, e-mails, "
                "time zones and availability): pass program=... (a result read from JSON or "
                "solved in candidate mode does not hold it)"
            )
        program = result.program
    if result.scores is not None:
        config = result.scores.config
    else:
        settings = result.audit.get("config")
        config = (
            MatchConfig.model_validate(settings) if isinstance(settings, dict) else MatchConfig()
        )
    executives = {e.id: e for e in program.executives}
    mentors = {m.id: m for m in program.mentors}
    missing = sorted(
        {p.executive_id for p in result.pairs if p.executive_id not in executives}
        | {p.mentor_id for p in result.pairs if p.mentor_id not in mentors}
        | {u.id for u in result.unmatched if u.id not in executives and u.id not in mentors}
    )
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise InvalidInputError(
            f"the program passed to {caller}() does not hold {len(missing)} people of the "
            f"result ({shown}); pass the program the result was matched from"
        )
    return Context(result, program, config, executives, mentors)

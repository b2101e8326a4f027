"""The data model: frozen pydantic models for people, programs and settings.

Every model is frozen and forbids unknown fields. Constructing a
:class:`Program` checks each record *and* the program as a whole (unique ids,
known topics, valid time zones, an acyclic org chart) and reports every
problem at once as an :class:`~revmatch.exceptions.InvalidInputError` naming
the record, the field and what was expected.

The helpers below ``__all__`` serve the rest of revmatch (readers, cohorts,
rounds): whole-program checks, located validation errors, org-chart cuts.
"""

from ._base import check_timezone as check_timezone
from ._base import problems_from_validation_error as problems_from_validation_error
from ._base import record_label as record_label
from ._base import unknown_components as unknown_components
from ._config import MatchConfig
from ._constants import COMPONENTS, DEFAULT_TOPICS, DEFAULT_WEIGHTS, REASONS
from ._constants import MAX_CAPACITY as MAX_CAPACITY
from ._constants import MAX_ID_LENGTH as MAX_ID_LENGTH
from ._constants import MAX_PROGRAM_DAYS as MAX_PROGRAM_DAYS
from ._constants import MAX_WEIGHT as MAX_WEIGHT
from ._fit import FitResult
from ._program import Program
from ._program import check_program as check_program
from ._program import collect_problems as collect_problems
from ._program import cut_program as cut_program
from ._program import dotted_lines as dotted_lines
from ._program import reporting_lines as reporting_lines
from ._program import use_pandas_reader as use_pandas_reader
from ._quotas import ATTRIBUTES as ATTRIBUTES
from ._quotas import GroupQuota, PersonGroup
from ._quotas import parse_quota as parse_quota
from ._records import Executive, HistoryEntry, Mentor, OrgEntry, PinnedPair, ProgramInfo

__all__ = [
    "COMPONENTS",
    "DEFAULT_TOPICS",
    "DEFAULT_WEIGHTS",
    "REASONS",
    "Executive",
    "FitResult",
    "GroupQuota",
    "HistoryEntry",
    "MatchConfig",
    "Mentor",
    "OrgEntry",
    "PersonGroup",
    "PinnedPair",
    "Program",
    "ProgramInfo",
]

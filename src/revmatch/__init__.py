"""revmatch: explainable, exact pairing of mentors and executives.

revmatch pairs mentors (younger employees) with executives for
reverse-mentoring programs: it validates the data, scores every pair by topic
fit and DST-aware shared time, forbids pairs that would hurt the program (a
mentor inside the executive's own reporting chain above all), solves the
assignment exactly and explains every pair and every unmatched person.

Examples
--------
>>> import revmatch as rm
>>> program = rm.datasets.make_program(n_executives=8, n_mentors=12, seed=0)
>>> result = rm.match(program)
>>> result.metrics["n_executives"]
8
"""

import logging
from importlib.metadata import PackageNotFoundError, version

# explain, handouts and lifecycle provide MatchResult's methods explain, to_ics, to_html,
# letters and close when imported (see revmatch.result), so they are imported here.
from . import datasets
from . import explain as explain
from . import handouts as handouts
from ._pipeline.compile import ProgramArrays
from ._pipeline.scoring import ComponentFn, ScoreMatrix, score
from ._progress import Progress, ProgressBar
from .alternatives import Alternatives, alternatives
from .exceptions import (
    InfeasibleError,
    InvalidInputError,
    Problem,
    QuotaInfeasibleError,
    RevmatchError,
)
from .explain import QuotaEffect, QuotaReport, explain_quotas
from .io import read_program
from .learn import fit_weights
from .lifecycle import (
    Change,
    ChangeReport,
    Comparison,
    PairDiff,
    SweepResult,
    close_pair,
    compare,
    next_round,
    rematch,
    rematch_changes,
    remove_people,
    sweep,
)
from .matching import match
from .models import (
    COMPONENTS,
    DEFAULT_TOPICS,
    DEFAULT_WEIGHTS,
    REASONS,
    Executive,
    FitResult,
    GroupQuota,
    HistoryEntry,
    MatchConfig,
    Mentor,
    OrgEntry,
    PersonGroup,
    PinnedPair,
    Program,
    ProgramInfo,
)
from .plot import plot_pairs, plot_scores
from .quality import data_quality
from .relax import Relaxation
from .result import Alternative, Explanation, MatchResult, Meeting, Pair, Unmatched
from .scale import CohortFailure, match_many, split_by
from .solvers import Assignment, blocking_pairs, solve, stable_match
from .suggest import Shortlist, Suggestion, Suggestions, suggest

# Library logging: silent unless the application configures "revmatch".
# Log records carry counts, ids and timings only, never names or free text.
logging.getLogger("revmatch").addHandler(logging.NullHandler())

try:
    __version__ = version("revmatch")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "COMPONENTS",
    "DEFAULT_TOPICS",
    "DEFAULT_WEIGHTS",
    "REASONS",
    "Alternative",
    "Alternatives",
    "Assignment",
    "Change",
    "ChangeReport",
    "CohortFailure",
    "Comparison",
    "ComponentFn",
    "Executive",
    "Explanation",
    "FitResult",
    "GroupQuota",
    "HistoryEntry",
    "InfeasibleError",
    "InvalidInputError",
    "MatchConfig",
    "MatchResult",
    "Meeting",
    "Mentor",
    "OrgEntry",
    "Pair",
    "PairDiff",
    "PersonGroup",
    "PinnedPair",
    "Problem",
    "Program",
    "ProgramArrays",
    "ProgramInfo",
    "Progress",
    "ProgressBar",
    "QuotaEffect",
    "QuotaInfeasibleError",
    "QuotaReport",
    "Relaxation",
    "RevmatchError",
    "ScoreMatrix",
    "Shortlist",
    "Suggestion",
    "Suggestions",
    "SweepResult",
    "Unmatched",
    "__version__",
    "alternatives",
    "blocking_pairs",
    "close_pair",
    "compare",
    "data_quality",
    "datasets",
    "explain_quotas",
    "fit_weights",
    "match",
    "match_many",
    "next_round",
    "plot_pairs",
    "plot_scores",
    "read_program",
    "rematch",
    "rematch_changes",
    "remove_people",
    "score",
    "solve",
    "split_by",
    "stable_match",
    "suggest",
    "sweep",
]

"""The program's life: rounds, leavers, closures, least-disruption re-matching, what-if.

Reverse-mentoring programs run for months. Pairs close early, mentors change
jobs, new executives join, and the next cohort must not repeat old pairs. Each
of these everyday operations is one call here, with the guarantees of a fresh
:func:`~revmatch.matching.match` (nothing lost, forbidden stays forbidden,
proven optimum):

======================  ======================================================
:func:`next_round`      start the next round: the result's pairs go to
                        ``history`` (so they are never repeated by default) and
                        the executives left unmatched get ``priority``
:func:`remove_people`   people leave; their reporting lines stay in ``org``, so
                        no reporting chain through them is lost
:func:`close_pair`      a pair ends early; it goes to ``history``
:func:`rematch`         after people leave, join or change: keep every pair that
                        still works unless moving it gains more than the
                        switching cost, re-pair the rest, report the changes
:func:`compare`         pairs added, removed, changed and the metric deltas of
                        two results
:func:`sweep`           metrics of many settings, compiling and scoring once
======================  ======================================================

Everything takes and returns values: programs and results are never changed
in place.

Modules: :mod:`~revmatch.lifecycle._rounds` (rounds, leavers, closures),
:mod:`~revmatch.lifecycle._rematch` and :mod:`~revmatch.lifecycle._changes`
(re-matching and its change report), :mod:`~revmatch.lifecycle._compare`,
:mod:`~revmatch.lifecycle._sweep`; :mod:`~revmatch.lifecycle._common` reads
inputs and results. Every optimisation goes through :mod:`revmatch.solvers`.
"""

from revmatch._pipeline.rules import force_pinned
from revmatch.lifecycle._changes import MOVE_REASONS, Change, ChangeReport, rematch_changes
from revmatch.lifecycle._common import result_config
from revmatch.lifecycle._compare import Comparison, PairDiff, compare
from revmatch.lifecycle._rematch import rematch
from revmatch.lifecycle._rounds import close_pair, current_round, next_round, remove_people
from revmatch.lifecycle._sweep import FIELD_STAGE, SWEEP_METRICS, SweepResult, sweep

__all__ = [
    "FIELD_STAGE",
    "MOVE_REASONS",
    "SWEEP_METRICS",
    "Change",
    "ChangeReport",
    "Comparison",
    "PairDiff",
    "SweepResult",
    "close_pair",
    "compare",
    "current_round",
    "force_pinned",
    "next_round",
    "rematch",
    "rematch_changes",
    "remove_people",
    "result_config",
    "sweep",
]

#: The name :data:`FIELD_STAGE` had as a private constant of the one-file module.
_FIELD_STAGE = FIELD_STAGE

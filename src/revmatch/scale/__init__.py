"""Large programs: candidate graphs with a proof of optimality, and many cohorts at once.

One large program
-----------------
:func:`match_candidates` is what :func:`revmatch.match` runs when
``MatchConfig.candidates`` is set. Every executive keeps its ``k`` best
allowed mentors, found by walking the mentors in decreasing order of an upper
bound of the pair's score (:mod:`revmatch.scale._candidates`), so that most of
the ``n_executives x n_mentors`` pairs are never scored. The candidate graph
is solved exactly, and linear-programming duality proves the result optimal
for the *full* problem; executives for which the first proof does not go
through get longer lists and the graph is solved again
(:mod:`revmatch.scale._certify`). The audit record says what happened:
``result.audit["candidates"]`` holds ``certified`` (always True), ``k``, the
rounds, the candidate, bounded and evaluated pairs and the executives widened.

The result means what the dense result means, with two exceptions that follow
from never building the dense matrix:

- unmatched **mentors** get exact counts for every rule except
  ``min_overlap``, plus the code ``outranked``: the number of executives that
  pass every rule checked before shared time, each of which the certified
  optimum serves at least as well with its own partner(s);
- ``metrics["blocking_pairs"]`` is None (the stability audit compares every
  pair), and ``result.scores`` is None.

Many programs
-------------
:func:`match_many` matches independent cohorts on any
:class:`concurrent.futures.Executor` (threads, processes, or Dask's
``distributed.Client(...).get_executor()``), in input order, reporting a
failing cohort as a :class:`CohortFailure` without losing the others.
:func:`process_pool` starts worker processes for it once, each with one BLAS
thread. :func:`split_by` cuts one program into cohorts by department, location, time
zone or time-zone region.
"""

from revmatch.scale._many import (
    BLAS_THREAD_VARIABLES,
    CHUNK_PAIRS,
    DASK_CONFIG,
    MIN_CHUNKS,
    SPLIT_FIELDS,
    TAPER,
    CohortError,
    CohortFailure,
    match_many,
    process_pool,
    split_by,
)
from revmatch.scale._match import (
    AUTO_DENSE_PAIRS,
    AUTO_MIN_PAIRS,
    AUTO_MIN_RATIO,
    CANDIDATE_OBJECTIVES,
    DEFAULT_K,
    candidate_k,
    match_candidates,
)
from revmatch.scale._match import match_program as match_program
from revmatch.scale._result import OUTRANKED

__all__ = [
    "AUTO_DENSE_PAIRS",
    "AUTO_MIN_PAIRS",
    "AUTO_MIN_RATIO",
    "BLAS_THREAD_VARIABLES",
    "CANDIDATE_OBJECTIVES",
    "CHUNK_PAIRS",
    "DASK_CONFIG",
    "DEFAULT_K",
    "MIN_CHUNKS",
    "OUTRANKED",
    "SPLIT_FIELDS",
    "TAPER",
    "CohortError",
    "CohortFailure",
    "candidate_k",
    "match_candidates",
    "match_many",
    "process_pool",
    "split_by",
]

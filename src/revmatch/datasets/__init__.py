"""Realistic synthetic reverse-mentoring programs.

:func:`make_program` builds a :class:`~revmatch.models.Program` that looks like
the HR export of a company headquartered in Germany: executives head
divisions, mentors sit a few levels below them, most people share one time
zone, and topic wishes and skills follow the departments people work in. It is
the embedded data set of the examples, the command-line demo and the
benchmarks, so it is deterministic for a given seed and scales to hundreds of
thousands of people.

:func:`make_feedback` adds rated pairs of an earlier round, drawn from known
true weights, to check :func:`revmatch.fit_weights` against the truth.

The built-in tables (time zones, names, departments, calendar patterns) are
data files under ``revmatch/datasets/data``, read once on first use.

Examples
--------
>>> from revmatch.datasets import make_program
>>> program = make_program(n_executives=4, n_mentors=6, seed=1)
>>> len(program.executives), len(program.mentors), program.org[0].id
(4, 6, 'x-0001')
"""

from ._feedback import TRUE_WEIGHTS, make_feedback
from ._generate import PROGRAM_START, make_program

__all__ = ["PROGRAM_START", "TRUE_WEIGHTS", "make_feedback", "make_program"]

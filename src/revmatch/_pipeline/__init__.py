"""The one matching pipeline: prepare → score → assign → report.

Every entry point (:func:`revmatch.match`, candidate mode in
:mod:`revmatch.scale`, :func:`revmatch.suggest`, re-matching) runs these
stages and differs only in what it asks of each:

- :mod:`~revmatch._pipeline.prepare` validates the inputs and compiles the
  program to arrays, timing both;
- :mod:`~revmatch._pipeline.score` names what assignment and reporting need
  of scores (:class:`~revmatch._pipeline.score.Scores`), for the dense
  :class:`~revmatch._pipeline.scoring.ScoreMatrix` and the candidate-pair scorer alike;
- :mod:`~revmatch._pipeline.assign` is the one home of pins, places per
  executive, topic groups and bonuses, and calls :func:`revmatch.solvers.solve`;
- :mod:`~revmatch._pipeline.report` turns chosen pairs into a
  :class:`~revmatch.result.MatchResult` with metrics and the audit record;
- :mod:`~revmatch._pipeline.run` strings the dense stages together.

Import from the stage modules; this package file re-exports nothing, so a
stage never imports the stages above it.
"""

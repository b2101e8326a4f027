"""Hypothesis strategies and independent oracles shared by the test suite.

- :mod:`tests.strategies.programs`: people, programs and settings.
- :mod:`tests.strategies.matrices`: weight matrices, solver instances, markets.
- :mod:`tests.strategies.time`: weekly slots, zones and program weeks near clock changes.
- :mod:`tests.strategies.oracles`: answers computed from definitions, without
  revmatch's own machinery (brute-force optimum, reporting chains, zoneinfo weeks).
"""

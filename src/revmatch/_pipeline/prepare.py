"""Pipeline stage 1: validate the inputs and compile the program, timing both."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from revmatch._pipeline.compile import ProgramArrays, compile_program
from revmatch.models import MatchConfig, Program

__all__ = ["Clock", "Prepared", "as_config", "as_program", "compiled", "prepare"]


def as_program(program: Program | Mapping[str, Any]) -> Program:
    """The program itself, or canonical program data validated as a :class:`Program`.

    Raises
    ------
    InvalidInputError
        If the data is not a valid program.
    """
    return program if isinstance(program, Program) else Program.model_validate(program)


def as_config(config: MatchConfig | Mapping[str, Any] | None) -> MatchConfig:
    """The config itself, ``MatchConfig()`` for None, or a mapping validated as one.

    Raises
    ------
    InvalidInputError
        If the mapping is not a valid config.
    """
    if config is None:
        return MatchConfig()
    if isinstance(config, MatchConfig):
        return config
    return MatchConfig.model_validate(config)


@dataclass
class Clock:
    """Stage timings of one job, for the audit record.

    Attributes
    ----------
    start : float
        ``perf_counter()`` when the job started.
    timings : dict of str to float
        Seconds per stage, in the order the stages ran.
    """

    start: float = field(default_factory=perf_counter)
    timings: dict[str, float] = field(default_factory=dict)

    def stop(self, stage: str, since: float) -> None:
        """Record ``stage`` as having run from ``since`` until now."""
        self.timings[stage] = perf_counter() - since


@dataclass(frozen=True)
class Prepared:
    """A validated program beside its arrays: the context every later stage gets.

    The pydantic program stays here, next to the arrays and never inside
    them, for what only reporting needs (the input digest, warnings, names).

    Attributes
    ----------
    program : Program
        The validated program.
    config : MatchConfig
        The validated settings.
    arrays : ProgramArrays
        The compiled program.
    clock : Clock
        Timings so far (``validate``, ``compile``).
    """

    program: Program
    config: MatchConfig
    arrays: ProgramArrays
    clock: Clock


def prepare(
    program: Program | Mapping[str, Any],
    config: MatchConfig | Mapping[str, Any] | None = None,
    *,
    clock: Clock | None = None,
) -> Prepared:
    """Validate ``program`` and ``config`` and compile the program to arrays.

    Parameters
    ----------
    program : Program or mapping
        The validated program, or canonical data to validate.
    config : MatchConfig or mapping, optional
        Settings; ``MatchConfig()`` by default.
    clock : Clock, optional
        A clock started earlier; a new one starts now otherwise.

    Returns
    -------
    Prepared
        Program, config, arrays and the ``validate`` and ``compile`` timings.

    Raises
    ------
    InvalidInputError
        If the program or config is invalid.
    """
    clock = clock or Clock()
    t = perf_counter()
    program, config = as_program(program), as_config(config)
    clock.stop("validate", t)
    return compiled(program, config, clock)


def compiled(program: Program, config: MatchConfig, clock: Clock) -> Prepared:
    """Compile an already validated program (the ``compile`` stage of :func:`prepare`)."""
    t = perf_counter()
    arrays = compile_program(program, config)
    clock.stop("compile", t)
    return Prepared(program, config, arrays, clock)

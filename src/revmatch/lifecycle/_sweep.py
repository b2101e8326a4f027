"""What-if over many settings: :func:`sweep` and :class:`SweepResult`.

Compiling and scoring are shared between settings: each stage is redone only
for settings whose fields of that stage differ (:data:`FIELD_STAGE`).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from revmatch._pipeline.assign import (
    solve_scores,
)
from revmatch._pipeline.compile import ProgramArrays, compile_program
from revmatch._pipeline.report import assignment_stats
from revmatch._pipeline.rules import reason_block
from revmatch._pipeline.scoring import (
    ComponentFn,
    ScoreMatrix,
    absent_pairs,
    active_weights,
    block_rows,
    component_block,
    missing_inputs,
    present_factor,
    renormalise,
)
from revmatch._progress import Progress
from revmatch.availability import block_overlaps
from revmatch.exceptions import InvalidInputError, Problem
from revmatch.lifecycle._common import as_config, as_program, frame
from revmatch.models import MatchConfig, Program

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FIELD_STAGE", "SWEEP_METRICS", "SweepResult", "sweep"]


#: Which stage of a match reads each MatchConfig field. A sweep redoes a stage
#: only for settings whose fields of that stage differ.
FIELD_STAGE: Mapping[str, str] = {
    "preferred_window": "compile",
    "topic_weights": "components",
    "session_minutes": "components",
    "seniority_span": "components",
    "min_overlap_minutes": "rules",
    "require_shared_language": "rules",
    "exclude_same_department": "rules",
    "exclude_skip_level": "rules",
    "min_grade_gap": "rules",
    "allow_repeats": "rules",
    "weights": "total",
    "score_decimals": "total",
    "missing": "total",
    "objective": "solve",
    "method": "solve",
    "mentors_per_executive": "solve",
    "strict": "solve",
    "priority_bonus": "solve",
    "repeat_bonus": "solve",
    "switching_cost": "solve",
    "candidates": "solve",
    "quotas": "solve",
    "group_by": "solve",
    # Where the weights came from (MatchConfig.from_fit): only echoed in the audit.
    "fit": "solve",
}

#: Config fields each built-in component reads (all others read none).
_COMPONENT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "topic": ("topic_weights",),
    "availability": ("session_minutes",),
    "window": ("session_minutes",),
    "seniority": ("seniority_span",),
}

_RULE_FIELDS = tuple(name for name, stage in FIELD_STAGE.items() if stage == "rules")

SWEEP_METRICS: tuple[str, ...] = (
    "method",
    "n_pairs",
    "matched_executives",
    "coverage",
    "score_mean",
    "score_median",
    "score_min",
    "score_p10",
    "objective_value",
    "mentor_load",
    "unmatched_executives",
)
"""Columns of a sweep record after ``setting`` and the parameters."""


def _frozen(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted(value.items()))
    return value


def _component_key(name: str, config: MatchConfig) -> tuple[Any, ...]:
    return (name, *(_frozen(getattr(config, f)) for f in _COMPONENT_FIELDS.get(name, ())))


def _rule_key(config: MatchConfig) -> tuple[Any, ...]:
    return tuple(getattr(config, f) for f in _RULE_FIELDS)


def _flat(config: MatchConfig) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in config.model_dump(mode="json").items():
        if isinstance(value, dict):
            for name, v in value.items():
                out[f"{key}.{name}"] = v
        elif isinstance(value, list):
            out[key] = "-".join(str(v) for v in value)
        else:
            out[key] = value
    return out


def _apply(base: MatchConfig, changes: Mapping[str, Any], where: str) -> MatchConfig:
    """``base`` with ``changes`` (fields, or ``weights.<name>``/``topic_weights.<name>``)."""
    data = base.model_dump()
    for key, value in changes.items():
        field_name, dot, name = str(key).partition(".")
        if field_name not in MatchConfig.model_fields or (
            dot and field_name not in ("weights", "topic_weights")
        ):
            raise InvalidInputError(
                Problem(
                    f"unknown setting {key!r}",
                    record=where,
                    expected="a MatchConfig field, 'weights.<component>' or "
                    "'topic_weights.<topic>'",
                )
            )
        if dot:
            data[field_name] = {**data[field_name], name: value}
        elif field_name in ("weights", "topic_weights") and isinstance(value, Mapping):
            data[field_name] = {**data[field_name], **value}
        else:
            data[field_name] = value
    try:
        return MatchConfig(**data)
    except InvalidInputError as exc:
        raise InvalidInputError([_named(p, where) for p in exc.problems]) from None


def _named(problem: Problem, where: str) -> Problem:
    """The problem, located at setting ``where`` (kept inside it when already placed)."""
    inner = problem.record if problem.record not in (None, "config") else None
    return dataclasses.replace(problem, record=f"{where} ({inner})" if inner else where)


def _settings(
    base: MatchConfig,
    configs: Iterable[MatchConfig | Mapping[str, Any]] | None,
    grid: Mapping[str, Sequence[Any]] | None,
) -> tuple[list[MatchConfig], list[str]]:
    """The settings to run and the grid's own column names."""
    if (configs is None) == (grid is None):
        raise InvalidInputError("pass exactly one of 'configs' (a list of settings) and 'grid'")
    if grid is not None:
        keys = list(grid)
        columns: list[str] = []
        for key in keys:
            values = grid[key]
            if isinstance(values, str | bytes) or not isinstance(values, Sequence):
                raise InvalidInputError(
                    Problem("expected a list of values", record=f"grid[{key!r}]")
                )
            if key in ("weights", "topic_weights"):
                columns += [f"{key}.{n}" for v in values if isinstance(v, Mapping) for n in v]
            else:
                columns.append(key)
        out = [
            _apply(base, dict(zip(keys, combo, strict=True)), f"grid setting {i}")
            for i, combo in enumerate(itertools.product(*(grid[k] for k in keys)))
        ]
        return out, list(dict.fromkeys(columns))
    assert configs is not None  # for the type checker: exactly one is given
    out = []
    for i, item in enumerate(configs):
        if isinstance(item, MatchConfig):
            out.append(item)
        elif isinstance(item, Mapping):
            out.append(_apply(base, item, f"configs[{i}]"))
        else:
            raise InvalidInputError(
                Problem(
                    f"expected a MatchConfig or a mapping of changes. Got {type(item).__name__}",
                    record=f"configs[{i}]",
                )
            )
    return out, []


@dataclass
class _Prepared:
    """Compiled arrays, full component arrays and rule masks for one preferred window."""

    arrays: ProgramArrays
    components: dict[tuple[Any, ...], NDArray[np.float64]]
    reasons: dict[tuple[Any, ...], NDArray[np.uint16]]


def _prepare(
    program: Program,
    settings: Sequence[MatchConfig],
    custom: Mapping[str, ComponentFn],
) -> dict[Any, _Prepared]:
    """Compile once per preferred window; compute each needed component and rule mask once.

    Shared weekly time (the expensive part) is computed once per block of
    executives and feeds every component and every rule mask. Blocks follow
    :func:`~revmatch._pipeline.scoring.score_arrays`, so every value equals a fresh
    score's bit for bit.
    """
    groups: dict[Any, list[MatchConfig]] = {}
    for config in settings:
        groups.setdefault(config.preferred_window, []).append(config)
    out: dict[Any, _Prepared] = {}
    for window, configs in groups.items():
        arrays = compile_program(program, configs[0])
        shape = arrays.shape
        need_components: dict[tuple[Any, ...], MatchConfig] = {}
        need_rules: dict[tuple[Any, ...], MatchConfig] = {}
        for config in configs:
            for name in active_weights(config, custom):
                need_components.setdefault(_component_key(name, config), config)
            need_rules.setdefault(_rule_key(config), config)
        components = {key: np.zeros(shape) for key in need_components}
        reasons = {key: np.zeros(shape, dtype=np.uint16) for key in need_rules}
        for rows, overlap in block_overlaps(arrays.availability, block_rows(*shape)):
            for key, config in need_components.items():
                components[key][rows] = component_block(
                    key[0], arrays, config, rows, overlap, custom
                )
            for key, config in need_rules.items():
                reasons[key][rows] = reason_block(arrays, config, rows, overlap.min_minutes)
        out[window] = _Prepared(arrays, components, reasons)
    return out


def _setting_scores(
    prepared: _Prepared, config: MatchConfig, custom: Mapping[str, ComponentFn]
) -> ScoreMatrix:
    """The score matrix of one setting: only the weighted sum is computed here."""
    weights = active_weights(config, custom)
    total_weight = sum(weights.values())
    values = np.zeros(prepared.arrays.shape, dtype=np.float64)
    for name, weight in weights.items():
        # Same operations in the same order as score_arrays, so values are equal exactly.
        values += (weight / total_weight) * prepared.components[_component_key(name, config)]
    missing = missing_inputs(prepared.arrays, config, weights)
    if missing:
        n_exec, n_mentor = prepared.arrays.shape
        rows, cols = np.arange(n_exec)[:, None], np.arange(n_mentor)[None, :]
        renormalise(values, present_factor(weights, absent_pairs(missing, rows, cols)))
    np.round(values, config.score_decimals, out=values)
    return ScoreMatrix(
        values, prepared.reasons[_rule_key(config)], prepared.arrays, config, weights, custom
    )


def _setting_metrics(
    scores: ScoreMatrix, rows: NDArray[np.intp], cols: NDArray[np.intp], method: str
) -> dict[str, Any]:
    arrays = scores.arrays
    n_exec = arrays.shape[0]
    capacity = int(arrays.capacities.sum())
    stats = assignment_stats(n_exec, rows, [float(v) for v in scores.values[rows, cols]])
    return {
        "method": method,
        **stats,
        "objective_value": round(float(scores.values[rows, cols].sum()), 9),
        "mentor_load": round(rows.size / capacity, 6) if capacity else 0.0,
        "unmatched_executives": n_exec - stats["matched_executives"],
    }


@dataclass(frozen=True)
class SweepResult:
    """Metrics of every setting of a :func:`sweep`, one record per setting.

    Attributes
    ----------
    records : tuple of dict
        ``setting`` (index), the parameters, then :data:`SWEEP_METRICS`.
    configs : tuple of MatchConfig
        The setting of each record, to match the interesting ones in full.
    parameters : tuple of str
        Parameter columns: grid keys, and config fields (flattened as
        ``weights.topic``) that differ between settings.
    timings : dict of str to float
        Seconds spent preparing (compile, components, rules), solving, in all.
    """

    records: tuple[dict[str, Any], ...]
    configs: tuple[MatchConfig, ...]
    parameters: tuple[str, ...]
    timings: dict[str, float] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.records)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.records[index]

    def to_records(self) -> list[dict[str, Any]]:
        """The records, as fresh dicts."""
        return [dict(r) for r in self.records]

    def to_pandas(self) -> pd.DataFrame:
        """The records as a pandas DataFrame indexed by ``setting`` (needs the pandas extra)."""
        return frame(self.to_records(), "SweepResult.to_pandas()").set_index("setting")

    def best(self, metric: str = "score_mean", *, maximize: bool = True) -> dict[str, Any]:
        """The record with the best ``metric`` (the first one on ties).

        Raises
        ------
        InvalidInputError
            If the sweep is empty or ``metric`` is not a numeric column.
        """
        if not self.records:
            raise InvalidInputError("the sweep has no settings")
        value = self.records[0].get(metric)
        if isinstance(value, bool) or not isinstance(value, int | float):
            numeric = [k for k, v in self.records[0].items() if isinstance(v, int | float)]
            raise InvalidInputError(
                Problem(
                    f"{metric!r} is not a numeric column of the sweep",
                    field="metric",
                    expected="one of " + ", ".join(numeric),
                )
            )
        sign = 1.0 if maximize else -1.0
        return max(self.records, key=lambda r: sign * float(r[metric]))

    def table(self, limit: int | None = None) -> str:
        """A fixed-width text table of the records (at most ``limit`` rows)."""
        columns = ["setting", *self.parameters, *SWEEP_METRICS]
        shown = self.records if limit is None else self.records[:limit]

        def cell(value: Any) -> str:
            if isinstance(value, float):
                return f"{value:.4g}"
            return "-" if value is None else str(value)

        body = [[cell(r.get(c)) for c in columns] for r in shown]
        widths = [max([len(c), *(len(row[i]) for row in body)]) for i, c in enumerate(columns)]
        lines = [" ".join(c.rjust(w) for c, w in zip(columns, widths, strict=True))]
        lines.append("-" * len(lines[0]))
        lines += [" ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in body]
        if limit is not None and len(self.records) > limit:
            lines.append(f"... {len(self.records) - limit} more settings")
        return "\n".join(lines)


def sweep(
    program: Program | Mapping[str, Any],
    configs: Iterable[MatchConfig | Mapping[str, Any]] | None = None,
    *,
    grid: Mapping[str, Sequence[Any]] | None = None,
    base: MatchConfig | Mapping[str, Any] | None = None,
    custom: Mapping[str, ComponentFn] | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Match one program under many settings, compiling and scoring only once.

    Parameters
    ----------
    program : Program or mapping
        The program.
    configs : iterable of MatchConfig or mapping, optional
        The settings: full configs, or mappings of changes to ``base`` (keys
        are config fields, or ``"weights.<component>"`` and
        ``"topic_weights.<topic>"`` to change one entry).
    grid : mapping of str to sequence, optional
        Instead of ``configs``: every combination of these values (same
        keys), in ``itertools.product`` order, applied to ``base``.
    base : MatchConfig or mapping, optional
        The settings the changes apply to; ``MatchConfig()`` by default.
    custom : mapping of str to ComponentFn, optional
        Custom score components, weighted as ``"custom:<name>"``.
    progress : Progress, optional
        Called as ``progress(done, total, "settings")``: ``done = 0`` once
        the shared arrays are compiled and scored, then after each setting
        is solved, up to ``total``, the number of settings.

    Returns
    -------
    SweepResult
        One record per setting: ``setting``, the parameters that vary, and
        the solver method, pairs, matched executives, coverage, score mean,
        median, min and 10th percentile, objective value (sum of the chosen
        pairs' scores), mentor load and unmatched executives — the values
        :func:`~revmatch.matching.match` reports for the same setting.
        ``to_pandas()`` gives a DataFrame.

    Raises
    ------
    InvalidInputError
        If both or neither of ``configs`` and ``grid`` are given, a setting is
        invalid (naming it), or a setting's pinned pair breaks a rule.
    InfeasibleError
        If a setting has ``strict=True`` and cannot match everyone.

    Notes
    -----
    What a match computes depends on a few fields each: the compiled arrays
    on ``preferred_window``; the score components on ``topic_weights``,
    ``session_minutes`` and ``seniority_span``; the rules on
    ``min_overlap_minutes``, ``require_shared_language``,
    ``exclude_same_department``, ``min_grade_gap`` and ``allow_repeats``;
    the total on ``weights`` and ``score_decimals``; the rest only the solve.
    ``candidates`` is not used: the sweep always solves the dense matrix,
    whose optimum a candidate-graph solve certifies anyway.
    The sweep compiles once per preferred window, computes shared time once,
    each component array once per distinct value of its fields and each rule
    mask once per distinct threshold; per setting only the weighted sum (with
    the rounding of :func:`~revmatch._pipeline.scoring.score`) and the solve remain.
    Meeting proposals and explanations, the costly part of ``match``, are
    skipped: ``match`` the settings you keep. Memory: one
    (executives x mentors) array per distinct component and rule mask.

    Examples
    --------
    >>> import revmatch as rm
    >>> program = rm.datasets.make_program(n_executives=10, n_mentors=15, seed=0)
    >>> from revmatch.lifecycle import sweep
    >>> table = sweep(program, grid={"weights.topic": [0.2, 0.55, 0.9],
    ...                                 "min_overlap_minutes": [30, 60]})
    >>> len(table), table.parameters
    (6, ('weights.topic', 'min_overlap_minutes'))
    >>> best = table.best("score_mean")
    >>> full = rm.match(program, table.configs[best["setting"]])
    >>> full.metrics["score_mean"] == best["score_mean"]
    True
    """
    start = perf_counter()
    program = as_program(program)
    base_config = as_config(base)
    custom = dict(custom or {})
    settings, grid_columns = _settings(base_config, configs, grid)
    prepared = _prepare(program, settings, custom)
    prepare_seconds = perf_counter() - start

    flats = [_flat(c) for c in settings]
    varying = [
        k for k in (flats[0] if flats else {}) if any(f.get(k) != flats[0][k] for f in flats)
    ]
    parameters = tuple(dict.fromkeys([*grid_columns, *varying]))
    records: list[dict[str, Any]] = []
    solve_seconds = 0.0
    if progress is not None:
        progress(0, len(settings), "settings")
    for i, (config, flat) in enumerate(zip(settings, flats, strict=True)):
        scores = _setting_scores(prepared[config.preferred_window], config, custom)
        t = perf_counter()
        try:
            rows, cols, _, method = solve_scores(scores)
        except InvalidInputError as exc:
            raise InvalidInputError([_named(p, f"setting {i}") for p in exc.problems]) from None
        solve_seconds += perf_counter() - t
        records.append(
            {
                "setting": i,
                **{k: flat.get(k) for k in parameters},
                **_setting_metrics(scores, rows, cols, method),
            }
        )
        if progress is not None:
            progress(i + 1, len(settings), "settings")
    return SweepResult(
        tuple(records),
        tuple(settings),
        parameters,
        {
            "prepare": round(prepare_seconds, 6),
            "solve": round(solve_seconds, 6),
            "total": round(perf_counter() - start, 6),
        },
    )

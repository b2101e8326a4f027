"""Helpers shared by the lifecycle operations: reading inputs and results."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from revmatch._pipeline.prepare import as_config as _as_config
from revmatch._pipeline.prepare import as_program
from revmatch.exceptions import InvalidInputError, Problem
from revmatch.models import MatchConfig
from revmatch.result import MatchResult

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["as_config", "as_program", "check_ids", "frame", "result_config"]


def as_config(
    config: MatchConfig | Mapping[str, Any] | None, result: MatchResult | None = None
) -> MatchConfig:
    """:func:`revmatch._pipeline.prepare.as_config`, but without a config the result's."""
    if config is None and result is not None:
        return result_config(result)
    return _as_config(config)


def result_config(result: MatchResult) -> MatchConfig:
    """The settings a result was computed with.

    From its score matrix when present, else from ``audit["config"]`` (results
    read from JSON), else the defaults.
    """
    if result.scores is not None:
        return result.scores.config
    raw = result.audit.get("config")
    if isinstance(raw, Mapping):
        return MatchConfig.model_validate(raw)
    return MatchConfig()


def check_ids(ids: Iterable[str], known: set[str], what: str, name: str) -> list[str]:
    out: list[str] = []
    problems: list[Problem] = []
    for i, pid in enumerate(ids):
        if not isinstance(pid, str):
            problems.append(
                Problem(
                    f"expected an id (a string). Got {type(pid).__name__}",
                    record=f"{name}[{i}]",
                )
            )
        elif pid not in known:
            problems.append(Problem(f"{pid!r} is not {what}", record=f"{name}[{i}]"))
        else:
            out.append(pid)
    if problems:
        raise InvalidInputError(problems)
    return out


def frame(records: list[dict[str, Any]], what: str) -> pd.DataFrame:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - exercised only without pandas
        raise ImportError(f"pandas is needed for {what}: pip install 'revmatch[pandas]'") from None
    return pd.DataFrame.from_records(records)

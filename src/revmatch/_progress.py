"""Progress of long calls: the callback they take and a tqdm bar that implements it.

Every long call of revmatch (``match`` in candidate mode, ``match_many``,
``sweep``, ``rematch`` with a change budget, ``alternatives``) takes
``progress=``, a :class:`Progress`: any callable taking ``(done, total,
label)``. :class:`ProgressBar` draws one with tqdm (the ``progress`` extra),
as a widget in Jupyter and as text in a terminal.
"""

from __future__ import annotations

import importlib
import sys
from types import TracebackType
from typing import Any, Protocol, TextIO

__all__ = ["Progress", "ProgressBar"]

DELAY = 1.0
"""Seconds of work before the command line's bar appears (:func:`terminal_bar`)."""


class Progress(Protocol):
    """What a long call reports its progress to: ``progress(done, total, label)``.

    A call reports ``done = 0`` first, then larger values up to ``done ==
    total`` when the work of ``label`` is finished. ``label`` names the unit
    being counted (``"cohorts"``, ``"settings"``, ``"alternatives"``,
    ``"candidate rounds"``, ``"stages"``); a call whose work has several parts
    reports each under its own label, in turn, and a part whose size is not
    known in advance may raise ``total`` as it learns more (never below
    ``done``).

    Parameters
    ----------
    done : int
        Units finished, ``0 <= done <= total``; never decreases for a label.
    total : int
        Units of work in this part.
    label : str
        What is counted.

    Examples
    --------
    >>> import revmatch as rm
    >>> seen = []
    >>> cohorts = [rm.datasets.make_program(4, 6, seed=s) for s in range(3)]
    >>> _ = rm.match_many(cohorts, progress=lambda done, total, label: seen.append(done))
    >>> seen
    [0, 1, 2, 3]
    """

    def __call__(self, done: int, total: int, label: str, /) -> None:
        """Report ``done`` of ``total`` units of ``label``."""


class ProgressBar:
    """A :class:`Progress` that draws a tqdm bar (``tqdm.auto``: a widget in Jupyter).

    Parameters
    ----------
    delay : float, default 1.0
        Seconds before the bar appears: work that finishes sooner shows
        nothing.
    file : text stream, optional
        Where a text bar is drawn; standard error by default.
    leave : bool, default False
        Keep the finished bar on screen.

    Raises
    ------
    ImportError
        When tqdm is not installed, with the install hint.

    Examples
    --------
    >>> import revmatch as rm
    >>> cohorts = [rm.datasets.make_program(4, 6, seed=s) for s in range(3)]
    >>> with rm.ProgressBar() as bar:  # doctest: +SKIP
    ...     results = rm.match_many(cohorts, progress=bar)
    """

    def __init__(
        self, *, delay: float = 1.0, file: TextIO | None = None, leave: bool = False
    ) -> None:
        try:
            self._tqdm: Any = importlib.import_module("tqdm.auto").tqdm
        except ImportError:
            raise ImportError(
                "tqdm is needed for ProgressBar: pip install 'revmatch[progress]'"
            ) from None
        self.delay = delay
        self.file = file
        self.leave = leave
        self._bar: Any = None
        self._label: str | None = None

    def __call__(self, done: int, total: int, label: str, /) -> None:
        """Move the bar to ``done`` of ``total``; a new label starts a new bar."""
        if self._bar is None or label != self._label:
            self.close()
            self._label = label
            self._bar = self._tqdm(
                total=total,
                desc=label,
                delay=self.delay,
                file=self.file if self.file is not None else sys.stderr,
                leave=self.leave,
                unit="",
                dynamic_ncols=True,
            )
        if total != self._bar.total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        """Close the current bar, if any."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
            self._label = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def terminal_bar(quiet: bool, stream: TextIO | None = None) -> ProgressBar | None:
    """A bar for a command line: None when ``quiet``, when ``stream`` (standard
    error by default) is not a terminal, or when tqdm is not installed."""
    stream = sys.stderr if stream is None else stream
    if quiet or not stream.isatty():
        return None
    try:
        return ProgressBar(file=stream, delay=DELAY)
    except ImportError:
        return None

"""What the handouts hand back: the calendar files written and the letters.

:class:`Invitations` and :class:`Letter` are plain values below both
:mod:`revmatch.result`, whose methods ``to_ics`` and ``letters`` return them,
and :mod:`revmatch.handouts`, which makes them; so the result's signatures
name them without importing the handouts (which are built on the result).
They are public as ``revmatch.handouts.Invitations`` and
``revmatch.handouts.Letter``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["Invitations", "Kind", "Letter"]

Kind = Literal["paired", "unmatched"]


@dataclass(frozen=True)
class Invitations:
    """Calendar files written for a result.

    Attributes
    ----------
    files : tuple of pathlib.Path
        One ``.ics`` file per pair with a meeting (empty when a single file
        was asked for).
    combined : pathlib.Path
        The file with every pair's event.
    without_slot : tuple of (str, str)
        ``(executive_id, mentor_id)`` of the pairs without a shared slot,
        which get no event.
    moved, cancelled : int
        Sessions moved within their week, and weeks without a session.
    listing : pathlib.Path or None
        The file naming the pairs without a slot, when written.
    """

    files: tuple[Path, ...]
    combined: Path
    without_slot: tuple[tuple[str, str], ...]
    moved: int
    cancelled: int
    listing: Path | None = None

    @property
    def paths(self) -> list[Path]:
        """Every file written."""
        return [*self.files, self.combined, *([self.listing] if self.listing else [])]


@dataclass(frozen=True)
class Letter:
    """A letter to one participant.

    Attributes
    ----------
    person_id : str
        The reader's id.
    role : {"executive", "mentor"}
        The reader's side.
    kind : {"paired", "unmatched"}
        Whether the reader has a partner.
    language : str
        The language of the built-in words used.
    partners : tuple of str
        The partners' ids (empty for the unmatched).
    email : str or None
        The reader's e-mail, to send the letter to.
    text : str
        The letter.
    filename : str
        A file name for it: ``<role>-<id>.md`` (``.txt`` for a ``.txt`` template).
    """

    person_id: str
    role: Literal["executive", "mentor"]
    kind: Kind
    language: str
    partners: tuple[str, ...]
    email: str | None
    text: str
    filename: str

    def __str__(self) -> str:
        return self.text

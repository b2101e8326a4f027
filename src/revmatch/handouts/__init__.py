"""Handouts of a match result: calendar invitations, the committee report, letters.

Use :meth:`revmatch.MatchResult.to_ics`, :meth:`~revmatch.MatchResult.to_html`
and :meth:`~revmatch.MatchResult.letters`, or the ``write_*`` functions here,
which write files into a directory (the command line calls them). Importing
this package provides those three methods (see :mod:`revmatch.result`).
"""

from .._handout_data import Invitations, Letter
from ..result import register_operation
from ._calendar import to_ics, write_ics
from ._letters import PLACEHOLDERS, make_letters, write_letters
from ._report import render_report, write_report

register_operation("to_ics", to_ics)
register_operation("to_html", render_report)
register_operation("letters", make_letters)

__all__ = ["PLACEHOLDERS", "Invitations", "Letter", "write_ics", "write_letters", "write_report"]

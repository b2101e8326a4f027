"""Handouts of a match result: calendar invitations, the committee report, letters.

Use :meth:`revmatch.MatchResult.to_ics`, :meth:`~revmatch.MatchResult.to_html`
and :meth:`~revmatch.MatchResult.letters`, or the ``write_*`` functions here,
which write files into a directory (the command line calls them).
"""

from ._calendar import Invitations, write_ics
from ._letters import PLACEHOLDERS, Letter, write_letters
from ._report import write_report

__all__ = ["PLACEHOLDERS", "Invitations", "Letter", "write_ics", "write_letters", "write_report"]

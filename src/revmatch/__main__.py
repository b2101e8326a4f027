"""Run the command line as ``python -m revmatch``."""

import sys

from .cli import main

sys.exit(main())

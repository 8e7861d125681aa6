"""``python -m wkus_lib.cli``: the same command line as ``wkus``."""

import sys

from wkus_lib.cli import main

sys.exit(main())

"""``python -m sheetsync ...``: see sheetsync.cli."""

import sys

from sheetsync.cli import main

sys.exit(main())

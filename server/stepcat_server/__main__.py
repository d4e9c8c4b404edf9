"""``python -m stepcat_server``: the same as ``stepcat serve``."""

import sys

from .main import main

sys.exit(main())

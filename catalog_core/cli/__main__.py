"""``python -m catalog_core.cli``: the same as the ``stepcat`` command."""

import sys

from . import main

sys.exit(main())

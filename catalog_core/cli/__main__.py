"""``python -m catalog_core.cli``: the same as the ``stepcat`` command."""

import sys

from catalog_core.cli import main

sys.exit(main())

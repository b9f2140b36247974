"""``python -m motcua.cli``: the ``motcua`` command."""

import sys

from motcua.cli import main

if __name__ == "__main__":
    sys.exit(main())

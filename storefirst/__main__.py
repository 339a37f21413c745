"""`python -m storefirst <command>`: the same as the `storefirst` console script (storefirst.cli)."""

import sys

from storefirst.cli import main

if __name__ == "__main__":
    sys.exit(main())

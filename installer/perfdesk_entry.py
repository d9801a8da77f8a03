"""Entry point of the PyInstaller bundle: the same command line as the `perfdesk` script."""

import sys

from perfdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())

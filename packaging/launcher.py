"""Entry script of the frozen app: ``tactful`` is ``kb.cli.main``, nothing more.

Closing cleanly on SIGTERM (logout, ``kill``) is the app's own job (``desktop/app.py``),
so the frozen app and the source install behave the same.
"""

from __future__ import annotations

import sys


def main() -> int:
    from kb.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())

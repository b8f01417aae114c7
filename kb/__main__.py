"""``python -m kb`` is the same CLI as ``tactful``."""

from kb.cli import main

raise SystemExit(main())

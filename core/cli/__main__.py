"""``python -m core.cli``: the ``jiguan`` command without the console script."""

from core.cli import main

main()

"""``python -m veo3.cli``: the same as the ``veo3`` command."""

from veo3.cli import main

main()

"""``python -m negotiation.cli``."""

from . import main

main()

"""``python -m negotiation.cli``."""

from negotiation.cli import main

main()

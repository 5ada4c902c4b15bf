"""Allow `python -m clausewatch`."""

from clausewatch.cli import main

main()

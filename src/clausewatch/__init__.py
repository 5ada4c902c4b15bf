"""clausewatch: monitor what platforms' governance documents say and how they change."""

__version__ = "0.1.0"

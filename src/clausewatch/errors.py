"""The one exception hierarchy of clausewatch.

Every error a user can cause derives from ``ClausewatchError``. Each boundary converts
it once: the CLI into a message and an exit code, the web app into one JSON error
shape, the tracker into a ``last_error`` stored on the document.
"""

from __future__ import annotations

#: Maximum length, in characters, of a user's value that an error message quotes whole.
MAX_QUOTED_CHARS = 60


def quote_value(value: str) -> str:
    """Quote a value given by a user for an error message, cut short when long.

    A long value is cut to its first ``MAX_QUOTED_CHARS`` characters, followed by its
    length, so that a pasted text does not fill the terminal or the error body.
    """
    if len(value) <= MAX_QUOTED_CHARS:
        return repr(value)
    return f"{value[:MAX_QUOTED_CHARS]!r}... ({len(value)} characters)"


class ClausewatchError(Exception):
    """Base class of every error that clausewatch reports to a user."""

    exit_code = 1


class ConfigurationError(ClausewatchError):
    """A setting is missing or invalid."""

    exit_code = 2


class MissingDatabaseError(ConfigurationError):
    """A command that only reads found no clausewatch database where settings point."""


class DeclarationError(ClausewatchError):
    """A platform declaration file is malformed or uses an unsupported feature."""

    exit_code = 2


class FetchError(ClausewatchError):
    """A document could not be fetched (network, policy or size limits)."""


class BlockedURLError(FetchError):
    """A URL was rejected by the SSRF guard (scheme or address not allowed)."""


class ExtractionError(ClausewatchError):
    """Fetched content could not be turned into document text."""


class ImportHistoryError(ClausewatchError):
    """A versions history given to ``import`` is unreadable or malformed."""

    exit_code = 2


class TaxonomyError(ClausewatchError):
    """A taxonomy data file is invalid."""

    exit_code = 2


class ModelFileError(ClausewatchError):
    """A trained classifier model file is missing, corrupt or incompatible."""


class NotFoundError(ClausewatchError):
    """A platform, document, version or provision does not exist."""

    exit_code = 3

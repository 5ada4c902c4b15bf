"""The web interface: server-rendered pages, the JSON API, Atom feeds and exports.

Pages and API format what ``clausewatch.figures`` returns and compute no figure
themselves. ``create_app(settings)`` builds the ASGI application that ``clausewatch
serve`` runs.
"""

from clausewatch.web.app import create_app

__all__ = ["create_app"]

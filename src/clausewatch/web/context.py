"""Objects every request handler reaches: settings, store, templates, blob checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.web.evidence import BlobVerifier


@dataclass
class WebContext:
    """The objects shared by every request of one application."""

    settings: Settings
    store: Store
    templates: Jinja2Templates
    verifier: BlobVerifier

    def permanent_url(self, path: str) -> str:
        """Return the absolute URL of a path under the configured public base URL."""
        return self.settings.base_url.rstrip("/") + path


def web_context(request: Request) -> WebContext:
    context = request.app.state.web
    assert isinstance(context, WebContext)
    return context


def db_session(request: Request) -> Iterator[Session]:
    """Yield one read session per request; it rolls back if the handler raises."""
    with web_context(request).store.session() as session:
        yield session

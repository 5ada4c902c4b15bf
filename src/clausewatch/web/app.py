"""Build the ASGI application: pages, the JSON API, feeds, exports and static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from clausewatch.db.store import Store
from clausewatch.settings import Settings
from clausewatch.web import feeds
from clausewatch.web.api import diffs as api_diffs
from clausewatch.web.api import explore as api_explore
from clausewatch.web.api import exports as api_exports
from clausewatch.web.api import index as api_index
from clausewatch.web.api import provisions as api_provisions
from clausewatch.web.api import records as api_records
from clausewatch.web.context import WebContext
from clausewatch.web.errors import install_error_handlers
from clausewatch.web.evidence import BlobVerifier
from clausewatch.web.head_requests import HeadAsGetMiddleware
from clausewatch.web.pages import explore as explore_pages
from clausewatch.web.pages import provision as provision_pages
from clausewatch.web.pages import records as record_pages
from clausewatch.web.rendering import build_templates

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
API_DESCRIPTION = (
    "Platforms, documents, versions, provisions and their changes as stored by "
    "clausewatch. Lists are paged with limit and offset; every error has the body "
    '{"error": {"status", "code", "message"}}. Numbers count from 1 and match the '
    "pages: a version's number within its document, and a provision's number within "
    'a version in document order, so "provision 7 of version 3" is the item with '
    "number 7 in the provisions of version 3. A provision's number can change from "
    "one version to the next; cite its record ID, which never changes."
)


def create_app(settings: Settings) -> FastAPI:
    """Open the store described by settings and build the web application.

    Raises ConfigurationError when the database cannot be opened, and its subclass
    MissingDatabaseError when it does not exist: serving creates no database.
    """
    store = Store.open(settings, create=False)
    context = WebContext(
        settings=settings,
        store=store,
        templates=build_templates(),
        verifier=BlobVerifier(store.blobs),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="clausewatch",
        version="1",
        description=API_DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        # The interactive docs load scripts from a CDN; the OpenAPI file is enough.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.web = context
    install_error_handlers(app)
    app.add_middleware(HeadAsGetMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    routers = (
        api_index.router,
        api_records.router,
        api_diffs.router,
        api_provisions.router,
        api_explore.router,
        api_exports.router,
        record_pages.router,
        provision_pages.router,
        explore_pages.router,
        feeds.router,
    )
    for router in routers:
        app.include_router(router)
    logger.info("web app ready on %s", settings.resolved_database_url)
    return app

"""A small tracked website for the web tests: two platforms, several versions each.

The policy text is our own. One provision carries markup and a script tag, so tests can
check that pages, feeds and PDFs show it as text.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select

from clausewatch.db.models import Document, Provision, ProvisionText
from clausewatch.db.store import Store
from clausewatch.declarations import load_catalog
from clausewatch.settings import Settings
from clausewatch.tracking.analyzer_factory import build_analyzer
from clausewatch.tracking.history_import import import_history
from clausewatch.tracking.track import declaration_record
from clausewatch.web import create_app
from tests.history_builders import write_folder_history

BASE_URL = "https://clausewatch.example"
HOSTILE = '<script>alert(1)</script> <b>bold</b> <img src=x onerror="alert(2)">'

PARROT_PRIVACY_V1 = f"""# Parrotchat Privacy Policy

Last updated: February 2, 2025

## Information we collect

We collect the name, e-mail address and phone number you give us when you sign up.

We keep the messages you send to the assistant so that we can reply to them.

## Sharing

We share personal data with hosting providers that process it on our behalf.

## Notes for developers

Markup in this clause must appear as text: {HOSTILE}

## Your choices

You can delete your account at any time in the settings of the app.

To exercise your rights, write to privacy@parrotchat.example or use
[the deletion request page](https://parrotchat.example/privacy/delete).
"""

PARROT_PRIVACY_V2 = (
    PARROT_PRIVACY_V1.replace(
        "so that we can reply to them.",
        "so that we can reply to them, and we may use the content you submit to train "
        "and improve our artificial intelligence models.",
    )
    .replace("February 2, 2025", "August 9, 2025")
    .replace(
        "Markup in this clause must appear", "Markup in this clause must still appear"
    )
)

PARROT_PRIVACY_V3 = PARROT_PRIVACY_V2.replace(
    "## Your choices\n",
    "## Advertising\n\nWe sell personal data to advertising partners and data "
    "brokers.\n\n## Your choices\n",
)

PARROT_TERMS_V1 = """# Parrotchat Terms of Service

## Using the service

You must be at least 16 years old to use Parrotchat.

## Disputes

Any dispute arising from these terms will be resolved by binding arbitration, and you
waive any right to take part in a class action.

## Changes

We may change these terms at any time by posting the new terms on this page.
"""

PARROT_TERMS_V2 = PARROT_TERMS_V1.replace(
    "by posting the new terms on this page.",
    "by posting the new terms on this page, and continuing to use the service means "
    "you accept them.",
)

# Close in wording to Parrotchat's training clause, so the similar-provisions figure
# pairs them (it leaves out pairs below a cosine similarity threshold).
PEBBLE_TRAINING = (
    "We may use the posts and photos you submit to train and improve our "
    "artificial intelligence models."
)

PEBBLE_PRIVACY_V1 = f"""# Pebble Social Privacy Policy

## Data we collect

We collect the photos, posts and comments you publish on Pebble Social.

## Model training

{PEBBLE_TRAINING}

## Contact

Questions about this policy can be sent to dpo@pebble.example.
"""

PEBBLE_PRIVACY_V2 = PEBBLE_PRIVACY_V1.replace(
    "## Contact",
    "## Retention\n\nWe keep your posts for as long as your account exists."
    "\n\n## Contact",
)

SOURCE_URLS = {
    ("Parrotchat", "Privacy Policy"): "https://parrotchat.example/privacy",
    ("Parrotchat", "Terms of Service"): "https://parrotchat.example/terms",
    ("Pebble Social", "Privacy Policy"): "https://pebble.example/legal/privacy",
}


@dataclass(frozen=True)
class WebSite:
    """The tracked test site: its settings, store, an in-process client and IDs."""

    settings: Settings
    store: Store
    client: TestClient
    history: Path

    def provision_id(self, fragment: str) -> str:
        """Record ID of the current provision whose text contains ``fragment``."""
        with self.store.session() as session:
            found = session.execute(
                select(Provision.record_id)
                .join(ProvisionText, ProvisionText.provision_id == Provision.id)
                .where(
                    ProvisionText.version_id == Provision.last_version_id,
                    ProvisionText.text.contains(fragment),
                )
            ).first()
        assert found is not None, f"no provision contains {fragment!r}"
        return found[0]

    def document_id(self, platform_id: str, terms_type: str) -> str:
        with self.store.session() as session:
            found = session.execute(
                select(Document.record_id).where(
                    Document.platform_id == platform_id,
                    Document.terms_type == terms_type,
                )
            ).scalar_one()
        return found


def write_site_history(root: Path, now: datetime) -> Path:
    """Write the versions histories of both platforms under root."""
    long_ago, months_ago, days_ago = (
        now - timedelta(days=400),
        now - timedelta(days=120),
        now - timedelta(days=5),
    )
    write_folder_history(
        root,
        "Parrotchat",
        "Privacy Policy",
        [
            (long_ago, PARROT_PRIVACY_V1),
            (months_ago, PARROT_PRIVACY_V2),
            (days_ago, PARROT_PRIVACY_V3),
        ],
    )
    write_folder_history(
        root,
        "Parrotchat",
        "Terms of Service",
        [(long_ago, PARROT_TERMS_V1), (days_ago, PARROT_TERMS_V2)],
    )
    write_folder_history(
        root,
        "Pebble Social",
        "Privacy Policy",
        [(months_ago, PEBBLE_PRIVACY_V1), (days_ago, PEBBLE_PRIVACY_V2)],
    )
    return root


def build_site(root: Path) -> WebSite:
    """Import the test histories with the real analyzer and open the web app."""
    now = datetime.now(UTC).replace(microsecond=0)
    history = write_site_history(root / "history", now)
    settings = Settings(data_dir=root / "data", base_url=BASE_URL)
    store = Store.open(settings)
    import_history(store, history, analyzer=build_analyzer(settings))
    for (service, terms_type), url in SOURCE_URLS.items():
        store.ensure_document(
            platform_id=service.lower().replace(" ", "-"),
            platform_name=service,
            terms_type=terms_type,
            declaration={"pages": [{"url": url}]},
        )
    client = TestClient(create_app(settings))
    return WebSite(settings=settings, store=store, client=client, history=history)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebSite]:
    """The test site, built once per test session."""
    built = build_site(tmp_path_factory.mktemp("web-site"))
    with built.client:
        yield built
    built.store.close()


# -- the real corpus, served by a real uvicorn, for browser tests -------------------

#: Services of the corpus that are also in the bundled catalog, whose declarations give
#: their source URLs; a subset keeps the import to seconds.
CORPUS_SERVICES = (
    "DeepSeek",
    "Facebook",
    "Meta AI",
    "Microsoft Copilot",
    "Pinterest",
    "Snapchat",
    "Spotify",
    "TikTok",
)


@dataclass(frozen=True)
class ServedSite:
    """A store of real corpus documents behind a uvicorn server on loopback."""

    settings: Settings
    store: Store
    base_url: str


def link_corpus_subset(corpus: Path, target: Path) -> Path:
    """Make a history folder of symbolic links to a few services of the corpus."""
    target.mkdir(parents=True)
    for service in CORPUS_SERVICES:
        (target / service).symlink_to(corpus / service, target_is_directory=True)
    return target


def apply_catalog_urls(store: Store) -> None:
    """Record the bundled catalog's source URLs on the imported documents."""
    for platform in load_catalog():
        for document in platform.documents:
            with store.session() as session:
                exists = session.execute(
                    select(Document.id).where(
                        Document.platform_id == platform.id,
                        Document.terms_type == document.terms_type,
                    )
                ).first()
            if exists is None:
                continue
            store.ensure_document(
                platform_id=platform.id,
                platform_name=platform.name,
                terms_type=document.terms_type,
                declaration=declaration_record(document),
            )


def loopback_listener() -> tuple[socket.socket, str]:
    """Bind an ephemeral loopback port; return the socket and its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}"


def start_server(
    app: object, listener: socket.socket
) -> tuple[uvicorn.Server, threading.Thread]:
    """Run uvicorn on the listener in a thread; return once it accepts requests."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    ticker = threading.Event()
    while not server.started and thread.is_alive():
        ticker.wait(0.02)
    assert server.started, "uvicorn did not start; see the log above"
    return server, thread


@pytest.fixture(scope="session")
def served_corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """A subset of the real corpus, imported with the real analyzer and served."""
    from tests.conftest import require_shared

    corpus = require_shared("corpus", "ota")
    root = tmp_path_factory.mktemp("served-corpus")
    history = link_corpus_subset(corpus, root / "history")
    listener, base_url = loopback_listener()
    settings = Settings(data_dir=root / "data", base_url=base_url)
    store = Store.open(settings)
    import_history(store, history, analyzer=build_analyzer(settings))
    apply_catalog_urls(store)

    server, thread = start_server(create_app(settings), listener)
    yield ServedSite(settings=settings, store=store, base_url=base_url)
    server.should_exit = True
    thread.join(timeout=10)
    store.close()

"""A local HTTP server serving documents as web pages whose text changes by round."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import markdown

NAVIGATION = (
    '<nav><a href="/">Home</a> <a href="/help">Help</a> '
    '<a href="/login">Log in</a></nav>'
)
PAGE_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header>{navigation}</header>
<main id="content">
<div id="cookie-banner">We use cookies. <button>Accept all</button></div>
<div class="breadcrumb">Home / Legal / {title}</div>
{body}
</main>
<footer>Copyright Example Corp. All rights reserved.</footer>
</body></html>"""


@dataclass
class PageSite:
    """Pages by path; each page lists its texts by round, the last one repeating."""

    pages: dict[str, list[str]] = field(default_factory=dict)
    round: int = 0
    delay_paths: set[str] = field(default_factory=set)
    release: threading.Event = field(default_factory=threading.Event)
    requests: int = 0

    def html(self, path: str) -> str | None:
        versions = self.pages.get(path)
        if versions is None:
            return None
        text = versions[min(self.round, len(versions) - 1)]
        body = markdown.markdown(text, extensions=["tables"])
        return PAGE_TEMPLATE.format(
            navigation=NAVIGATION, title=path.strip("/"), body=body
        )


def _handler(site: PageSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server dispatches to
            site.requests += 1
            if self.path in site.delay_paths:
                site.release.wait(timeout=60)
            page = site.html(self.path)
            if page is None:
                self.send_error(404)
                return
            data = page.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve_site(site: PageSite) -> Iterator[str]:
    """Serve the site on an ephemeral 127.0.0.1 port; yield its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        site.release.set()
        server.shutdown()
        server.server_close()

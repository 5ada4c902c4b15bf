"""Benchmark the bulk exports: time and peak memory of each kind and format.

Each export runs in its own Python process, which writes the export to a temporary
file as ``clausewatch export --output`` does and reports its wall time, CPU time and
peak resident memory. With ``--api`` the process serves the app with uvicorn on
127.0.0.1 and downloads the export from ``/api/v1/exports/{kind}`` instead, so the
peak is that of the server and the client together. The peak before the export
(after imports, opening the store and starting the server) is reported too, so the
growth due to the export itself shows.

    python benchmarks/bench_export.py DATA_DIR [--platform ID] [--api] [--json]
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from measurements import cpu_seconds, peak_memory_mb

KINDS = ("provisions", "changes")
FORMATS = ("csv", "jsonl")


def run_one(
    data_dir: Path, kind: str, format_name: str, platform: str | None, api: bool
) -> None:
    """Export once in this process and print its figures as JSON."""
    from clausewatch.db.store import Store
    from clausewatch.settings import Settings

    store = Store.open(Settings(data_dir=data_dir), create=False)
    if api:
        server, thread, url = _start_server(data_dir, kind)
    before_mb = peak_memory_mb()
    started, cpu_started = time.perf_counter(), cpu_seconds()
    if api:
        size, lines = _download(url, format_name, platform)
        server.should_exit = True
        thread.join(timeout=10)
    else:
        size, lines = _export(store, kind, format_name, platform)
    figures = {
        "via": "api" if api else "cli",
        "kind": kind,
        "format": format_name,
        "platform": platform,
        "bytes": size,
        "lines": lines,
        "wall_s": round(time.perf_counter() - started, 2),
        "cpu_s": round(cpu_seconds() - cpu_started, 2),
        "peak_before_mb": round(before_mb, 1),
        "peak_mb": round(peak_memory_mb(), 1),
    }
    store.close()
    print(json.dumps(figures))


def _export(
    store: Any, kind: str, format_name: str, platform: str | None
) -> tuple[int, int]:
    from clausewatch.exports import export_chunks

    size = lines = 0
    with tempfile.TemporaryFile("w", encoding="utf-8", newline="") as handle:
        for chunk in export_chunks(
            store.session, kind, format_name, platform_id=platform
        ):
            handle.write(chunk)
            size += len(chunk.encode("utf-8"))
            lines += chunk.count("\n")
    return size, lines


def _start_server(data_dir: Path, kind: str) -> tuple[Any, threading.Thread, str]:
    import uvicorn

    from clausewatch.settings import Settings
    from clausewatch.web import create_app

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(Settings(data_dir=data_dir)), log_level="warning")
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, daemon=True
    )
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}/api/v1/exports/{kind}"


def _download(url: str, format_name: str, platform: str | None) -> tuple[int, int]:
    import httpx

    params = {"format": format_name, "platform": platform or ""}
    size = lines = 0
    with httpx.stream("GET", url, params=params, timeout=600) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes():
            size += len(chunk)
            lines += chunk.count(b"\n")
    return size, lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--platform", help="Export only this platform id.")
    parser.add_argument(
        "--api", action="store_true", help="Download through the HTTP API."
    )
    parser.add_argument("--json", action="store_true", help="Print figures as JSON.")
    parser.add_argument(
        "--one", nargs=2, metavar=("KIND", "FORMAT"), help=argparse.SUPPRESS
    )
    arguments = parser.parse_args()
    if arguments.one:
        run_one(arguments.data_dir, *arguments.one, arguments.platform, arguments.api)
        return

    results: list[dict[str, Any]] = []
    for kind in KINDS:
        for format_name in FORMATS:
            command = [
                sys.executable,
                __file__,
                str(arguments.data_dir),
                "--one",
                kind,
                format_name,
            ]
            if arguments.platform:
                command += ["--platform", arguments.platform]
            if arguments.api:
                command.append("--api")
            output = subprocess.run(command, capture_output=True, text=True)
            if output.returncode != 0:
                sys.exit(f"{kind} {format_name} export failed:\n{output.stderr}")
            results.append(json.loads(output.stdout.splitlines()[-1]))
    if arguments.json:
        print(json.dumps(results, indent=2))
        return
    for item in results:
        print(
            f"{item['via']} {item['kind']:>10} {item['format']:>5}: "
            f"{item['lines']:>7} lines, "
            f"{item['bytes'] / 1e6:6.1f} MB in {item['wall_s']:5.2f} s wall "
            f"({item['cpu_s']:.2f} s CPU), peak {item['peak_mb']:.0f} MB "
            f"({item['peak_before_mb']:.0f} MB before the export)"
        )


if __name__ == "__main__":
    main()

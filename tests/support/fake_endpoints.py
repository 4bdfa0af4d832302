"""Endpoints that are not AWS, on 127.0.0.1: a captive portal answering HTML, and a port that
accepts connections and never answers. Both run in daemon threads and close with the context.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field


@contextlib.contextmanager
def html_portal(body: bytes) -> Iterator[str]:
    """Yield the URL of a server answering every request with ``200 text/html`` and ``body``."""

    class Portal(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST

        def log_message(self, *_: object) -> None:
            """Quiet: pytest shows stderr of failing tests only, and this is noise."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SilentListener:
    url: str
    accepted: list[socket.socket] = field(default_factory=list)
    """Every connection accepted so far: one per attempt the client made."""


@contextlib.contextmanager
def silent_listener() -> Iterator[SilentListener]:
    """A TCP port that accepts every connection and never sends a byte."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    listener = SilentListener(url=f"http://127.0.0.1:{server.getsockname()[1]}")
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            listener.accepted.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in listener.accepted:
            connection.close()
        server.close()

"""A database that hangs without refusing, for the tests of the store's deadline: a TCP server on
127.0.0.1 that takes every connection and never answers (a frozen server, a cut network), and a proxy to a
real server that can be frozen the same way after the bot's connections are established.

Both keep the connections open (nothing is refused or reset), so the client sees no error, only silence.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator


class SilentServer:
    """Accepts connections on 127.0.0.1 and never sends a byte. `upstream` (host, port): forward both ways
    to that server until `freeze()`, after which every byte in either direction is dropped."""

    def __init__(self, upstream: tuple[str, int] | None = None) -> None:
        self.upstream = upstream
        self._frozen = threading.Event()
        if upstream is None:
            self._frozen.set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="silent-server", daemon=True).start()

    def url(self, database: str = "authbot", user: str = "authbot") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def freeze(self) -> None:
        self._frozen.set()

    def thaw(self) -> None:
        """Forward again. Connections that lost bytes while frozen stay broken (as after a real cut); new
        ones work."""
        self._frozen.clear()

    def _keep(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            self._keep(client)
            if self._frozen.is_set() or self.upstream is None:
                continue  # held open, never answered
            server = socket.create_connection(self.upstream)
            self._keep(server)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            if self._frozen.is_set():
                continue  # lost on the way, as on a cut network: the peer is not told
            with contextlib.suppress(OSError):
                sink.sendall(data)

    def close(self) -> None:
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.close()
            self._sockets.clear()


@contextlib.contextmanager
def silent_server(upstream: tuple[str, int] | None = None) -> Iterator[SilentServer]:
    server = SilentServer(upstream)
    try:
        yield server
    finally:
        server.close()

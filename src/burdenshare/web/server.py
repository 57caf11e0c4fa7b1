"""Run the dashboard with uvicorn: ``serve()`` (``burdenshare serve`` calls it).

It binds to 127.0.0.1 by default, so only this machine can reach it. Pass ``host="0.0.0.0"``
only on a trusted network: the dashboard has no accounts and anyone who reaches it can run
ensembles and read the run store.

The listening socket is bound here, before uvicorn starts (:func:`bind`), so an address in use
or a host that does not resolve is an :class:`OSError` before anything claims to have started,
and uvicorn serves on exactly the socket that was checked.

>>> is_loopback("127.0.0.1"), is_loopback("::1"), is_loopback("0.0.0.0"), is_loopback("10.1.2.3")
(True, True, False, False)
"""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "bind", "is_loopback", "serve"]

#: the address the dashboard listens on unless told otherwise (this machine only)
DEFAULT_HOST = "127.0.0.1"
#: the port it listens on unless told otherwise
DEFAULT_PORT = 8765
#: connections waiting to be accepted (uvicorn's default)
_BACKLOG = 2048


def is_loopback(address: str) -> bool:
    """Whether a bound address reaches this machine only (127.0.0.0/8, ::1); a wildcard such as
    0.0.0.0 or :: listens on every interface, so it is not."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host:port`` (the first address ``host`` resolves to).

    Raises :class:`OSError` (``socket.gaierror`` for a host that does not resolve) when the
    address cannot be used: in use, not on this machine, a privileged port.
    """
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        sock.bind(address)
        sock.listen(_BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    store: str | Path | None = None,
    *,
    log_level: str = "info",
    sock: socket.socket | None = None,
) -> None:
    """Serve the dashboard until interrupted (Ctrl-C). ``store`` is the run store file (None:
    the default store); ``sock`` a socket already bound by :func:`bind` (None: bind
    ``host:port`` here, raising :class:`OSError` if that address cannot be used)."""
    import uvicorn

    from burdenshare.web.app import create_app

    listening = sock if sock is not None else bind(host, port)
    config = uvicorn.Config(
        create_app(store),
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=False,
        server_header=False,
    )
    try:
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        listening.close()

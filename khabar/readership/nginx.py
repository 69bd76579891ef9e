"""Reads that nginx served from its own cache, reported as syslog datagrams.

deploy/nginx/khabar.conf logs each cache HIT of an article page (and only
those: a MISS reaches the app, which counts it) with the format
`<id>|<user agent>` to `khabar readership-listen` over UDP on loopback. nginx
sends a datagram without waiting for anything, so the hit costs it next to
nothing, and no extra request is made by the reader's browser."""

import re
import socket

from . import counter

# "<190>Nov 29 17:20:00 khabar: 123|Mozilla/5.0 ..." (nohostname; the tag is "khabar")
LINE = re.compile(rb"^<\d{1,3}>.*? khabar: (\d{1,18})\|(.*)$", re.S)


def parse(datagram: bytes) -> tuple[int, str] | None:
    """(article id, user agent) from one of nginx's lines; None for anything else."""
    match = LINE.match(datagram)
    if match is None:
        return None
    return int(match[1]), match[2].decode("utf-8", "replace").rstrip("\n")


# Room for bursts while this process waits for a CPU: a full receive buffer
# drops datagrams, and a dropped datagram is an uncounted read.
RECEIVE_BUFFER = 8 * 1024 * 1024


def widen_buffer(sock: socket.socket) -> int:
    """Ask for RECEIVE_BUFFER bytes; the kernel caps it at net.core.rmem_max
    (deploy/README.md says how to raise it)."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
    return sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


def listen(sock: socket.socket, stop) -> None:
    """Count the reads arriving on `sock` until stop() is true, then flush."""
    sock.settimeout(1.0)
    while not stop():
        try:
            datagram = sock.recv(8192)
        except TimeoutError:
            counter.flush_if_due()  # a quiet spell still writes what was read
            continue
        found = parse(datagram)
        if found:
            counter.record(*found)
    counter.flush()

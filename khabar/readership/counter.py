"""Counting reads without a database write per request.

`record()` is on the path of every article request, cached or not: it adds
one to an in-process dict keyed by (hour, story, user agent) and nothing
else, no I/O, no robot check. `flush()` runs when the buffer is
READERSHIP_FLUSH_SECONDS old or holds READERSHIP_FLUSH_KEYS keys, and when
the process exits: it drops robots (khabar.readership.bots) and adds the rest
to the shared store in one batch (khabar.readership.store). A crash loses at
most one interval of counts; a graceful stop loses none."""

import logging
import threading
import time

from django.conf import settings

from . import bots, store

log = logging.getLogger("khabar.readership")
# Longer user agents are cut: the buffer's memory stays bounded per key.
UA_MAX = 400
# Stands for the user agent of counts already checked, kept after a failed write.
KEPT = "\x00checked"

_lock = threading.Lock()
_buffer: dict[tuple[int, int, str], int] = {}
_flush_at = [0.0]


def start() -> None:
    """The first flush comes one interval after start, not at the first read."""
    _flush_at[0] = time.time() + settings.READERSHIP_FLUSH_SECONDS


def record(article_pk: int, user_agent: str) -> None:
    now = time.time()
    key = (int(now // 3600), article_pk, user_agent[:UA_MAX])
    with _lock:
        _buffer[key] = _buffer.get(key, 0) + 1
        due = now >= _flush_at[0] or len(_buffer) >= settings.READERSHIP_FLUSH_KEYS
    if due:
        flush()


def flush_if_due() -> None:
    """For processes that may go quiet (the nginx collector): flush on time."""
    if _buffer and time.time() >= _flush_at[0]:
        flush()


def pending() -> int:
    """Reads recorded in this process and not yet written."""
    with _lock:
        return sum(_buffer.values())


def flush() -> int:
    """Write the buffered reads; returns how many human reads were written.
    Never raises: a store that is down keeps the counts for the next flush."""
    global _buffer
    with _lock:
        taken, _buffer = _buffer, {}
        _flush_at[0] = time.time() + settings.READERSHIP_FLUSH_SECONDS
    counts: dict[tuple[int, int], int] = {}
    for (hour, pk, user_agent), n in taken.items():
        if user_agent == KEPT or not bots.is_bot(user_agent):
            counts[hour, pk] = counts.get((hour, pk), 0) + n
    if not counts:
        return 0
    try:
        store.add(counts)
    except Exception:
        log.exception("could not write %d read counts; kept for the next flush", len(counts))
        with _lock:
            if len(_buffer) < settings.READERSHIP_FLUSH_KEYS * 10:  # bounded while the store is down
                for (hour, pk), n in counts.items():
                    key = (hour, pk, KEPT)
                    _buffer[key] = _buffer.get(key, 0) + n
        return 0
    return sum(counts.values())

"""Reads that nginx served from its own cache, taken from its log.

deploy/nginx/khabar.conf logs each cache HIT (not a MISS: that reaches
the app, which counts it) as a line `<method>|<id>|<user agent>`, the id
empty for pages other than stories (only GETs of stories count here), to a
file of its own, in buffered writes (64 KiB, at least once a second), and
`khabar readership-listen --log FILE` follows that file. Buffered, the
log costs nginx one write per several hundred reads: one syslog datagram
per read (the first design) cost 40 % of nginx's cached throughput on this
2-core machine (benchmarks/serve.py, README).

The follower remembers how far it has counted (FILE.offset, rewritten after
each batch is handed to the store), so a restart neither loses nor repeats
lines, and it follows the file through rotation: renamed (logrotate, then
`nginx -s reopen`) or truncated (copytruncate)."""

import os
import re
from pathlib import Path

from . import counter

LINE = re.compile(rb"^GET\|(\d{1,18})\|(.*)$", re.S)
CHUNK = 1 << 20  # bytes read at a time: a long backlog never sits in memory whole


def parse(line: bytes) -> tuple[int, str] | None:
    """(article id, user agent) from one of nginx's lines; None for anything else."""
    match = LINE.match(line)
    if match is None:
        return None
    return int(match[1]), match[2].decode("utf-8", "replace")


class LogFollower:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.state = self.path.with_name(self.path.name + ".offset")
        self.file = None
        self.inode = 0
        self.partial = b""  # the start of a line whose end is not written yet

    def _saved(self) -> tuple[int, int] | None:
        try:
            inode, offset = self.state.read_text().split()
            return int(inode), int(offset)
        except (OSError, ValueError):
            return None

    def _open(self) -> bool:
        try:
            file = open(self.path, "rb")  # noqa: SIM115 (kept open between polls)
        except FileNotFoundError:
            return False  # nginx has not written it yet
        stat = os.fstat(file.fileno())
        saved = self._saved()
        if saved and saved[0] == stat.st_ino and saved[1] <= stat.st_size:
            file.seek(saved[1])
        self.file, self.inode, self.partial = file, stat.st_ino, b""
        return True

    def _drain(self) -> int:
        counted = 0
        while chunk := self.file.read(CHUNK):
            *lines, self.partial = (self.partial + chunk).split(b"\n")
            for line in lines:
                found = parse(line)
                if found:
                    counter.record(*found)
                    counted += 1
        return counted

    def poll(self) -> int:
        """Count the lines written since the last poll; returns how many."""
        if self.file is None and not self._open():
            return 0
        counted = self._drain()
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            return counted  # renamed away, nginx not reopened yet: it still writes the old one
        if now.st_ino != self.inode or now.st_size < self.file.tell():
            counted += self._drain()  # whatever nginx wrote to the old file last
            self.close()
            self.state.unlink(missing_ok=True)
            if self._open():
                counted += self._drain()
        return counted

    def save(self) -> None:
        """Remember the position: everything before it is counted."""
        if self.file is None:
            return
        temporary = self.state.with_name(self.state.name + ".tmp")
        temporary.write_text(f"{self.inode} {self.file.tell() - len(self.partial)}\n")
        os.replace(temporary, self.state)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def follow(follower: LogFollower, stop, wait) -> None:
    """Count what nginx logs until stop() is true. Each batch goes to the
    store at once, then the position is saved: nginx already batched it."""
    while True:
        stopping = stop()
        if follower.poll():
            counter.flush()
            follower.save()
        if stopping:
            break
        wait()
    follower.close()

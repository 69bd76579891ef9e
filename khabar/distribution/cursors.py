"""Keyset pagination cursors: a position (time, id) in a listing's order,
written `<microseconds since 1970>.<id>`. Every string that matches CURSOR is
a valid position (a client can only move itself along the list), so no
well-formed cursor is ever refused."""

import re
from datetime import UTC, datetime, timedelta

CURSOR = r"^[0-9]{1,16}\.[0-9]{1,18}$"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


LATEST = datetime(9998, 12, 31, tzinfo=UTC)
_ISO_DATE = re.compile(r"[0-9]{4}-")


def iso_only(value):
    """Refuse what pydantic would otherwise read as a Unix time ("0.5")."""
    if isinstance(value, str) and not _ISO_DATE.match(value):
        raise ValueError("expected an ISO 8601 date-time, e.g. 2025-03-18T01:41:00+03:00")
    return value


def sane_moment(value: datetime) -> datetime:
    """A time filter brought within what databases and cursors hold: UTC when
    no offset is given, clamped to 1970..9998. Nothing here is older than
    1970, so the clamp never changes an answer."""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        utc = value.astimezone(UTC)
    except OverflowError:  # an offset pushed it past year 1 or 9999
        return EPOCH if value.year < 2 else LATEST
    return min(max(utc, EPOCH), LATEST)


def encode_cursor(at: datetime, pk: int) -> str:
    return f"{(at - EPOCH) // timedelta(microseconds=1)}.{pk}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    micros, pk = cursor.split(".")
    return EPOCH + timedelta(microseconds=int(micros)), int(pk)

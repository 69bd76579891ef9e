"""A story's timeline: its dated passages in date order. Pure functions on
top of khabar.arabic.date_extract.

``timeline_entries()`` there gives one entry per sentence. News sentences
often chain events ("… إلى أنقرة في 14 يناير 2025، وزيارة الرئيس … في 4 فبراير
2025"), so here a sentence with several dates is cut at the last comma or
semicolon between two of them, and each part becomes an entry. Dates with no
such mark between them stay together and the most precise one places them.
"""

import hashlib
import re
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from khabar.arabic.dates import format_date, month_name
from khabar.arabic.digits import to_arabic_digits

if TYPE_CHECKING:
    from khabar.arabic.date_extract import DateMention

# Bump when entries for the same text change: cached timelines are redone.
VERSION = "1"
_CLAUSE_MARK = re.compile(r"[،,؛;]")
_TRIM = " \t\n،,؛;"


@dataclass(frozen=True)
class Entry:
    key: str
    start: date
    end: date
    precision: str  # as DateMention: day, month, year, week, range
    mention: str  # the date's own words in the story
    text: str  # the passage the date belongs to

    @property
    def datetime_attr(self) -> str:
        """Value for <time datetime>: 2024-12-08, 2024-12 or 2024; a week or
        another range gives its first day (HTML has no interval syntax)."""
        if self.precision == "month":
            return self.start.isoformat()[:7]
        if self.precision == "year":
            return self.start.isoformat()[:4]
        return self.start.isoformat()

    def as_dict(self) -> dict:
        return asdict(self)


def entry_key(mention: str, passage: str) -> str:
    """Stable id of an entry for editors' "hide": the date's words and its
    passage, whitespace-insensitive. Editing another paragraph keeps it."""
    raw = " ".join(mention.split()) + "\x1f" + " ".join(passage.split())
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=8).hexdigest()


def _groups(text: str, start: int, end: int, mentions: list["DateMention"]):
    """(start, end, mentions) parts of one sentence, cut between dates."""
    begin, group = start, [mentions[0]]
    for previous, current in zip(mentions, mentions[1:], strict=False):
        marks = list(_CLAUSE_MARK.finditer(text, previous.end, current.start))
        if marks:
            yield begin, marks[-1].end(), group
            begin, group = marks[-1].end(), []
        group.append(current)
    yield begin, end, group


def story_timeline(text: str, ref: datetime | date | None = None) -> list[Entry]:
    """Entries of a story's plain text, oldest first. ``ref`` (the story's
    local publication time) resolves "next week", "yesterday" and the like."""
    # Imported here: public pages only read timelines stored in the cache,
    # and the extractor's tables cost every web process ~2 MiB.
    from khabar.arabic.date_extract import extract_dates, sentences

    mentions = extract_dates(text, ref)
    entries = []
    for s_start, s_end in sentences(text):
        inside = [m for m in mentions if s_start <= m.start < s_end]
        if not inside:
            continue
        for start, end, group in _groups(text, s_start, s_end, inside):
            best = min(group, key=lambda m: (m.end_date - m.start_date, m.start))
            passage = text[start:end].strip(_TRIM) or best.text
            if end < s_end:
                passage += "…"
            key = entry_key(best.text, passage)
            entries.append(
                (best.start, Entry(key, best.start_date, best.end_date, best.precision, best.text, passage))
            )
    return [entry for _, entry in sorted(entries, key=lambda item: (item[1].start, item[0]))]


def date_label(entry: Entry, *, months: str = "both", digits: str = "latin") -> str:
    """How an entry's date reads: "8 ديسمبر/كانون الأول 2024", "ديسمبر/كانون
    الأول 2024", "2024", or a range "22–28 مارس/آذار 2025"."""
    start, end = entry.start, entry.end
    if entry.precision == "day":
        return format_date(start, months=months, digits=digits)
    if entry.precision == "month":
        text = f"{month_name(start.month, months)} {start.year}"
    elif entry.precision == "year":
        text = str(start.year)
    elif (start.year, start.month) == (end.year, end.month):
        text = f"{start.day}–{end.day} {month_name(start.month, months)} {start.year}"
    elif start.year == end.year:
        first, last = month_name(start.month, months), month_name(end.month, months)
        text = f"{start.day} {first} – {end.day} {last} {end.year}"
    else:
        first, last = format_date(start, months=months), format_date(end, months=months)
        text = f"{first} – {last}"
    return to_arabic_digits(text) if digits == "arabic" else text

"""Normalisation of Arabic text for search (ARABIC-TEXT.md §7, steps 1–3).

``normalize`` keeps ة and ى because the stemmer reads them as suffix cues;
``fold`` also merges them, for loose comparisons that never reach the stemmer
(tag names, highlight matching)."""

import unicodedata

from .digits import to_ascii_digits

# Tashkeel and Quranic marks, tatweel, zero-width and bidi controls. Soft
# hyphen and word joiner are not in §7 but are just as invisible, and editors
# paste them into the middle of words.
_DELETE = [
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0670,
    *range(0x06D6, 0x06EE),
    0x0640,
    *range(0x200B, 0x2010),
    0x061C,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0xFEFF,
    0x00AD,
    0x2060,
]
_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    # A single hamza letter makes مسؤول and مسئول meet; folding to و/ي would
    # make Snowball mangle words such as الشؤون.
    "ؤ": "ء",
    "ئ": "ء",
    "ی": "ي",
    "ک": "ك",
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    # str.lower() turns Turkish İ into i + combining dot, which would split
    # İstanbul into two words.
    "İ": "i",
}
_TABLE = str.maketrans({**dict.fromkeys(_DELETE), **_FOLD})
_LOOSE = str.maketrans({"ة": "ه", "ى": "ي"})


def normalize(text: str) -> str:
    """NFKC, drop marks and invisible controls, fold letter variants, digits
    and Arabic punctuation to one form, lower-case. Idempotent."""
    text = unicodedata.normalize("NFKC", text)
    text = to_ascii_digits(text.translate(_TABLE)).lower()
    # Deleting a tatweel or control can leave a Latin letter next to a
    # combining accent that NFKC now composes; a second pass (a cheap check
    # when nothing changes) keeps normalize idempotent.
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """normalize() plus ة→ه and ى→ي: a loose key for matching names and
    highlights, never for input to the stemmer."""
    return normalize(text).translate(_LOOSE)

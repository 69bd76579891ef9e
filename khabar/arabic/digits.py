"""Digits: Arabic-Indic (٠-٩) and Persian (۰-۹) to ASCII and back, and strict
parsing of small numbers typed by readers (the comment question's answer)."""

import re

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
_TO_ASCII = str.maketrans(ARABIC_INDIC + PERSIAN, "0123456789" * 2)
_TO_ARABIC = str.maketrans("0123456789", ARABIC_INDIC)
# Marks a reader's keyboard or a copy-paste can put around a number.
_INVISIBLE = dict.fromkeys(
    map(
        ord,
        "\u200e\u200f\u061c\u200b\u200c\u200d\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    )
)
_SMALL_NUMBER = re.compile(r"[0-9]{1,3}")


def to_ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC)


def parse_small_number(text: str) -> int | None:
    """Read a reader-typed answer of at most three digits, in any of the three
    digit sets, with surrounding spaces and direction marks ignored.

    Anything else (signs, decimals, ``1_0``, full-width or superscript digits,
    thousands of digits) gives None: ``int()`` alone would accept several of
    those and raise on very long input."""
    if not isinstance(text, str) or len(text) > 20:
        return None
    cleaned = text.translate(_INVISIBLE).strip()
    cleaned = to_ascii_digits(cleaned)
    if not _SMALL_NUMBER.fullmatch(cleaned):
        return None
    return int(cleaned)

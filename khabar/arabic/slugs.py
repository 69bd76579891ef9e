"""URL slugs that keep Arabic letters (Django's ``slugify`` needs
``allow_unicode=True`` for that) but drop diacritics and tatweel, so the same
headline always gives the same slug."""

import re
import unicodedata

from .digits import to_ascii_digits

_DROP = re.compile(
    r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_NOT_WORD = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[-\s_]+")


def slugify(text: str, max_length: int = 60) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _DROP.sub("", to_ascii_digits(text)).lower()
    text = _NOT_WORD.sub(" ", text)
    slug = _SEPARATORS.sub("-", text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug

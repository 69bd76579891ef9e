"""Moderation keys and blocked keys, as WordPress's discussion settings have
them: one word, phrase, address or IP per line (or comma-separated); a key
matches when it appears inside any field of the comment. Matching goes
through khabar.arabic's fold(), so «الاسلام» catches «الإسلام» and
Arabic-Indic digits match Latin ones."""

from khabar.arabic.normalize import fold


def parse_keys(value) -> list[str]:
    """Keys from a setting: a string of newline- or comma-separated keys, or
    a list. Empty entries are dropped; each key is folded once here."""
    if isinstance(value, str):
        value = value.replace("\n", ",").split(",")
    return [key for key in (fold(str(item)).strip() for item in value or []) if key]


def first_matching_key(keys, *fields: str) -> str | None:
    keys = parse_keys(keys)
    if not keys:  # the usual case: nothing to fold the fields for
        return None
    folded = [fold(field or "") for field in fields]
    for key in keys:
        if any(key in field for field in folded):
            return key
    return None

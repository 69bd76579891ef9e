"""Snippets with the matched words marked in the text as written (diacritics,
hamza and spelling untouched): the analyzer's tokenize() gives each word's
term with its offsets in the original text, so we mark by term, not by
spelling."""

import re
from collections.abc import Collection

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from khabar.arabic.analyzer import analyze, tokenize

from .query import MAX_TERM_CHARS

WINDOW = 30
_CHUNK = re.compile(r"\S+")


def highlight(text: str, terms: Collection[str]) -> SafeString:
    """``text`` escaped, with each word whose term is in ``terms`` in <mark>."""
    marked, position = [], 0
    for term, start, end in tokenize(text):
        if term[:MAX_TERM_CHARS] in terms:
            marked.append((text[position:start], text[start:end]))
            position = end
    return format_html("{}{}", format_html_join("", "{}<mark>{}</mark>", marked), text[position:])


def snippet(text: str, terms: Collection[str], *, words: int = WINDOW) -> SafeString:
    """About ``words`` words of ``text`` from a little before the densest
    cluster of matches (the opening words if nothing matches), highlighted."""
    chunks = [match.span() for match in _CHUNK.finditer(text)]
    if not chunks:
        return SafeString("")
    wanted = frozenset(terms)
    # Whitespace-separated chunks analyze like the words inside them: cheap to
    # scan a whole body this way, and only the window goes through tokenize().
    found = [wanted.intersection(analyze(text[start:end])) for start, end in chunks]
    first = _best_window(found, words)
    last = min(first + words, len(chunks)) - 1
    marked = highlight(text[chunks[first][0] : chunks[last][1]], wanted)
    before = "… " if first > 0 else ""
    after = " …" if last < len(chunks) - 1 else ""
    return format_html("{}{}{}", before, marked, after)


def _best_window(found: list[frozenset[str]], words: int) -> int:
    """Where to start: a third of a window before the first match of the
    window holding the most distinct terms (the earliest such window)."""
    counts: dict[str, int] = {}
    best_score, best_end = 0, 0
    for end, hits in enumerate(found):
        for term in hits:
            counts[term] = counts.get(term, 0) + 1
        if end >= words:
            for term in found[end - words]:
                counts[term] -= 1
                if not counts[term]:
                    del counts[term]
        if len(counts) > best_score:
            best_score, best_end = len(counts), end
    if not best_score:
        return 0
    first_hit = next(i for i in range(max(0, best_end - words + 1), best_end + 1) if found[i])
    return max(0, first_hit - words // 3)

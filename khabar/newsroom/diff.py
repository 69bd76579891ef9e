"""Readable differences between two revisions: paragraphs are matched first,
then changed paragraphs are compared word by word. Pure functions; every
piece of text is escaped before it is wrapped in <del>/<ins>."""

import difflib
import re

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

from khabar.news.html import html_to_text

_TOKENS = re.compile(r"\s+|\S+")


def diff_words(old: str, new: str) -> SafeString:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((piece,) for piece in out))


def diff_paragraphs(old: str, new: str) -> list[SafeString]:
    """One entry per paragraph of the newer text (plus removed ones)."""
    a, b = old.splitlines(), new.splitlines()
    out: list[SafeString] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(escape(line) for line in a[i1:i2])
            continue
        # Changed paragraphs are paired in order and compared word by word;
        # the rest of the longer side is wholly removed or added.
        old_lines, new_lines = a[i1:i2], b[j1:j2]
        paired = min(len(old_lines), len(new_lines))
        out.extend(diff_words(x, y) for x, y in zip(old_lines[:paired], new_lines[:paired], strict=True))
        out.extend(diff_words(line, "") for line in old_lines[paired:])
        out.extend(diff_words("", line) for line in new_lines[paired:])
    return out


def diff_revisions(old, new) -> dict:
    """Headline, summary and body of two revisions (or articles), side by side."""
    return {
        "headline": diff_words(old.headline, new.headline),
        "summary": diff_words(old.summary, new.summary),
        "body": diff_paragraphs(html_to_text(old.body), html_to_text(new.body)),
    }

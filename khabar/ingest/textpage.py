"""Reader for the agency's scraped page format (see tests/data/sample-article.txt):

    headline
    agency line
    YYYY.MM.DD - HH:MM          (ASCII or Arabic-Indic digits)
    body paragraphs and "- " bullet lines, separated by blank lines

Page chrome (share, print, back-to-top, add-comment, the arithmetic prompt)
is dropped wherever it appears."""

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from khabar.arabic.digits import to_ascii_digits
from khabar.news.html import strip_illegal_chars

_TIMESTAMP = re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})\s*-\s*(\d{1,2}):(\d{2})")
_CHROME = re.compile(
    r"^(facebook share|طباعة|عودة للأعلى|طباعة عودة للأعلى|[اإ]ضافة تعليق|\*?\s*اكتب ناتج\s.*)$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^[-•*]\s+")
MAX_HEADLINE = 300


class PageError(ValueError):
    def __init__(self, path, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Page:
    headline: str
    agency: str
    published_at: datetime
    body_html: str
    summary: str


def _lines(path: Path) -> list[str]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PageError(path, data[: error.start].count(b"\n") + 1, "النص ليس بترميز UTF-8") from None
    return [strip_illegal_chars(line).strip() for line in text.splitlines()]


def _next_content(lines: list[str], start: int) -> int:
    index = start
    while index < len(lines) and (not lines[index] or _CHROME.match(lines[index])):
        index += 1
    return index


def _parse_time(path, lineno: int, line: str, tz: ZoneInfo) -> datetime:
    match = _TIMESTAMP.fullmatch(to_ascii_digits(line))
    if not match:
        raise PageError(path, lineno, f"كان متوقعاً سطر التاريخ بالشكل YYYY.MM.DD - HH:MM، وُجد: {line[:60]!r}")
    try:
        return datetime(*map(int, match.groups()), tzinfo=tz)
    except ValueError:
        raise PageError(path, lineno, f"تاريخ غير صالح: {line!r}") from None


def _body_blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Group body lines into ("p", [text]) and ("ul", [items]) blocks."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        if not line or _CHROME.match(line):
            blocks.append(("", []))
            continue
        kind, text = ("ul", _BULLET.sub("", line)) if _BULLET.match(line) else ("p", line)
        if blocks and blocks[-1][0] == kind and (kind == "ul" or blocks[-1][1]):
            blocks[-1][1].append(text)
        else:
            blocks.append((kind, [text]))
    return [block for block in blocks if block[0]]


def _to_html(blocks) -> str:
    parts = []
    for kind, texts in blocks:
        if kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in texts) + "</ul>")
        else:
            parts.append(f"<p>{escape(' '.join(texts))}</p>")
    return "\n".join(parts)


def _summary(blocks) -> str:
    first = next((" ".join(texts) for kind, texts in blocks if kind == "p"), "")
    return first if len(first) <= 280 else first[:280].rsplit(" ", 1)[0] + "…"


def parse_page(path: Path, tz: ZoneInfo) -> Page:
    lines = _lines(path)
    heads = []
    index = 0
    for label in ("العنوان", "سطر الوكالة", "سطر التاريخ"):
        index = _next_content(lines, index)
        if index >= len(lines):
            raise PageError(path, len(lines) or 1, f"الملف انتهى قبل {label}")
        heads.append((index + 1, lines[index]))
        index += 1
    (_, headline), (_, agency), (time_line, time_text) = heads
    if len(headline) > MAX_HEADLINE:
        raise PageError(path, heads[0][0], f"العنوان أطول من {MAX_HEADLINE} حرفاً")
    if _TIMESTAMP.fullmatch(to_ascii_digits(agency)):
        raise PageError(path, heads[1][0], "سطر الوكالة مفقود: وُجد التاريخ مكانه")
    published_at = _parse_time(path, time_line, time_text, tz)
    blocks = _body_blocks(lines[index:])
    if not blocks:
        raise PageError(path, len(lines), "لا يوجد نص للخبر بعد سطر التاريخ")
    return Page(headline, agency[:200], published_at, _to_html(blocks), _summary(blocks))

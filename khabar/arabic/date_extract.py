"""Find dates written in Arabic news text and resolve them to date ranges.

Matching runs on a folded copy of the text (alef forms, ى/ة, Persian letters and
digits folded; diacritics, tatweel and direction marks removed) while every
span points into the original text. The week runs Saturday to Friday, as CLDR
gives for ar_SY and ar_EG and as Levantine and Egyptian wall calendars print it.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hijridate import Hijri

from .cldr_names import day_names, month_names
from .digits import to_ascii_digits

WEEK_START = 5  # date.weekday() of Saturday
# Tashkeel and tatweel (kept out of matching, kept inside spans) and invisible
# direction/joiner marks, which only ever get in the way of matching.
_TASHKEEL = frozenset(map(chr, [*range(0x610, 0x61B), *range(0x64B, 0x660), 0x670, *range(0x6D6, 0x6EE)]))
_TASHKEEL |= {"\u0640"}
_INVISIBLE = frozenset("\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff")
_INVISIBLE |= {"\u2066", "\u2067", "\u2068", "\u2069"}
_FOLD = str.maketrans("أإآٱىةیک", "اااايهيك")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    start_date: date
    end_date: date
    precision: str  # "day", "month", "year", "week" or "range"

    @property
    def iso(self) -> str:
        """Day "2024-12-08", month "2024-12", year "2024"; weeks and other ranges
        as an ISO 8601 interval, "2025-03-22/2025-03-28"."""
        if self.precision == "day":
            return self.start_date.isoformat()
        if self.precision == "month":
            return self.start_date.isoformat()[:7]
        if self.precision == "year":
            return self.start_date.isoformat()[:4]
        return f"{self.start_date.isoformat()}/{self.end_date.isoformat()}"


def _fold_plain(text: str) -> str:
    dropped = _TASHKEEL | _INVISIBLE
    return to_ascii_digits("".join(ch for ch in text if ch not in dropped).translate(_FOLD))


def _fold(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index it came from."""
    dropped = _TASHKEEL | _INVISIBLE
    offsets = [i for i, ch in enumerate(text) if ch not in dropped]
    return _fold_plain("".join(text[i] for i in offsets)), offsets


def _table(pairs) -> dict[str, int]:
    return {" ".join(_fold_plain(name).split()): number for name, number in pairs}


def _alternation(names) -> str:
    # Longest first so "كانون الثاني" wins over "كانون" and "مايو" over "ماي".
    ordered = sorted(names, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, name.split())) for name in ordered)


# MSA, Levantine, Moroccan and Algerian/Tunisian names from CLDR, plus spellings
# CLDR lacks but newspapers use.
_CLDR_MONTHS = [
    (name, m) for loc in ("ar", "ar_SY", "ar_MA", "ar_DZ") for m, name in month_names(loc).items()
]
_EXTRA_MONTHS = {"يونيه": 6, "يوليه": 7, "كانون ثاني": 1, "تشرين أول": 10, "تشرين ثاني": 11, "كانون أول": 12}
_GREGORIAN = _table(_CLDR_MONTHS + list(_EXTRA_MONTHS.items()))
_HIJRI = _table(
    [(Hijri(1446, m, 1).month_name("ar"), m) for m in range(1, 13)]
    + [("ربيع الآخر", 4), ("جمادى الأول", 5), ("جمادى الثانية", 6), ("ذي القعدة", 11), ("ذي الحجة", 12)]
)
_WEEKDAYS = _table((name, n) for n, name in day_names("ar").items())
_DAY_WORDS = _table(
    [("أول من أمس", -2), ("أول أمس", -2), ("بعد غد", 2), ("البارحة", -1), ("أمس", -1), ("الأمس", -1)]
    + [("اليوم", 0), ("غدا", 1)]
)
# Counts 3 to 10 in words, masculine and feminine ("قبل ثلاثة أيام").
_NUMBER_WORDS = _table(
    (word, n)
    for n, words in enumerate(["ثلاثة ثلاث", "أربعة أربع", "خمسة خمس", "ستة ست", "سبعة سبع"], start=3)
    for word in words.split()
) | _table([("ثمانية", 8), ("ثماني", 8), ("ثمان", 8), ("تسعة", 9), ("تسع", 9), ("عشرة", 10), ("عشر", 10)])
_RELATIVE_WORDS = _table([("المقبل", 1), ("القادم", 1), ("الماضي", -1), ("المنصرم", -1), ("الفائت", -1)])
_RELATIVE_WORDS |= _table([("الحالي", 0), ("الجاري", 0)])

# Pattern fragments are spelt as the folded text is: ا for أ/إ/آ, ه for ة,
# ي for ى, ASCII digits ("إلى" is written الي, "هـ" is ه).
_G = _alternation(_GREGORIAN)
_MONTH = rf"(?P<mon>{_G})(?:\s*(?:/|(?P<par>\())\s*(?P<mon2>{_G})(?(par)\s*\)))?"
_YEAR_WORD = r"(?:ال)?(?:عام|سنه)\s+"
# A Gregorian year may carry م (ميلادي), a Hijri one هـ or هجرية.
_YEAR_NUMBER = r"(?P<year>[12][0-9]{3})(?![0-9])(?:\s*م(?!\w))?"
_YEAR = rf"(?:{_YEAR_WORD})?{_YEAR_NUMBER}"
_ERA = r"\s*(?:للهجره|هجريه|هجري|ه)(?!\w)"
_HIJRI_YEAR = rf"(?:{_YEAR_WORD})?(?P<year>1[3-5][0-9]{{2}})(?![0-9])(?:{_ERA})?"
_H = _alternation(_HIJRI)
_WD = _alternation(_WEEKDAYS)
_WEEKDAY = rf"(?:(?:يوم\s+)?(?P<wd>{_WD})\s*[،,]?\s*)?(?:يوم\s+)?"
_DAY = r"(?:ال)?(?P<day>[0-9]{1,2})(?![0-9])"
_DAY2 = r"(?:\s*(?:-|–|الي|حتي|و)\s*(?P<day2>[0-9]{1,2})(?![0-9]))?"
_REL = _alternation(_RELATIVE_WORDS)
_REL_MOVING = _alternation(word for word, step in _RELATIVE_WORDS.items() if step)
_AGO_UNITS = r"(?P<unit>ايام|يوما|يوم|اسابيع|اسبوعا|اسبوع)"
_AGO_NUMBER = rf"(?:(?P<n>[0-9]{{1,3}})|(?P<nw>{_alternation(_NUMBER_WORDS)}))"
_PARTS = {"اوائل": (1, 10), "مطلع": (1, 10), "بدايه": (1, 10), "منتصف": (11, 20), "اواسط": (11, 20)}
_PARTS |= {"اواخر": (21, 31), "نهايه": (21, 31)}
_PERIOD_UNIT = r"(?P<unit>(?:ال)?(?:اسبوع|شهر|عام|سنه))"
# Year first (ISO, the dateline's 2025.03.18) or day first (Arab usage, 18/03/2025).
_NUMERIC = (
    r"(?P<y>[12][0-9]{3})(?P<s>[-./])(?P<m>[0-9]{1,2})(?P=s)(?P<d>[0-9]{1,2})(?![0-9])"
    r"|(?P<d2>[0-9]{1,2})(?P<s2>[-./])(?P<m2>[0-9]{1,2})(?P=s2)(?P<y2>[12][0-9]{3})(?![0-9])"
)


def _rule(body: str) -> re.Pattern:
    # A match starts a word (optionally after the clitics و ف ب ل), not inside a
    # number or an expression like "1 + 7", and ends a word.
    return re.compile(rf"(?<![\w.+\-/:])(?:[وفبل]{{1,2}})?(?P<b>{body})(?!\w)")


def _month(m: re.Match, table: dict[str, int]) -> int:
    month = table[" ".join(m["mon"].split())]
    if m["mon2"] and table[" ".join(m["mon2"].split())] != month:
        raise ValueError("the two month names disagree")
    return month


def _nearest(ref: date | None, month: int, day: int) -> date:
    """A day and month without a year: the year that puts it closest to ref."""
    if ref is None:
        raise ValueError("no year and no reference date")
    options = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return min(options, key=lambda d: abs(d - ref))


def _month_range(year: int, month: int) -> tuple[date, date, str]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1]), "month"


def _week_of(d: date, precision: str = "week") -> tuple[date, date, str]:
    start = d - timedelta(days=(d.weekday() - WEEK_START) % 7)
    return start, start + timedelta(days=6), precision


def _day_month(m: re.Match, ref: date | None):
    month, day = _month(m, _GREGORIAN), int(m["day"])
    start = date(int(m["year"]), month, day) if m["year"] else _nearest(ref, month, day)
    if not m["day2"]:
        return start, start, "day"
    end = date(start.year, month, int(m["day2"]))
    if end <= start:
        raise ValueError("a day range must go forwards")
    return start, end, "range"


def _month_year(m: re.Match, ref: date | None):
    return _month_range(int(m["year"]), _month(m, _GREGORIAN))


def _part_of_month(m: re.Match, ref: date | None):
    month = _month(m, _GREGORIAN)
    year = int(m["year"]) if m["year"] else _nearest(ref, month, 15).year
    first, last = _PARTS[m["part"]]
    last = min(last, monthrange(year, month)[1])
    return date(year, month, first), date(year, month, last), "range"


def _hijri(m: re.Match, ref: date | None):
    year, month = int(m["year"]), _HIJRI[" ".join(m["mon"].split())]
    if m["day"]:
        day = date(*Hijri(year, month, int(m["day"])).to_gregorian().datetuple())
        return day, day, "day"
    first = Hijri(year, month, 1)
    start = date(*first.to_gregorian().datetuple())
    return start, start + timedelta(days=first.month_length() - 1), "month"


def _hijri_year(m: re.Match, ref: date | None):
    # A Hijri year straddles two Gregorian ones, so it is a range, not a "year".
    year = int(m["year"])
    last = Hijri(year, 12, 1)
    start = date(*Hijri(year, 1, 1).to_gregorian().datetuple())
    end = date(*last.to_gregorian().datetuple()) + timedelta(days=last.month_length() - 1)
    return start, end, "range"


def _numeric(m: re.Match, ref: date | None):
    day = date(int(m["y"] or m["y2"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"]))
    return day, day, "day"


def _year(m: re.Match, ref: date | None):
    year = int(m["year"])
    return date(year, 1, 1), date(year, 12, 31), "year"


def _relative_day(m: re.Match, ref: date):
    day = ref + timedelta(days=_DAY_WORDS[" ".join(m["w"].split())])
    return day, day, "day"


def _relative_period(m: re.Match, ref: date):
    step = _RELATIVE_WORDS[m["rel"]] if m.groupdict().get("rel") else 0
    unit = m["unit"].removeprefix("ال")
    if unit == "اسبوع":
        return _week_of(ref + timedelta(weeks=step))
    if unit == "شهر":
        index = ref.year * 12 + ref.month - 1 + step
        return _month_range(index // 12, index % 12 + 1)
    year = ref.year + step
    return date(year, 1, 1), date(year, 12, 31), "year"


def _relative_weekday(m: re.Match, ref: date):
    # Strictly after ref for "الأحد المقبل", strictly before for "الأحد الماضي":
    # on a Sunday, "next Sunday" is a week away.
    target = _WEEKDAYS[m["wd"]]
    if _RELATIVE_WORDS[m["rel"]] > 0:
        day = ref + timedelta(days=(target - ref.weekday()) % 7 or 7)
    else:
        day = ref - timedelta(days=(ref.weekday() - target) % 7 or 7)
    return day, day, "day"


def _ago(m: re.Match, ref: date):
    count = 2 if m["dual"] else int(m["n"]) if m["n"] else _NUMBER_WORDS[m["nw"]]
    unit = m["dual"] or m["unit"]
    sign = -1 if m["dir"] == "قبل" else 1
    if unit.startswith("اسب"):
        return _week_of(ref + timedelta(weeks=sign * count))
    day = ref + timedelta(days=sign * count)
    return day, day, "day"


# Absolute rules first: on equal spans the earlier rule wins. The third item
# says whether the rule needs a reference date.
_RULES = [
    (_rule(rf"{_WEEKDAY}{_DAY}{_DAY2}(?:\s+من)?\s*{_MONTH}(?:\s*{_YEAR})?"), _day_month, False),
    (_rule(rf"{_MONTH}\s*{_YEAR}"), _month_year, False),
    (_rule(rf"(?P<part>{'|'.join(_PARTS)})\s+(?:شهر\s+)?{_MONTH}(?:\s*{_YEAR})?"), _part_of_month, False),
    (_rule(rf"{_WEEKDAY}(?:{_DAY}(?:\s+من)?\s*)?(?P<mon>{_H})\s*{_HIJRI_YEAR}"), _hijri, False),
    (_rule(rf"(?:{_YEAR_WORD})?(?P<year>1[3-5][0-9]{{2}}){_ERA}"), _hijri_year, False),
    (_rule(_NUMERIC), _numeric, False),
    (_rule(rf"{_YEAR_WORD}{_YEAR_NUMBER}"), _year, False),
    # "اليوم التالي" and the like count from the story's own events, not from ref.
    (
        _rule(rf"(?P<w>{_alternation(_DAY_WORDS)})(?!\s+(?:التالي|السابق|نفسه|ذاته|العالمي|الوطني)(?!\w))"),
        _relative_day,
        True,
    ),
    (_rule(rf"{_PERIOD_UNIT}\s+(?P<rel>{_REL})ه?"), _relative_period, True),
    (_rule(rf"(?:هذا|هذه)\s+{_PERIOD_UNIT}"), _relative_period, True),
    (_rule(rf"(?:يوم\s+)?(?P<wd>{_WD})\s+(?P<rel>{_REL_MOVING})ه?"), _relative_weekday, True),
    # "بعد يومين من الهجوم" counts from the attack, so a following من/على rules it out.
    (
        _rule(
            rf"(?P<dir>قبل|بعد)\s+(?:{_AGO_NUMBER}\s+{_AGO_UNITS}|(?P<dual>يومين|اسبوعين))(?!\s+(?:من|علي)(?!\w))"
        ),
        _ago,
        True,
    ),
]


def _as_date(ref: datetime | date | None) -> date | None:
    return ref.date() if isinstance(ref, datetime) else ref


def _candidates(folded: str, ref: date | None):
    """(start, end, rule index, resolved or None) for every rule match, in
    folded coordinates. An invalid match ("30 فبراير 2025") is kept with None so
    that it still outweighs the shorter match inside it ("فبراير 2025")."""
    for index, (pattern, resolve, needs_ref) in enumerate(_RULES):
        if needs_ref and ref is None:
            continue
        for m in pattern.finditer(folded):
            try:
                resolved = resolve(m, ref)
            except (ValueError, OverflowError):  # no such day, or beyond date's range
                resolved = None
            yield m.start("b"), m.end("b"), index, resolved


def _longest_first(candidates) -> list:
    chosen = []
    for cand in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        if all(cand[1] <= other[0] or cand[0] >= other[1] for other in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c[0])


def _original_span(text: str, offsets: list[int], start: int, end: int) -> tuple[int, int]:
    begin, finish = offsets[start], offsets[end - 1] + 1
    # Take in the vowel marks written on the last letter ("غدًا" keeps its tanween).
    while finish < len(text) and text[finish] in _TASHKEEL:
        finish += 1
    return begin, finish


def extract_dates(text: str, ref: datetime | date | None = None) -> list[DateMention]:
    """Dates mentioned in ``text``, in order, without overlaps (the longest
    match wins). Relative expressions ("أمس", "الأسبوع المقبل") and day-month
    dates without a year are resolved against ``ref`` and skipped without it."""
    folded, offsets = _fold(text)
    mentions = []
    for start, end, _, resolved in _longest_first(_candidates(folded, _as_date(ref))):
        if resolved is None:
            continue
        begin, finish = _original_span(text, offsets, start, end)
        mentions.append(DateMention(begin, finish, text[begin:finish], *resolved))
    return mentions


_BREAK = re.compile(r"[.!?؟]+|\n+")
# One-letter abbreviations ("د." doctor, "أ." professor, "ص." page) do not end a
# sentence; هـ and م do, as era marks after a year usually close a sentence.
_ABBREVIATION = re.compile(r"(?<!\w)[^\W\dهم]\u0640?$")


def _is_sentence_end(text: str, m: re.Match) -> bool:
    if m.group() != ".":
        return True
    before, after = text[: m.start()], text[m.end() : m.end() + 1]
    if before[-1:].isdigit() and after.isdigit():
        return False  # 3.5 or 2025.03.18
    return not (_ABBREVIATION.search(before[-3:]) and after not in ("", "\n"))


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` (ending punctuation included,
    surrounding spaces not), split on . ! ? ؟ and line breaks."""
    spans, begin = [], 0
    for m in _BREAK.finditer(text):
        if _is_sentence_end(text, m):
            spans.append((begin, m.end()))
            begin = m.end()
    spans.append((begin, len(text)))
    trimmed = [_trim(text, start, end) for start, end in spans]
    return [(start, end) for start, end in trimmed if start < end]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def timeline_entries(text: str, ref: datetime | date | None = None) -> list[tuple[DateMention, str]]:
    """One (date, sentence) pair per dated sentence, in date order; a sentence
    with several dates is placed by its most precise one (the shortest range)."""
    mentions = extract_dates(text, ref)
    entries = []
    for start, end in sentences(text):
        inside = [m for m in mentions if start <= m.start < end]
        if inside:
            best = min(inside, key=lambda m: (m.end_date - m.start_date, m.start))
            entries.append((best, text[start:end]))
    return sorted(entries, key=lambda entry: (entry[0].start_date, entry[0].start))

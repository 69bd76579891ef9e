"""Place names for tag suggestions: countries in Arabic from CLDR (Babel),
plus two small tables written for khabar: the short forms newspapers use
where CLDR gives the formal name, and capitals (CLDR has no capitals)."""

import re
from functools import cache

# CLDR codes that are not places one tags a story with (pseudo-locales,
# "unknown region", the euro area and remote oceania).
_NOT_PLACES = {"XA", "XB", "ZZ", "EZ", "QO"}
# Country names that are also everyday words, so a token match means nothing:
# مالي (financial), بنين (sons), كوبا (كوبًا, a cup). An editor can still make
# them tags, and then they are suggested like any tag.
AMBIGUOUS = {"ML", "BJ", "CU"}
# The name a tag gets where news copy prefers another name to CLDR's.
LABELS = {"SA": "السعودية", "AE": "الإمارات", "GB": "بريطانيا", "PS": "فلسطين"}
# Other ways copy writes a country; each finds the country's one label.
OTHER_NAMES = {
    "SA": ["المملكة العربية السعودية"],
    "AE": ["الإمارات العربية المتحدة"],
    "US": ["أمريكا", "أميركا", "الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية"],
    "GB": ["المملكة المتحدة"],
    "PS": ["الأراضي الفلسطينية"],
    "SY": ["سورية"],
}
# Capitals of the Arab states, their neighbours and the powers most in Arab
# news. Where a capital's status is disputed, or its name is also a common
# word (كابل, a cable), it is left out; city names equal to their country's
# (الكويت، تونس، الجزائر، جيبوتي) come with the country already.
CAPITALS = {
    "SA": "الرياض",
    "AE": "أبوظبي",
    "QA": "الدوحة",
    "BH": "المنامة",
    "OM": "مسقط",
    "YE": "صنعاء",
    "IQ": "بغداد",
    "SY": "دمشق",
    "LB": "بيروت",
    "JO": "عمّان",
    "EG": "القاهرة",
    "SD": "الخرطوم",
    "SS": "جوبا",
    "LY": "طرابلس",
    "MA": "الرباط",
    "MR": "نواكشوط",
    "SO": "مقديشو",
    "KM": "موروني",
    "TR": "أنقرة",
    "IR": "طهران",
    "ET": "أديس أبابا",
    "ER": "أسمرة",
    "TD": "نجامينا",
    "NE": "نيامي",
    "CY": "نيقوسيا",
    "GR": "أثينا",
    "RU": "موسكو",
    "UA": "كييف",
    "US": "واشنطن",
    "GB": "لندن",
    "FR": "باريس",
    "DE": "برلين",
    "IT": "روما",
    "ES": "مدريد",
    "CN": "بكين",
    "JP": "طوكيو",
    "IN": "نيودلهي",
    "PK": "إسلام آباد",
    "AZ": "باكو",
    "AM": "يريفان",
    "GE": "تبليسي",
}
_PARENTHESES = re.compile(r"\s*\([^)]*\)")


@cache
def places() -> tuple[tuple[str, str, str], ...]:
    """(written form, label, kind) for every way a place is written; kind is
    "country" or "capital", and the label is the name its tag would get."""
    from babel import Locale  # only the newsroom suggests tags: pages never load a locale

    found = []
    for code, name in sorted(Locale("ar").territories.items()):
        if not re.fullmatch("[A-Z]{2}", code) or code in _NOT_PLACES or code in AMBIGUOUS:
            continue
        # "ميانمار (بورما)": copy says one or the other, never both.
        name = _PARENTHESES.sub("", name).strip()
        label = LABELS.get(code, name)
        found += [(written, label, "country") for written in {name, label, *OTHER_NAMES.get(code, [])}]
    found += [(capital, capital, "capital") for capital in CAPITALS.values()]
    return tuple(sorted(found))

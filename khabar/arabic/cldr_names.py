"""CLDR's wide month and day names for the locales khabar writes dates in,
as Babel 2.19 gives them (tests/arabic/test_cldr_names.py compares every
name with Babel's, so new CLDR data shows up as a failing test, not as drift).

Kept here as data because reading them through Babel loads whole locales
(every territory, currency and unit name): ~8 MiB in each web process,
for 24 words a page needs."""

# Months January..December.
MONTHS = {
    # Egyptian and Gulf usage (MSA loan names).
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو")
    + ("يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    # Levantine and Iraqi usage.
    "ar_SY": ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران")
    + ("تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"),
    "ar_MA": ("يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو")
    + ("يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر"),
    "ar_DZ": ("جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان")
    + ("جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"),
    "en_GB": ("January", "February", "March", "April", "May", "June")
    + ("July", "August", "September", "October", "November", "December"),
}
# Days Monday..Sunday, indexed like date.weekday().
DAYS = {
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
    "en_GB": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def month_names(locale: str) -> dict[int, str]:
    """{1: January's name, ..., 12: December's}, as Babel's get_month_names("wide")."""
    return dict(enumerate(MONTHS[locale], start=1))


def day_names(locale: str) -> dict[int, str]:
    """{0: Monday's name, ..., 6: Sunday's}, as Babel's get_day_names("wide")."""
    return dict(enumerate(DAYS[locale]))

from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from khabar.ingest.services import import_text_pages
from khabar.ingest.textpage import PageError, parse_page
from khabar.news.models import Agency, Article
from tests.conftest import SAMPLE

BAGHDAD = ZoneInfo("Asia/Baghdad")
GOOD = "عنوان الخبر\n\nوكالة أنباء آسيا\n\n2025.03.18 - 01:41\n\nفقرة أولى.\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_sample_page_parses_into_headline_agency_time_and_structured_body():
    page = parse_page(SAMPLE, BAGHDAD)
    assert page.headline == "التقارب التركي السوري: اتفاقات عسكرية ودفاعية في الأفق"
    assert page.agency == "وكالة أنباء آسيا"
    assert page.published_at == datetime(2025, 3, 18, 1, 41, tzinfo=BAGHDAD)
    assert page.body_html.count("<li>") == 3
    assert page.body_html.count("<ul>") == 1
    assert "<li>إرسال مستشارين عسكريين أتراك لدعم عملية تحديث الجيش السوري.</li>" in page.body_html
    assert page.body_html.count("<p>") == 8
    assert page.summary.startswith("تشهد العلاقات بين أنقرة ودمشق")


@pytest.mark.parametrize("chrome", ["Facebook Share", "طباعة", "عودة للأعلى", "اضافة تعليق", "اكتب ناتج"])
def test_page_chrome_is_dropped_from_the_body(chrome):
    assert chrome not in parse_page(SAMPLE, BAGHDAD).body_html


def test_arabic_indic_timestamp_is_read(tmp_path):
    path = write(tmp_path, "a.txt", GOOD.replace("2025.03.18 - 01:41", "٢٠٢٥.٠٣.١٨ - ٠١:٤١"))
    assert parse_page(path, BAGHDAD).published_at == datetime(2025, 3, 18, 1, 41, tzinfo=BAGHDAD)


def test_import_is_idempotent_on_agency_headline_and_time(db):
    first = import_text_pages([SAMPLE])
    second = import_text_pages([SAMPLE])
    assert [a.pk for a in first] == [a.pk for a in second]
    assert Article.objects.count() == 1
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_command_prints_the_public_path_of_each_article(db, tmp_path):
    other = write(tmp_path, "b.txt", GOOD)
    out = StringIO()
    call_command("import_text", str(SAMPLE), str(other), stdout=out)
    lines = out.getvalue().split()
    assert lines == [a.get_absolute_url() for a in Article.objects.order_by("pk")]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("عنوان\nوكالة\nليس تاريخاً\nنص\n", 3, "YYYY.MM.DD"),
        ("عنوان\nوكالة\n2025.02.30 - 10:00\nنص\n", 3, "تاريخ غير صالح"),
        ("عنوان\nوكالة\n2025.03.18 - 01:41\n\nFacebook Share\n", 5, "لا يوجد نص"),
        ("عنوان\n2025.03.18 - 01:41\nنص\n", 2, "سطر الوكالة"),
        ("\n\n", 2, "انتهى قبل العنوان"),
        ("عنوان" * 70 + "\nوكالة\n2025.03.18 - 01:41\nنص\n", 1, "أطول"),
    ],
)
def test_malformed_file_names_file_and_line(tmp_path, text, line, fragment):
    path = write(tmp_path, "bad.txt", text)
    with pytest.raises(PageError) as error:
        parse_page(path, BAGHDAD)
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert fragment in str(error.value)


def test_non_utf8_file_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, "latin1.txt", "عنوان\nوكالة\n".encode() + b"\xff\xfe bad\n")
    with pytest.raises(PageError, match=rf"^{path}:3: "):
        parse_page(path, BAGHDAD)


def test_one_bad_file_writes_nothing_at_all(db, tmp_path):
    good = write(tmp_path, "good.txt", GOOD)
    bad = write(tmp_path, "bad.txt", "عنوان\nوكالة\nأمس\nنص\n")
    with pytest.raises(CommandError, match=rf"{bad}:3: "):
        call_command("import_text", str(good), str(bad), stdout=StringIO())
    assert not Article.objects.exists()
    assert not Agency.objects.exists()


def test_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="غير موجود"):
        call_command("import_text", str(tmp_path / "nope.txt"))


def test_body_html_from_the_file_is_escaped_not_trusted(db, tmp_path):
    path = write(
        tmp_path, "x.txt", GOOD.replace("فقرة أولى.", "<script>alert(1)</script><img src=x onerror=alert(2)>")
    )
    (article,) = import_text_pages([path])
    assert "<script" not in article.body and "<img" not in article.body
    assert "&lt;script&gt;" in article.body

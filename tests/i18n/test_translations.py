"""The committed catalogues: the .mo matches its .po, and every string is
translated (an empty msgstr would show Arabic on an English page)."""

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.core.management.base import CommandError

from khabar.news.translations import catalogs, compile_po


def test_there_is_an_english_catalogue():
    assert [po.parts[-3] for po in catalogs()] == ["en"]


@pytest.mark.parametrize("po", catalogs(), ids=lambda po: po.parts[-3])
def test_committed_mo_is_the_compiled_po(po):
    assert po.with_suffix(".mo").read_bytes() == compile_po(po)


@pytest.mark.parametrize("po", catalogs(), ids=lambda po: po.parts[-3])
def test_every_message_is_translated(po):
    with po.open("rb") as source:
        catalog = read_po(source)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_check_mode_reports_a_stale_mo(tmp_path, monkeypatch):
    (po,) = catalogs()
    copy = tmp_path / "en" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(po.read_bytes())
    copy.with_suffix(".mo").write_bytes(b"stale")
    monkeypatch.setattr("khabar.news.translations.LOCALE_DIR", tmp_path)
    with pytest.raises(CommandError, match="out of date"):
        call_command("compile_translations", "--check")
    call_command("compile_translations")
    assert copy.with_suffix(".mo").read_bytes() == compile_po(copy)
    call_command("compile_translations", "--check")


def marked_messages() -> set[str]:
    """Every string marked for translation in khabar's templates and Python
    code, read the way makemessages reads them (templatize for templates)."""
    from io import BytesIO
    from pathlib import Path

    from babel.messages.extract import extract
    from django.utils.translation.template import templatize

    root = Path(__file__).resolve().parents[2] / "khabar"
    keywords = {
        "_": None,
        "gettext": None,
        "gettext_lazy": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
    }
    found = set()
    sources = [templatize(p.read_text(encoding="utf-8"), origin=str(p)) for p in root.rglob("*.html")]
    sources += [p.read_text(encoding="utf-8") for p in root.rglob("*.py") if "migrations" not in p.parts]
    for code in sources:
        for _line, message, _comments, _context in extract(
            "python", BytesIO(code.encode()), keywords=keywords
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_marked_string_is_in_the_english_catalogue():
    (po,) = catalogs()
    with po.open("rb") as source:
        known = {m.id for m in read_po(source) if m.id}
    assert sorted(marked_messages() - known) == []

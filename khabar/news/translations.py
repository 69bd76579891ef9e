"""The interface's translations (khabar/locale/<lang>/LC_MESSAGES/django.po),
compiled with Babel so a machine without GNU gettext's msgfmt can build
them. The compiled .mo files are committed; `khabar compile-translations`
rewrites them after a .po changes and a test checks they are current."""

from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def catalogs() -> list[Path]:
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))


def compile_po(po: Path) -> bytes:
    with po.open("rb") as source:
        catalog = read_po(source)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()

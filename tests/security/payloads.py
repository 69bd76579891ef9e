"""The hostile-input corpora in tests/data/payloads (see tests/data/README.md)."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
PAYLOADS = DATA / "payloads"
XSS_FILES = [
    "payloadsallthethings/xss/xss_alert_identifiable.txt",
    "payloadsallthethings/xss/IntrudersXSS.txt",
    "payloadsallthethings/xss/JHADDIX_XSS.txt",
    "payloadsallthethings/xss/BRUTELOGIC-XSS-STRINGS.txt",
    "payloadsallthethings/xss/XSS_Polyglots.txt",
    "payloadsallthethings/xss/port_swigger_xss_cheatsheet_event_handlers.txt",
    "payloadsallthethings/xss/0xcela_event_handlers.txt",
    "seclists/XSS-Polyglot-Ultimate-0xsobky.txt",
]
SQLI_FILES = [
    "payloadsallthethings/sqli/Generic_ErrorBased.txt",
    "payloadsallthethings/sqli/Generic_TimeBased.txt",
    "payloadsallthethings/sqli/Generic_UnionSelect.txt",
    "payloadsallthethings/sqli/Auth_Bypass.txt",
    "payloadsallthethings/sqli/Generic_Fuzz.txt",
    "payloadsallthethings/sqli/SQLi_Polyglots.txt",
]


def _lines(relative: str, *, skip_comments: bool = False) -> list[str]:
    text = (PAYLOADS / relative).read_text("utf-8")
    return [line for line in text.splitlines() if line and not (skip_comments and line.startswith("#"))]


def xss() -> list[str]:
    """Every XSS line of the corpora plus the Arabic markup cases, without duplicates."""
    seen = {}
    for relative in XSS_FILES:
        for line in _lines(relative):
            seen.setdefault(line, None)
    for entry in arabic("markup-arabic"):
        seen.setdefault(entry, None)
    return list(seen)


def sqli() -> list[str]:
    seen = {}
    for relative in SQLI_FILES:
        for line in _lines(relative, skip_comments=relative.endswith("TimeBased.txt")):
            seen.setdefault(line, None)
    return list(seen)


def naughty() -> list[str]:
    return json.loads((PAYLOADS / "blns/blns.json").read_text("utf-8"))


def arabic(category: str | None = None) -> list[str]:
    entries = json.loads((DATA / "arabic-unicode-edge-cases.json").read_text("utf-8"))["entries"]
    return [e["s"] for e in entries if category is None or e["category"] == category]


def arabic_entries(category: str) -> list[dict]:
    entries = json.loads((DATA / "arabic-unicode-edge-cases.json").read_text("utf-8"))["entries"]
    return [e for e in entries if e["category"] == category]


def everything(xss_every: int = 1) -> list[str]:
    """The robustness corpus (T-16): naughty strings, SQLi lines, Arabic cases
    and every `xss_every`-th XSS line (all of them render-tested in Chromium)."""
    seen = {}
    for line in naughty() + sqli() + arabic() + xss()[::xss_every]:
        seen.setdefault(line, None)
    return list(seen)

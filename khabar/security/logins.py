"""Login throttling: failures are counted per account name and per client IP
in the shared cache (fixed windows, see ratelimit.py). Unknown and known
account names are counted alike, so a lock tells an attacker nothing about
which accounts exist. A lock only lasts until its window ends: an attacker
can delay an editor, not shut them out for good."""

import logging

from django.conf import settings

from .ratelimit import Rate, rate_hit, rate_peek, rate_reset

log = logging.getLogger("khabar.security")
ACCOUNT, ADDRESS = "login-account", "login-ip"


def _rates() -> tuple[Rate, Rate]:
    return Rate.parse(settings.LOGIN_RATE_ACCOUNT), Rate.parse(settings.LOGIN_RATE_IP)


def _account(username: str) -> str:
    return username.strip().casefold()[:150]


def login_wait(*, username: str, ip: str) -> int:
    """0 if this attempt may go ahead, else seconds until it may."""
    account_rate, ip_rate = _rates()
    return max(
        rate_peek(scope=ACCOUNT, who=_account(username), rate=account_rate),
        rate_peek(scope=ADDRESS, who=ip, rate=ip_rate),
    )


def login_failed(*, username: str, ip: str) -> None:
    account_rate, ip_rate = _rates()
    rate_hit(scope=ACCOUNT, who=_account(username), rate=account_rate)
    rate_hit(scope=ADDRESS, who=ip, rate=ip_rate)
    # %r escapes CR/LF, so a crafted username cannot forge a second log line.
    log.warning("login failed: user=%r ip=%s", _account(username), ip)


def login_succeeded(*, username: str, ip: str) -> None:
    # Only the account's count is cleared: one good password must not wipe
    # an address's record of guesses at other accounts.
    rate_reset(scope=ACCOUNT, who=_account(username), rate=_rates()[0])
    log.info("login succeeded: user=%r ip=%s", _account(username), ip)


def login_refused(*, username: str, ip: str, wait: int) -> None:
    log.warning("login throttled: user=%r ip=%s retry_after=%ss", _account(username), ip, wait)

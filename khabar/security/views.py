import logging

from django.shortcuts import render

from .readers import client_ip

log = logging.getLogger("khabar.security")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: an Arabic page instead of Django's English one; the
    reason goes to the log, not to the visitor."""
    log.warning("csrf refused: %s path=%r ip=%s", reason, request.path, client_ip(request))
    return render(request, "security/csrf_failure.html", status=403)

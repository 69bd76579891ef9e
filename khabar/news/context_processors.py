from django.conf import settings

from .models import Section
from .prepared import PreparedQuery

_SECTIONS = PreparedQuery(lambda: Section.objects.all())


def site(request):
    # Lazy: pages that never show the navigation don't pay for the query.
    return {
        "site_name": settings.SITE_NAME,
        "site_agency": settings.SITE_AGENCY,
        "site_url": settings.SITE_URL,
        "nav_sections": _SECTIONS,
    }

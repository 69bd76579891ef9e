from django.conf import settings

from .models import Section


def site(request):
    # Lazy: pages that never show the navigation don't pay for the query.
    return {
        "site_name": settings.SITE_NAME,
        "site_agency": settings.SITE_AGENCY,
        "site_url": settings.SITE_URL,
        "nav_sections": Section.objects.all,
    }

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from .feeds import FEEDS
from .freshness import conditional
from .jsonfeed import articles_to_jsonfeed
from .meta import absolute
from .sitemaps import SITEMAPS


@require_safe
@conditional
def json_feed(request, scope="site", slug=None):
    feed = FEEDS[scope]()
    obj = feed.get_object(request, slug=slug)
    data = articles_to_jsonfeed(
        feed.items(obj),
        title=feed.title(obj),
        home_page_url=feed.link(obj),
        feed_url=absolute(request.path),
        description=feed.description(obj),
        language=get_language(),
    )
    return JsonResponse(data, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False})


@require_safe
@conditional
def sitemap_index(request):
    # An empty <urlset> is not valid against sitemap.xsd: list only sitemaps with URLs.
    filled = {name: sitemap() for name, sitemap in SITEMAPS.items()}
    filled = {name: sitemap for name, sitemap in filled.items() if sitemap.paginator.count}
    return sitemap_views.index(request, filled, sitemap_url_name="distribution:sitemap")


@require_safe
@conditional
def sitemap(request, section):
    template = "distribution/sitemap_news.xml" if section == "news" else "distribution/sitemap.xml"
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name=template)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "",
        f"Sitemap: {absolute(reverse('distribution:sitemap-index'))}",
        f"Sitemap: {absolute(reverse('distribution:sitemap', kwargs={'section': 'news'}))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def api_index(request):
    """Where a subscriber who types the API's address finds its description."""
    return JsonResponse(
        {
            "openapi": reverse("distribution:api:openapi-json"),
            "docs": reverse("distribution:api:openapi-view"),
        }
    )


def api_not_found(request, rest=""):
    """Unknown addresses under /api/v1/ answer in the API's own JSON shape."""
    return JsonResponse(
        {"error": "not_found", "detail": "لا يوجد مسار بهذا العنوان في الواجهة البرمجية."},
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )

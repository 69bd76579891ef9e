"""The admin's URLs (the newsroom desk), imported at their first use.

A web worker that only serves readers never imports the admin's modules or
any app's admin.py (about 1 MiB across two workers, measured): the
admin is registered here, when config/urls.py's lazy resolver first needs
it, instead of when Django starts. Management commands and the tests still
register it at start (khabar/apps.py), so the admin's system checks run."""

from django.conf import settings
from django.contrib import admin

admin.autodiscover()  # every app's admin.py (a no-op once they are imported)
admin.site.site_header = f"{settings.SITE_NAME}: غرفة الأخبار"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "إدارة الموقع"

app_name = "admin"
urlpatterns = admin.site.get_urls()


def admin_site() -> admin.AdminSite:
    """The admin site, its apps registered (the desk's own pages show its menu)."""
    return admin.site

app_name = "pagecache"
urlpatterns = []

app_name = "intelligence"
urlpatterns = []

from nightout.api.api import api

app_name = "api"  # the namespace django-ninja reverses its own pages in
urlpatterns = api.urls[0]

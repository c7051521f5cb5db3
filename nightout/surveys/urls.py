from django.urls import path

from nightout.surveys import views

app_name = "surveys"
urlpatterns = [
    path("survey/<str:token>/", views.answer, name="answer"),
    path("events/<int:pk>/poster/", views.poster, name="poster"),
    path("trust/<slug:slug>/", views.results, name="results"),
    path("coordinate/<slug:slug>/comments/", views.moderate, name="moderate"),
]

from django.urls import path

from retorno.regions import views

app_name = "regions"
urlpatterns = [
    path("regions/", views.region_list, name="list"),
    path("regions/new/", views.new, name="new"),
    path("regions/<slug:code>/edit/", views.edit, name="edit"),
    path("regions/<slug:code>/delete/", views.delete, name="delete"),
]

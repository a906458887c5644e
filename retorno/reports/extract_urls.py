"""The extract's page, for `reports/urls.py` to add to its own patterns (the name then
reads `reports:extract`)."""

from django.urls import path

from retorno.reports import extract_views

urlpatterns = [
    path("statistics/extract/", extract_views.extract, name="extract"),
]

"""The regions endpoints of the REST API, included in `retorno/api_urls.py` (namespace "api")."""

from django.urls import path

from retorno.regions import api

urlpatterns: list = [
    path("v1/regions/", api.RegionList.as_view(), name="regions"),
    path("v1/regions/<slug:code>/", api.RegionDetail.as_view(), name="region"),
]

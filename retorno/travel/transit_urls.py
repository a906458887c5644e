"""Transit assistance (the transit office's pages) and departure manifests (the host
office's movement staff)."""

from django.urls import path

from retorno.travel import transit_views as views

app_name = "transit"
urlpatterns = [
    path("transit/", views.transit_list, name="list"),
    path("transit/<int:transit_id>/", views.transit_detail, name="detail"),
    path("transit/<int:transit_id>/confirm/", views.transit_confirm, name="confirm"),
    path("travel/manifests/", views.manifest, name="manifests"),
    path("travel/manifests/export/", views.manifest_export, name="manifest_export"),
]

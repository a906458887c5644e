from django.urls import path

from retorno.monitoring import dashboard_urls, views

app_name = "monitoring"
_VISITS = "cases/<str:reference>/monitoring/visits/"
urlpatterns: list = [
    path("monitoring/", views.contacts, name="contacts"),
    path("programmes/<slug:code>/monitoring-schedule/", views.schedule, name="schedule"),
    path(f"{_VISITS}new/", views.visit_new, name="visit_new"),
    path(f"{_VISITS}<int:visit_id>/edit/", views.visit_edit, name="visit_edit"),
    *dashboard_urls.urlpatterns,
]

"""The monitoring endpoints of the REST API, included in `retorno/api_urls.py` (namespace "api")."""

from django.urls import path

from retorno.monitoring import api

urlpatterns: list = [
    path("v1/cases/<str:reference>/monitoring-visits/", api.CaseVisits.as_view(),
         name="case_monitoring_visits"),
    path("v1/cases/<str:reference>/monitoring-visits/<int:visit_id>/",
         api.CaseVisitDetail.as_view(), name="case_monitoring_visit"),
    path("v1/programmes/<slug:code>/monitoring-schedule/", api.ProgrammeSchedule.as_view(),
         name="programme_monitoring_schedule"),
]

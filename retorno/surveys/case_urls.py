"""The surveys' pages on a case (`views_case`), part of the "surveys" namespace."""

from django.urls import path

from retorno.surveys import views_case

urlpatterns: list = [
    path("cases/<str:reference>/surveys/responses/<int:response_id>/",
         views_case.response_detail, name="case_response"),
    path("cases/<str:reference>/surveys/<slug:code>/new/", views_case.survey_new,
         name="case_survey_new"),
]

"""The surveys endpoints of the REST API, included in `retorno/api_urls.py` (namespace "api")."""

from django.urls import path

from retorno.surveys import api

urlpatterns: list = [
    path("v1/cases/<str:reference>/survey-responses/", api.CaseSurveyResponses.as_view(),
         name="case_survey_responses"),
    path("v1/survey-responses/<int:response_id>/", api.SurveyResponseDetail.as_view(),
         name="survey_response"),
    path("v1/survey-instruments/", api.InstrumentList.as_view(), name="survey_instruments"),
]

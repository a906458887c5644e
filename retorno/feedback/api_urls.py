"""The feedback endpoints of the REST API, included in `retorno/api_urls.py` (namespace "api")."""

from django.urls import path

from retorno.feedback import api

urlpatterns: list = [
    path("v1/feedback/", api.FeedbackList.as_view(), name="feedback_list"),
    path("v1/feedback/<str:reference>/", api.FeedbackDetail.as_view(), name="feedback"),
    path("v1/feedback/<str:reference>/categorise/", api.FeedbackCategorise.as_view(),
         name="feedback_categorise"),
    path("v1/feedback/<str:reference>/assign/", api.FeedbackAssign.as_view(),
         name="feedback_assign"),
    path("v1/feedback/<str:reference>/answer/", api.FeedbackAnswer.as_view(),
         name="feedback_answer"),
    path("v1/feedback/<str:reference>/close/", api.FeedbackClose.as_view(),
         name="feedback_close"),
    path("v1/feedback/<str:reference>/reopen/", api.FeedbackReopen.as_view(),
         name="feedback_reopen"),
]

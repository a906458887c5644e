from django.urls import path

from retorno.feedback import views

app_name = "feedback"
urlpatterns = [
    path("feedback/", views.public_form, name="public"),
    path("feedback/status/", views.public_status, name="public_status"),
    path("feedback/inbox/", views.inbox, name="inbox"),
    path("feedback/inbox/new/", views.new, name="new"),
    path("feedback/inbox/<str:reference>/", views.detail, name="detail"),
    path("feedback/inbox/<str:reference>/categorise/", views.categorise, name="categorise"),
    path("feedback/inbox/<str:reference>/assign/", views.assign, name="assign"),
    path("feedback/inbox/<str:reference>/answer/", views.answer, name="answer"),
    path("feedback/inbox/<str:reference>/close/", views.close, name="close"),
    path("feedback/inbox/<str:reference>/reopen/", views.reopen, name="reopen"),
]

from django.urls import path

from retorno.counselling import views

app_name = "counselling"
urlpatterns = [
    path("cases/<str:reference>/counselling/new/", views.new_session, name="new"),
    path("cases/<str:reference>/counselling/<int:session_id>/edit/", views.edit_session,
         name="edit"),
]

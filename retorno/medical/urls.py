from django.urls import path

from retorno.medical import views

app_name = "medical"
urlpatterns = [
    path("cases/<str:reference>/fitness/members/<int:member_id>/new/", views.record,
         name="record"),
    path("cases/<str:reference>/fitness/<int:assessment_id>/edit/", views.edit, name="edit"),
]

from django.urls import path

from retorno.suspensions import views

app_name = "suspensions"
urlpatterns = [
    path("suspensions/", views.suspension_list, name="list"),
    path("suspensions/new/", views.new, name="new"),
    path("suspensions/<int:suspension_id>/lift/", views.lift, name="lift"),
]

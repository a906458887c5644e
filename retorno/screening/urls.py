from django.urls import path

from retorno.screening import views

app_name = "screening"
urlpatterns = [
    path("cases/<str:reference>/members/<int:person_id>/screening/", views.screen_member,
         name="new"),
    path("cases/<str:reference>/members/<int:person_id>/best-interest/", views.record_bid,
         name="bid"),
]

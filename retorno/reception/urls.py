from django.urls import path

from retorno.reception import views

app_name = "reception"
urlpatterns = [
    path("reception/", views.incoming, name="incoming"),
    path("cases/<str:reference>/reception/accept/", views.accept, name="accept"),
    path("cases/<str:reference>/reception/plan/", views.plan, name="plan"),
    path("cases/<str:reference>/reception/arrival/", views.arrival, name="arrival"),
]

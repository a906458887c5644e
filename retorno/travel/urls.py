from django.urls import path

from retorno.travel import views

app_name = "travel"
urlpatterns = [
    path("cases/<str:reference>/itineraries/new/", views.record, name="new"),
    path("cases/<str:reference>/itineraries/<int:itinerary_id>/edit/", views.edit,
         name="edit"),
    path("cases/<str:reference>/itineraries/<int:itinerary_id>/book/", views.book,
         name="book"),
    path("cases/<str:reference>/itineraries/<int:itinerary_id>/cancel/", views.cancel,
         name="cancel"),
    path("cases/<str:reference>/itineraries/<int:itinerary_id>/no-show/", views.no_show,
         name="no_show"),
    path("cases/<str:reference>/itineraries/<int:itinerary_id>/departure/", views.departure,
         name="departure"),
]

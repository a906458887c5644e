from django.urls import path

from retorno.people import views

app_name = "people"
urlpatterns = [
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
    path("<int:person_id>/documents/add/", views.add_document, name="add_document"),
]

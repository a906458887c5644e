from django.urls import path

from retorno.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("cases/", views.search, name="search"),
    path("cases/new/", views.new_case, name="new"),
    path("cases/<str:reference>/", views.detail, name="detail"),
    path("cases/<str:reference>/edit/", views.edit, name="edit"),
    path("cases/<str:reference>/assign/", views.assign, name="assign"),
    path("cases/<str:reference>/members/add/", views.add_member, name="add_member"),
    path("cases/<str:reference>/members/<int:member_id>/remove/", views.remove_member,
         name="remove_member"),
    path("cases/<str:reference>/transitions/<slug:name>/", views.transition,
         name="transition"),
    path("cases/<str:reference>/audit/", views.audit, name="audit"),
]

from django.urls import path

from retorno.pathways import views

app_name = "pathways"
urlpatterns = [
    path("cases/<str:reference>/pathways/new/", views.new_pathway, name="new"),
    path("cases/<str:reference>/pathways/<int:pathway_id>/status/", views.change_status,
         name="status"),
]

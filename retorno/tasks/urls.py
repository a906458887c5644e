from django.urls import path

from retorno.tasks import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.task_list, name="list"),
    path("tasks/<int:task_id>/complete/", views.complete, name="complete"),
    path("tasks/<int:task_id>/reassign/", views.reassign, name="reassign"),
]

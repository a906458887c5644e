from django.urls import path

from retorno.reintegration import views

app_name = "reintegration"
_PLAN = "cases/<str:reference>/reintegration-plan/"
urlpatterns = [
    path(f"{_PLAN}start/", views.start, name="start"),
    path(f"{_PLAN}edit/", views.edit, name="edit"),
    path(f"{_PLAN}approve/", views.approve, name="approve"),
    path(f"{_PLAN}reopen/", views.reopen, name="reopen"),
    path(f"{_PLAN}items/new/", views.item_new, name="item_new"),
    path(f"{_PLAN}items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path(f"{_PLAN}items/<int:item_id>/remove/", views.item_remove, name="item_remove"),
    path(f"{_PLAN}items/<int:item_id>/delivery/", views.item_delivery,
         name="item_delivery"),
    path(f"{_PLAN}milestones/new/", views.milestone_new, name="milestone_new"),
    path(f"{_PLAN}milestones/<int:milestone_id>/edit/", views.milestone_edit,
         name="milestone_edit"),
    path("reintegration/projects/", views.projects, name="projects"),
    path("reintegration/projects/new/", views.project_new, name="project_new"),
    path("reintegration/projects/<int:project_id>/", views.project, name="project"),
    path("reintegration/projects/<int:project_id>/edit/", views.project_edit,
         name="project_edit"),
    path("reintegration/projects/<int:project_id>/link/", views.project_link,
         name="project_link"),
    path("reintegration/projects/<int:project_id>/unlink/", views.project_unlink,
         name="project_unlink"),
]

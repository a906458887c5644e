from django.urls import path

from retorno.declarations import views

app_name = "declarations"
urlpatterns = [
    path("cases/<str:reference>/declarations/print/", views.print_declaration, name="print"),
    path("cases/<str:reference>/declarations/<int:declaration_id>/signed/",
         views.record_signed, name="record"),
    path("cases/<str:reference>/declarations/<int:declaration_id>/scan/", views.scan,
         name="scan"),
    path("declarations/templates/", views.templates, name="templates"),
    path("declarations/templates/new/", views.new_template, name="template_new"),
    path("declarations/templates/active/", views.template_active, name="template_active"),
]

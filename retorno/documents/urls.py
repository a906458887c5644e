from django.urls import path

from retorno.documents import views

app_name = "documents"
urlpatterns = [
    path("cases/<str:reference>/travel-documents/members/<int:member_id>/new/",
         views.new_document, name="new"),
    path("cases/<str:reference>/travel-documents/members/<int:member_id>/new/mrz/",
         views.read_new, name="new_mrz"),
    path("cases/<str:reference>/travel-documents/<int:document_id>/edit/",
         views.edit_document, name="edit"),
    path("cases/<str:reference>/travel-documents/<int:document_id>/edit/mrz/",
         views.read_edit, name="edit_mrz"),
    path("cases/<str:reference>/travel-documents/<int:document_id>/status/",
         views.change_status, name="status"),
]

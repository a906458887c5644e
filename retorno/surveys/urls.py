from django.urls import path

from retorno.surveys import case_urls, views

app_name = "surveys"
_VERSION = "surveys/instruments/<slug:code>/v<int:number>/"
urlpatterns: list = [
    path("surveys/instruments/", views.instruments, name="instruments"),
    path(_VERSION, views.version, name="instrument_version"),
    path(f"{_VERSION}xlsform/", views.download_xlsform, name="instrument_xlsform"),
    path(f"{_VERSION}spreadsheet/", views.download_spreadsheet,
         name="instrument_spreadsheet"),
    path(f"{_VERSION}import/", views.import_submissions, name="instrument_import"),
    path("surveys/instruments/<slug:code>/load/", views.load, name="instrument_load"),
    *case_urls.urlpatterns,
]

from django.urls import path

from retorno.reports import extract_urls, report_views, views

app_name = "reports"
_REPORT = "statistics/reports/<int:report_id>/"
urlpatterns: list = [
    path("statistics/", views.dashboard, name="dashboard"),
    path("statistics/download/<slug:slug>.<str:fmt>", views.download, name="download"),
    path("statistics/reports/", report_views.report_list, name="report_list"),
    path("statistics/reports/bulletin/", report_views.bulletin_new, name="bulletin_new"),
    path("statistics/reports/programme/", report_views.programme_report_new,
         name="programme_report_new"),
    path(_REPORT, report_views.report, name="report"),
    path(f"{_REPORT}progress/", report_views.progress, name="progress"),
    path(f"{_REPORT}rebuild/", report_views.rebuild, name="rebuild"),
    path(f"{_REPORT}document/", report_views.document, name="document"),
    path(f"{_REPORT}pdf/", report_views.pdf, name="pdf"),
    path(f"{_REPORT}xlsx/", report_views.xlsx, name="xlsx"),
    *extract_urls.urlpatterns,
]

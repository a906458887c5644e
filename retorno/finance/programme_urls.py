from django.urls import path

from retorno.finance import programme_views as views

app_name = "programme_finance"
urlpatterns = [
    path("finance/", views.overview, name="overview"),
    path("finance/export/", views.overview_export, name="overview_export"),
    path("finance/programmes/<slug:code>/", views.programme, name="programme"),
    path("finance/programmes/<slug:code>/export/", views.programme_export,
         name="programme_export"),
]

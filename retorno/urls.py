from django.urls import include, path

urlpatterns = [
    path("accounts/", include("retorno.accounts.urls")),
    path("people/", include("retorno.people.urls")),
    path("", include("retorno.cases.urls")),
    path("", include("retorno.privacy.urls")),
    path("", include("retorno.counselling.urls")),
    path("", include("retorno.screening.urls")),
    path("", include("retorno.medical.urls")),
    path("", include("retorno.documents.urls")),
    path("", include("retorno.travel.urls")),
    path("", include("retorno.declarations.urls")),
    path("", include("retorno.pathways.urls")),
    path("", include("retorno.tasks.urls")),
    path("", include("retorno.suspensions.urls")),
    path("", include("retorno.travel.transit_urls")),
    path("", include("retorno.reception.urls")),
    path("api/", include("retorno.api_urls")),
]

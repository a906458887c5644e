from django.urls import path

from retorno.privacy import views

app_name = "privacy"
urlpatterns = [
    path("cases/<str:reference>/consent/record/", views.record_consent,
         name="consent_record"),
    path("cases/<str:reference>/consent/<int:consent_id>/withdraw/", views.withdraw_consent,
         name="consent_withdraw"),
]

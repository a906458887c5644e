from django.urls import path

from retorno.privacy import access_urls, audit_urls, retention_urls, views

app_name = "privacy"
urlpatterns = [
    path("cases/<str:reference>/consent/record/", views.record_consent,
         name="consent_record"),
    path("cases/<str:reference>/consent/<int:consent_id>/withdraw/", views.withdraw_consent,
         name="consent_withdraw"),
]
urlpatterns += audit_urls.urlpatterns + retention_urls.urlpatterns + access_urls.urlpatterns

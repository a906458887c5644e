from django.urls import path

from retorno.finance import views

app_name = "finance"
urlpatterns = [
    path("finance/rates/", views.rates, name="rates"),
    path("cases/<str:reference>/grants/<slug:kind>/award/", views.award, name="award"),
    path("cases/<str:reference>/grants/<int:grant_id>/payments/new/", views.request_payment,
         name="request"),
    path("cases/<str:reference>/payments/<int:disbursement_id>/approve/", views.approve,
         name="approve"),
    path("cases/<str:reference>/payments/<int:disbursement_id>/reject/", views.reject,
         name="reject"),
    path("cases/<str:reference>/payments/<int:disbursement_id>/paid/", views.paid,
         name="paid"),
    path("cases/<str:reference>/payments/<int:disbursement_id>/receipt/", views.receipt,
         name="receipt"),
]

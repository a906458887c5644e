from django.urls import path

from retorno.partners import views

app_name = "partners"
urlpatterns = [
    path("partners/", views.partner_list, name="list"),
    path("partners/new/", views.partner_new, name="new"),
    path("partners/<int:partner_id>/", views.partner_detail, name="detail"),
    path("partners/<int:partner_id>/edit/", views.partner_edit, name="edit"),
    path("partners/<int:partner_id>/agreements/new/", views.agreement_new,
         name="agreement_new"),
    path("partners/<int:partner_id>/users/new/", views.user_new, name="user_new"),
    path("cases/<str:reference>/referrals/", views.refer, name="refer"),
    path("cases/<str:reference>/referrals/<int:referral_id>/withdraw/", views.withdraw,
         name="withdraw"),
    path("partner/", views.partner_home, name="partner_home"),
    path("partner/referrals/<int:referral_id>/", views.partner_referral,
         name="partner_referral"),
    path("partner/referrals/<int:referral_id>/accept/", views.partner_accept,
         name="partner_accept"),
    path("partner/referrals/<int:referral_id>/decline/", views.partner_decline,
         name="partner_decline"),
    path("partner/referrals/<int:referral_id>/service/", views.partner_service,
         name="partner_service"),
    path("partner/referrals/<int:referral_id>/close/", views.partner_close,
         name="partner_close"),
]

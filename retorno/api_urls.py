"""The REST API: v1 endpoints, the OpenAPI schema and its browsable docs.

Everything under /api/ is named in the "api" namespace, e.g. reverse("api:case", ...).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from retorno.accounts.api import ObtainToken
from retorno.cases import api as cases
from retorno.counselling import api as counselling
from retorno.declarations import api as declarations
from retorno.documents import api as documents
from retorno.feedback import api_urls as feedback_api
from retorno.finance import api as finance
from retorno.finance import programme_api as programme_finance
from retorno.medical import api as medical
from retorno.monitoring import api_urls as monitoring_api
from retorno.partners import api as partners
from retorno.pathways import api as pathways
from retorno.people import api as people
from retorno.privacy import api as privacy
from retorno.programmes import api as programmes
from retorno.reception import api as reception
from retorno.regions import api_urls as regions_api
from retorno.reintegration import api as reintegration
from retorno.screening import api as screening
from retorno.surveys import api_urls as surveys_api
from retorno.suspensions import api as suspensions
from retorno.tasks import api as tasks
from retorno.travel import api as travel
from retorno.travel import transit_api as transit

app_name = "api"


class SwaggerDocs(SpectacularSwaggerView):
    """Swagger UI from the app's own static files (the sidecar), and nothing from elsewhere:
    by default Swagger UI sends the schema's address to validator.swagger.io."""

    url_name = "api:schema"

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().get(request, *args, **kwargs)
        response.data["settings"] = self._dump({"deepLinking": True, "validatorUrl": None})
        return response


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerDocs.as_view(), name="docs"),
    path("v1/auth/token/", ObtainToken.as_view(), name="token"),
    path("v1/people/", people.PersonList.as_view(), name="people"),
    path("v1/people/<int:person_id>/", people.PersonDetail.as_view(), name="person"),
    path("v1/people/<int:person_id>/documents/", people.PersonDocuments.as_view(),
         name="person_documents"),
    path("v1/cases/", cases.CaseList.as_view(), name="cases"),
    path("v1/cases/<str:reference>/", cases.CaseDetail.as_view(), name="case"),
    path("v1/cases/<str:reference>/members/", cases.CaseMembers.as_view(),
         name="case_members"),
    path("v1/cases/<str:reference>/members/<int:person_id>/", cases.CaseMemberDetail.as_view(),
         name="case_member"),
    path("v1/cases/<str:reference>/transitions/", cases.CaseTransitions.as_view(),
         name="case_transitions"),
    path("v1/cases/<str:reference>/consents/", privacy.ConsentList.as_view(),
         name="case_consents"),
    path("v1/cases/<str:reference>/consents/<int:consent_id>/withdraw/",
         privacy.ConsentWithdraw.as_view(), name="case_consent_withdraw"),
    path("v1/cases/<str:reference>/counselling/", counselling.SessionList.as_view(),
         name="case_counselling"),
    path("v1/cases/<str:reference>/counselling/<int:session_id>/",
         counselling.SessionDetail.as_view(), name="case_counselling_session"),
    path("v1/cases/<str:reference>/screenings/", screening.ScreeningList.as_view(),
         name="case_screenings"),
    path("v1/cases/<str:reference>/best-interest/", screening.BidList.as_view(),
         name="case_bids"),
    path("v1/cases/<str:reference>/fitness/", medical.AssessmentList.as_view(),
         name="case_fitness"),
    path("v1/cases/<str:reference>/fitness/<int:assessment_id>/",
         medical.AssessmentDetail.as_view(), name="case_fitness_assessment"),
    path("v1/cases/<str:reference>/travel-documents/", documents.DocumentList.as_view(),
         name="case_travel_documents"),
    path("v1/cases/<str:reference>/travel-documents/<int:document_id>/",
         documents.DocumentDetail.as_view(), name="case_travel_document"),
    path("v1/cases/<str:reference>/travel-documents/<int:document_id>/status/",
         documents.DocumentStatusChange.as_view(), name="case_travel_document_status"),
    path("v1/mrz/parse/", documents.MrzParse.as_view(), name="mrz_parse"),
    path("v1/cases/<str:reference>/itineraries/", travel.ItineraryList.as_view(),
         name="case_itineraries"),
    path("v1/cases/<str:reference>/itineraries/<int:itinerary_id>/",
         travel.ItineraryDetail.as_view(), name="case_itinerary"),
    path("v1/cases/<str:reference>/itineraries/<int:itinerary_id>/book/",
         travel.ItineraryBook.as_view(), name="case_itinerary_book"),
    path("v1/cases/<str:reference>/itineraries/<int:itinerary_id>/cancel/",
         travel.ItineraryCancel.as_view(), name="case_itinerary_cancel"),
    path("v1/cases/<str:reference>/itineraries/<int:itinerary_id>/no-show/",
         travel.ItineraryNoShow.as_view(), name="case_itinerary_no_show"),
    path("v1/cases/<str:reference>/itineraries/<int:itinerary_id>/departure/",
         travel.ItineraryDeparture.as_view(), name="case_itinerary_departure"),
    path("v1/cases/<str:reference>/declarations/", declarations.DeclarationList.as_view(),
         name="case_declarations"),
    path("v1/cases/<str:reference>/declarations/print/",
         declarations.DeclarationPrint.as_view(), name="case_declaration_print"),
    path("v1/cases/<str:reference>/declarations/<int:declaration_id>/",
         declarations.DeclarationDetail.as_view(), name="case_declaration"),
    path("v1/cases/<str:reference>/declarations/<int:declaration_id>/signed/",
         declarations.DeclarationSigned.as_view(), name="case_declaration_signed"),
    path("v1/cases/<str:reference>/declarations/<int:declaration_id>/scan/",
         declarations.DeclarationScan.as_view(), name="case_declaration_scan"),
    path("v1/declaration-templates/", declarations.TemplateList.as_view(),
         name="declaration_templates"),
    path("v1/cases/<str:reference>/pathways/", pathways.PathwayList.as_view(),
         name="case_pathways"),
    path("v1/cases/<str:reference>/pathways/<int:pathway_id>/status/",
         pathways.PathwayStatusChange.as_view(), name="case_pathway_status"),
    path("v1/cases/<str:reference>/reception/", reception.ReceptionDetail.as_view(),
         name="case_reception"),
    path("v1/cases/<str:reference>/reception/plan/", reception.ReceptionPlan.as_view(),
         name="case_reception_plan"),
    path("v1/cases/<str:reference>/reception/arrival/", reception.ReceptionArrival.as_view(),
         name="case_reception_arrival"),
    path("v1/reception/", reception.IncomingList.as_view(), name="reception_incoming"),
    path("v1/cases/<str:reference>/reintegration-plan/", reintegration.PlanDetail.as_view(),
         name="case_reintegration_plan"),
    path("v1/cases/<str:reference>/reintegration-plan/items/",
         reintegration.PlanItems.as_view(), name="case_reintegration_plan_items"),
    path("v1/cases/<str:reference>/reintegration-plan/items/<int:item_id>/",
         reintegration.PlanItemDetail.as_view(), name="case_reintegration_plan_item"),
    path("v1/cases/<str:reference>/reintegration-plan/items/<int:item_id>/delivery/",
         reintegration.PlanItemDelivery.as_view(),
         name="case_reintegration_plan_item_delivery"),
    path("v1/cases/<str:reference>/reintegration-plan/milestones/",
         reintegration.PlanMilestones.as_view(), name="case_reintegration_plan_milestones"),
    path("v1/cases/<str:reference>/reintegration-plan/milestones/<int:milestone_id>/",
         reintegration.PlanMilestoneDetail.as_view(),
         name="case_reintegration_plan_milestone"),
    path("v1/cases/<str:reference>/reintegration-plan/approve/",
         reintegration.PlanApprove.as_view(), name="case_reintegration_plan_approve"),
    path("v1/cases/<str:reference>/reintegration-plan/reopen/",
         reintegration.PlanReopen.as_view(), name="case_reintegration_plan_reopen"),
    path("v1/community-projects/", reintegration.ProjectList.as_view(),
         name="community_projects"),
    path("v1/community-projects/<int:project_id>/", reintegration.ProjectDetail.as_view(),
         name="community_project"),
    path("v1/cases/<str:reference>/grants/", finance.GrantList.as_view(), name="case_grants"),
    path("v1/cases/<str:reference>/disbursements/", finance.DisbursementList.as_view(),
         name="case_disbursements"),
    path("v1/cases/<str:reference>/disbursements/<int:disbursement_id>/approve/",
         finance.DisbursementApprove.as_view(), name="case_disbursement_approve"),
    path("v1/cases/<str:reference>/disbursements/<int:disbursement_id>/reject/",
         finance.DisbursementReject.as_view(), name="case_disbursement_reject"),
    path("v1/cases/<str:reference>/disbursements/<int:disbursement_id>/paid/",
         finance.DisbursementPaid.as_view(), name="case_disbursement_paid"),
    path("v1/cases/<str:reference>/disbursements/<int:disbursement_id>/receipt/",
         finance.DisbursementReceipt.as_view(), name="case_disbursement_receipt"),
    path("v1/exchange-rates/", finance.ExchangeRateList.as_view(), name="exchange_rates"),
    path("v1/partners/", partners.PartnerList.as_view(), name="partners"),
    path("v1/partners/<int:partner_id>/", partners.PartnerDetail.as_view(), name="partner"),
    path("v1/partners/<int:partner_id>/agreements/", partners.AgreementList.as_view(),
         name="partner_agreements"),
    path("v1/cases/<str:reference>/referrals/", partners.CaseReferralList.as_view(),
         name="case_referrals"),
    path("v1/cases/<str:reference>/referrals/<int:referral_id>/withdraw/",
         partners.CaseReferralWithdraw.as_view(), name="case_referral_withdraw"),
    path("v1/partner/referrals/", partners.PartnerReferralList.as_view(),
         name="partner_referrals"),
    path("v1/partner/referrals/<int:referral_id>/", partners.PartnerReferralDetail.as_view(),
         name="partner_referral"),
    path("v1/partner/referrals/<int:referral_id>/accept/",
         partners.PartnerReferralAccept.as_view(), name="partner_referral_accept"),
    path("v1/partner/referrals/<int:referral_id>/decline/",
         partners.PartnerReferralDecline.as_view(), name="partner_referral_decline"),
    path("v1/partner/referrals/<int:referral_id>/service/",
         partners.PartnerReferralService.as_view(), name="partner_referral_service"),
    path("v1/partner/referrals/<int:referral_id>/close/",
         partners.PartnerReferralClose.as_view(), name="partner_referral_close"),
    path("v1/programmes/", programmes.ProgrammeList.as_view(), name="programmes"),
    path("v1/programmes/<slug:code>/", programmes.ProgrammeDetail.as_view(), name="programme"),
    path("v1/programmes/<slug:code>/package/", programmes.ProgrammePackage.as_view(),
         name="programme_package"),
    path("v1/programmes/<slug:code>/finance/", programme_finance.ProgrammeFinance.as_view(),
         name="programme_finance"),
    path("v1/suspensions/", suspensions.SuspensionList.as_view(), name="suspensions"),
    path("v1/suspensions/<int:suspension_id>/lift/", suspensions.SuspensionLift.as_view(),
         name="suspension_lift"),
    path("v1/transit/", transit.TransitList.as_view(), name="transit_requests"),
    path("v1/transit/<int:transit_id>/", transit.TransitDetail.as_view(),
         name="transit_request"),
    path("v1/transit/<int:transit_id>/confirm/", transit.TransitConfirm.as_view(),
         name="transit_confirm"),
    path("v1/manifests/", transit.Manifest.as_view(), name="manifests"),
    path("v1/tasks/", tasks.TaskList.as_view(), name="tasks"),
    path("v1/tasks/<int:task_id>/complete/", tasks.TaskComplete.as_view(),
         name="task_complete"),
    path("v1/tasks/<int:task_id>/reassign/", tasks.TaskReassign.as_view(),
         name="task_reassign"),
    *surveys_api.urlpatterns,
    *monitoring_api.urlpatterns,
    *feedback_api.urlpatterns,
    *regions_api.urlpatterns,
]

import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from retorno.accounts.models import Membership, Office, OfficeKind, Role, User
from retorno.cases.models import (
    OPEN,
    Case,
    CaseMember,
    ReferenceCounter,
    Relationship,
    Status,
    TimelineEntry,
    TimelineKind,
)
from retorno.cases.policy import access_case, visible_cases
from retorno.cases.services import register_and_open_case
from retorno.demo import directory, world
from retorno.finance.models import COUNTING, Disbursement, ExchangeRate, Grant
from retorno.finance.services import add_months
from retorno.lib.money import quantize
from retorno.partners import minimum
from retorno.partners.models import Partner, PartnerUser, Referral, ReferralStatus
from retorno.partners.policy import partner_of, visible_referrals
from retorno.partners.services import agreement_problem, valid_agreement
from retorno.people.models import Person
from retorno.privacy.models import AuditEvent, Consent, ConsentPurpose
from retorno.programmes.package import entitlement
from retorno.reintegration.models import AssistanceItem, CommunityProject, ProjectStatus
from retorno.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06FF]")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
GEORGIAN = re.compile(r"[\u10A0-\u10FF]")


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Office, User, Membership, Person, Case, CaseMember, TimelineEntry,
                          AuditEvent)}


def test_it_seeds_cases_at_every_stage_with_names_in_their_own_scripts():
    seed(cases=40)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Status)  # the first cases cover every status
    originals = list(Person.objects.values_list("given_name_original", flat=True))
    assert any(ARABIC.search(n) for n in originals)
    assert any(CYRILLIC.search(n) for n in originals)
    assert any(GEORGIAN.search(n) for n in originals)
    assert Person.objects.filter(nationality="NGA", given_name_original="").exists()
    assert Person.objects.exclude(search_text="").count() == Person.objects.count()


def test_it_moves_cases_through_the_services_with_the_right_people():
    seed(cases=40)
    for case in Case.objects.select_related("host_office", "origin_office", "assignee"):
        assert case.origin_office.country == case.destination_country
        assert case.members.filter(relationship=Relationship.PRINCIPAL).count() == 1
        transitions = list(case.timeline.filter(kind=TimelineKind.TRANSITION).order_by("at"))
        # The services wrote one audit event per transition and one per member added.
        assert AuditEvent.objects.filter(case=case, event_type=205).count() == len(transitions)
        assert case.timeline.filter(kind=TimelineKind.OPENED).count() == 1
        if transitions:
            assert transitions[-1].to_status == case.status
            assert case.status_changed_at == transitions[-1].at
        for entry in transitions:
            if entry.to_status == Status.APPROVED:
                assert entry.actor.username.endswith(".supervisor")
                assert entry.actor != case.assignee
            if entry.to_status in (Status.ARRIVED, Status.REINTEGRATION):
                assert entry.actor.memberships.get().office == case.origin_office
            if entry.to_status == Status.CLOSED:
                assert entry.actor.username == (
                    f"{_login(case.origin_office)}.supervisor")
            if entry.to_status in (Status.WITHDRAWN, Status.REJECTED, Status.ON_HOLD,
                                   Status.REFERRED_ALTERNATIVE, Status.CANCELLED):
                assert entry.reason


def _login(office: Office) -> str:
    return next(o.login for o in world.OFFICES if o.code == office.code)


def test_it_is_idempotent_and_always_prints_the_logins():
    first = seed(cases=20)
    before = counts()
    second = seed(cases=20)
    assert counts() == before
    assert "already present" in second
    for output in (first, second):
        assert re.search(r"berlin\.caseworker\s+Return counsellor / caseworker\s+Berlin\s+"
                         + re.escape(world.DEMO_PASSWORD), output)
        assert "kabul.reintegration" in output


def test_every_office_has_a_login_per_role_with_the_demo_password():
    seed(cases=0)
    for spec in world.OFFICES:
        roles = set(Membership.objects.filter(office__code=spec.code)
                    .values_list("role", flat=True))
        assert roles == set(Role)
    assert authenticate(username="berlin.caseworker", password=world.DEMO_PASSWORD)
    assert authenticate(username="kabul.supervisor", password=world.DEMO_PASSWORD)


def test_bulk_data_reaches_the_number_of_people_and_reads_like_real_data():
    seed(cases=20, people=2000)
    assert Person.objects.count() == 2000
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references)
    highest: dict[tuple[str, int], int] = defaultdict(int)
    for reference in references:
        country, year, number = reference.split("-")
        highest[country, int(year)] = max(highest[country, int(year)], int(number))
    assert dict(highest) == {(c.country, c.year): c.last for c in ReferenceCounter.objects.all()}
    # Derived fields as the services would have written them.
    for person in Person.objects.order_by("-id")[:200]:
        stored = person.search_text
        person.refresh_search_text()
        assert stored == person.search_text
    assert not Case.objects.exclude(version=1).filter(created_by__username__contains=".cw")
    assert not Case.objects.filter(status__in=[Status.READY_TO_TRAVEL, Status.DEPARTED],
                                   handed_over_at__isnull=True)
    assert set(Case.objects.values_list("status", flat=True)) >= {
        Status.CLOSED, Status.MONITORING, Status.WITHDRAWN, Status.REJECTED}
    # The demo caseworker sees bulk cases through the policy and can open one.
    caseworker = User.objects.get(username="berlin.caseworker")
    visible = visible_cases(caseworker)
    bulk_case = visible.filter(created_by__username__startswith="berlin.cw").first()
    assert bulk_case is not None
    assert access_case(caseworker, bulk_case.reference).members.count() >= 1
    assert 0 < visible.filter(assignee=caseworker, status__in=OPEN).count() <= 50
    # ...and the pages show it like any other case.
    client = Client()
    client.force_login(caseworker)
    page = client.get(reverse("cases:detail", args=[bulk_case.reference]))
    assert page.status_code == 200
    principal = bulk_case.members.get(relationship=Relationship.PRINCIPAL).person
    assert principal.given_name in page.content.decode()
    found = client.get(reverse("cases:search"), {"q": principal.search_text.split()[0]})
    assert found.status_code == 200


def test_bulk_data_is_topped_up_only_to_the_number_asked_and_services_still_work():
    seed(cases=10, people=1500)
    assert "no synthetic data added" in seed(cases=10, people=1500)
    assert Person.objects.count() == 1500
    seed(cases=10, people=1800)
    assert Person.objects.count() == 1800
    # A case opened through the services afterwards gets the next free reference.
    office = Office.objects.get(code="deu-berlin")
    counter_before = {(c.country, c.year): c.last for c in ReferenceCounter.objects.all()}
    case = register_and_open_case(
        actor=User.objects.get(username="berlin.caseworker"), office=office,
        person={"given_name": "Test", "family_name": "Person", "nationality": "IRQ"},
        member={"category": "irregular", "vulnerabilities": []},
        case={"destination_country": "IRQ",
              "origin_office": Office.objects.get(code="irq-baghdad")})
    country, year, number = case.reference.split("-")
    assert int(number) == counter_before.get((country, int(year)), 0) + 1


def _paid_share_allowed(grant, day) -> Decimal:
    """What the package lets be paid out of `grant` by `day`: the before-departure
    shares, and the after-arrival shares whose months have passed since the arrival."""
    from retorno.finance.services import _kinds_of, add_months
    from retorno.programmes.package import entitlement
    from retorno.reception.policy import reception_of

    case = grant.case
    reception = reception_of(case)
    arrived = reception.arrived_on if reception is not None else None
    allowed = Decimal(0)
    for line in entitlement(case, day).lines:
        if line.component.kind not in _kinds_of(grant.kind):
            continue
        allowed += line.before_departure
        if arrived is not None and add_months(
                arrived, line.component.after_arrival_months) <= day:
            allowed += line.after_arrival
    return allowed


def test_it_pays_grants_within_the_package_in_local_currency_at_the_months_rate():
    seed(cases=40)
    today = timezone.localdate()
    # Every month of the demo's history has the finance team's rates, from both
    # programme currencies to every local currency.
    oldest = Case.objects.order_by("created_at").first()
    months = set(ExchangeRate.objects.values_list("month", "base", "currency"))
    month = timezone.localdate(oldest.created_at).replace(day=1)
    while month <= today:
        for base in {spec.currency for spec in world.PACKAGES.values()}:
            for local in directory.LOCAL_CURRENCY.values():
                assert (month, base, local) in months
        month = add_months(month, 1)

    grants = list(Grant.objects.select_related("case__programme", "case__host_office"))
    assert {g.kind for g in grants} == {"reinstallation", "reintegration"}
    for grant in grants:
        case = grant.case
        priced = entitlement(case, timezone.localdate(grant.awarded_at))
        assert grant.amount <= priced.ceiling(grant.kind)
        assert grant.currency == case.programme.currency
        disbursements = list(grant.disbursements.order_by("paid_on", "id"))
        assert sum(d.amount for d in disbursements if d.status in COUNTING) <= grant.amount
        if grant.kind == "reintegration":
            items = AssistanceItem.objects.filter(plan__case=case)
            assert grant.amount == sum(i.cost for i in items)
            for item in items:
                assert sum(d.amount for d in item.disbursements.all()
                           if d.status in COUNTING) <= item.cost
        paid_so_far = Decimal(0)
        threshold = case.programme.approval_threshold
        for d in disbursements:
            if d.amount > threshold:  # four eyes
                assert d.decided_by is not None or d.status == "awaiting_approval"
                assert d.decided_by != d.requested_by
            else:
                assert d.decided_by is None and d.status == "paid"
            if d.status != "paid":
                continue
            # Never more than the package's timing allowed on the day it was paid.
            paid_so_far += d.amount
            assert paid_so_far <= _paid_share_allowed(grant, d.paid_on)
            membership = d.requested_by.memberships.get()
            if d.local_currency:
                # Paid by the origin office in the country's currency, at the rate of
                # the month it was paid in.
                assert membership.office == case.origin_office
                assert d.local_currency == directory.LOCAL_CURRENCY[case.destination_country]
                rate = ExchangeRate.objects.get(month=d.paid_on.replace(day=1),
                                                base=grant.currency, currency=d.local_currency)
                assert (d.rate, d.rate_month) == (rate.rate, rate.month)
                assert d.local_amount == quantize(d.amount * rate.rate, d.local_currency)
            else:
                # Before departure, by the host office, in the programme's currency.
                assert membership.office == case.host_office
                assert grant.kind == "reinstallation"
    paid = Disbursement.objects.filter(status="paid")
    assert paid.exclude(local_currency="").exists()
    assert paid.filter(item__isnull=False).exists()
    for d in Disbursement.objects.exclude(receipt=""):
        assert d.status == "paid" and d.receipt_content_type == "application/pdf"
        assert default_storage.exists(d.receipt.name)
    assert Disbursement.objects.exclude(receipt="").exists()
    # A payment still waiting for its second pair of eyes is on the supervisors' queue
    # of a case still open.
    for d in Disbursement.objects.filter(status="awaiting_approval"):
        assert d.grant.case.is_open
        assert Task.objects.filter(kind=TaskKind.APPROVE_DISBURSEMENT, status="open",
                                   case=d.grant.case).exists()


def test_it_refers_returnees_with_consent_to_partners_who_answer_them():
    seed(cases=40)
    today = timezone.localdate()
    origins = [spec for spec in world.OFFICES if spec.kind == OfficeKind.ORIGIN]
    expired = []
    for spec in origins:
        partners = list(Partner.objects.filter(office__code=spec.code).order_by("id"))
        assert 1 <= len(partners) <= 2
        for partner in partners:
            assert partner.country == spec.country and partner.services
            assert partner.contact_name and partner.email and partner.phone
            if valid_agreement(partner, today) is None:
                expired.append(partner)
                assert "expired" in agreement_problem(partner, today)
        # The office's partner login works for its first partner, and sees its
        # referrals only.
        user = User.objects.get(username=world.username(spec, Role.PARTNER))
        assert partner_of(user) == partners[0]
        assert set(visible_referrals(user)) == set(Referral.objects.filter(
            partner=partners[0]))
    assert [p.name for p in expired] == ["Damascus Legal Aid Clinic"]
    assert not PartnerUser.objects.filter(user__username="berlin.partner").exists()
    assert any("(Tigris Reintegration Services)" in role for name, role, _office
               in world.logins() if name == "baghdad.partner")

    referrals = list(Referral.objects.select_related("case", "partner", "agreement"))
    assert referrals
    assert ReferralStatus.CLOSED in {r.status for r in referrals}
    for referral in referrals:
        sent = timezone.localdate(referral.sent_at)
        case = referral.case
        assert referral.partner.country == case.destination_country
        assert referral.service in referral.partner.services
        assert referral.agreement.signed_on <= sent <= referral.agreement.valid_until
        # The person's consent to sharing with that partner, recorded first.
        consent = Consent.objects.get(person_id=referral.person_id,
                                      purpose=ConsentPurpose.PARTNER,
                                      partner_name=referral.partner.name)
        assert consent.withdrawn_at is None
        assert consent.given_on <= sent and consent.recorded_at <= referral.sent_at
        assert set(referral.shared) <= set(minimum.MINIMUM[referral.service])
        if referral.item is not None:
            assert referral.item.kind == referral.service
            assert referral.item.plan.case_id == case.pk
        if referral.status != ReferralStatus.SENT:
            assert partner_of(referral.responded_by) == referral.partner
            assert referral.responded_at >= referral.sent_at
        if referral.status in (ReferralStatus.SERVICE_GIVEN, ReferralStatus.CLOSED):
            assert sent <= referral.service_on <= today and referral.service_given
        if referral.status == ReferralStatus.CLOSED:
            assert referral.feedback and referral.closed_at >= referral.responded_at
    # The partner reads its referrals on its own page.
    closed = next(r for r in referrals if r.status == ReferralStatus.CLOSED)
    client = Client()
    client.force_login(closed.responded_by)
    page = client.get(reverse("partners:partner_referral", args=[closed.pk]))
    assert page.status_code == 200
    assert closed.shared["name"] in page.content.decode()


def test_it_runs_community_projects_in_every_country_of_origin():
    seed(cases=40)
    today = timezone.localdate()
    for spec in world.OFFICES:
        if spec.kind != OfficeKind.ORIGIN:
            continue
        projects = list(CommunityProject.objects.filter(office__code=spec.code))
        assert len(projects) >= 2
        for project in projects:
            assert project.country == spec.country and project.partner is not None
            assert project.currency == project.programme.currency
            if project.starts_on > today:
                assert project.status == ProjectStatus.PLANNED
                assert project.returnees_taking_part == 0 and not project.cases.exists()
                continue
            assert project.status == (ProjectStatus.COMPLETED if project.ends_on <= today
                                      else ProjectStatus.ONGOING)
            members = sum(c.members.count() for c in project.cases.all())
            assert project.returnees_taking_part >= members
            assert project.community_members_taking_part > 0
            for case in project.cases.all():
                assert case.origin_office.code == spec.code
    assert CommunityProject.objects.filter(cases__isnull=False).exists()

import datetime
import os
from decimal import Decimal

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from retorno.cases.models import TimelineEntry
from retorno.finance import services
from retorno.finance.models import Disbursement, DisbursementStatus, ExchangeRate, Grant
from retorno.finance.tests import builders
from retorno.finance.tests.builders import request
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.privacy.models import AuditEvent, AuditType
from retorno.programmes.services import create_programme
from retorno.tasks.models import Task, TaskKind, TaskStatus
from retorno.testing.personas import SCAN_PDF, open_case, walk

pytestmark = pytest.mark.django_db

RATES = ("month,base,currency,rate\n"
         "{month},EUR,IQD,1432.456\n"
         "{month},EUR,TND,3.41235\n")


def _this_month() -> str:
    return f"{timezone.localdate():%Y-%m}"


def _rates(world, month: str | None = None):
    return services.import_rates(actor=world.pia, csv_text=RATES.format(
        month=month or _this_month()))


def _messages(exc) -> str:
    return " | ".join(exc.value.messages)


# ---- awarding --------------------------------------------------------------------------


def test_it_awards_the_ceiling_by_default(world):
    case = builders.handed_over(world, builders.packaged_programme(world))
    grant = services.award_grant(actor=world.rita, case=case, kind="reinstallation")
    assert (grant.amount, grant.currency, grant.modality, grant.version) == \
        (Decimal("1000"), "EUR", "cash", 1)
    event = AuditEvent.objects.get(event_type=AuditType.GRANT_AWARDED)
    assert event.extra["new"]["amount"] == "1000.000"
    assert event.office_id == world.baghdad.pk and event.case_id == case.pk
    entry = TimelineEntry.objects.filter(case=case).latest("at")
    assert entry.summary == "Reinstallation grant awarded"
    assert "1000" not in entry.summary


def test_it_changes_a_grant_with_a_version_bump_and_old_and_new(world):
    case = builders.handed_over(world, builders.packaged_programme(world))
    services.award_grant(actor=world.rita, case=case, kind="reintegration",
                         amount=Decimal("1500"))
    grant = services.award_grant(actor=world.rita, case=case, kind="reintegration",
                                 amount=Decimal("1800"))
    assert grant.version == 2
    assert Grant.objects.get(pk=grant.pk).amount == Decimal("1800")
    event = AuditEvent.objects.filter(event_type=AuditType.GRANT_AWARDED).latest("id")
    assert event.extra["old"] == {"amount": "1500.000"}
    assert event.extra["new"] == {"amount": "1800.000"}
    # The same again writes nothing.
    services.award_grant(actor=world.rita, case=case, kind="reintegration",
                         amount=Decimal("1800"))
    assert AuditEvent.objects.filter(event_type=AuditType.GRANT_AWARDED).count() == 2


def test_it_refuses_a_grant_above_the_ceiling_or_below_what_is_counted(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    with pytest.raises(Invalid) as exc:
        services.award_grant(actor=world.rita, case=case, kind="reinstallation",
                             amount=Decimal("1000.01"))
    assert "The package allows at most €1,000.00 for this case." in _messages(exc)
    grant = services.award_grant(actor=world.rita, case=case, kind="reinstallation")
    request(grant, world.rita, "300")
    with pytest.raises(Invalid) as exc:
        services.award_grant(actor=world.rita, case=case, kind="reinstallation",
                             amount=Decimal("299"))
    assert "€300.00 of this grant is already requested or paid" in _messages(exc)
    assert Grant.objects.get(pk=grant.pk).amount == Decimal("1000")


def test_it_refuses_a_grant_without_a_package_or_currency(world):
    bare = create_programme(code="bare", name="Bare", donor="", host_countries=["DEU"],
                            eligible_nationalities=[], eligible_categories=[],
                            start_date=datetime.date(2020, 1, 1), end_date=None)
    case = open_case(world, programme=bare)
    with pytest.raises(Invalid) as exc:
        services.award_grant(actor=world.sam, case=case, kind="reinstallation")
    assert "has no currency" in _messages(exc)
    assert "has no assistance package" in _messages(exc)
    assert not Grant.objects.exists()


def test_it_lets_only_those_who_pay_or_plan_award(world):
    case = builders.handed_over(world, builders.packaged_programme(world))
    for user in (world.carla, world.pia, world.dana, world.emil):
        with pytest.raises(NotAllowed):
            services.award_grant(actor=user, case=case, kind="reinstallation")
    # The host office's movement officer pays until departure; so may the origin office.
    assert services.award_grant(actor=world.max, case=case, kind="reinstallation")


def test_it_takes_the_in_kind_modality_when_every_component_is(world):
    programme = builders.packaged_programme(world, reintegration_in_kind=True)
    case = builders.handed_over(world, programme)
    grant = services.award_grant(actor=world.rita, case=case, kind="reintegration")
    assert grant.modality == "in_kind"


# ---- the ceiling -----------------------------------------------------------------------


def test_it_pays_exactly_the_remaining_and_refuses_a_cent_more(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    request(grant, world.rita, "600")
    last = request(grant, world.rita, "400")
    assert last.status == DisbursementStatus.APPROVED
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "0.01")
    assert "€0.01 is more than what remains of the grant: €0.00 of €1,000.00." \
        in _messages(exc)
    assert Disbursement.objects.count() == 2


def test_it_refuses_the_second_of_two_requests_that_together_exceed_the_grant(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    request(grant, world.rita, "700")
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "400")
    assert "€400.00 is more than what remains of the grant: €300.00 of €1,000.00." \
        in _messages(exc)


def test_it_counts_a_rejected_request_no_more(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    big = request(grant, world.rita, "1000")
    services.decide_disbursement(actor=world.sam, disbursement=big, approve=False,
                                 note="Wrong payee", version=big.version)
    assert request(grant, world.rita, "1000").status == DisbursementStatus.AWAITING_APPROVAL


def test_it_refuses_amounts_with_too_many_decimals_or_not_positive(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "10.005")
    assert "at most 2 digits" in _messages(exc)
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "0")
    assert "more than zero" in _messages(exc)


# ---- double submission -----------------------------------------------------------------


def test_it_records_the_same_client_key_once(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    first = request(grant, world.rita, "100", client_key="abc")
    again = request(grant, world.rita, "100", client_key="abc")
    assert again.pk == first.pk
    assert Disbursement.objects.count() == 1
    assert AuditEvent.objects.filter(event_type=AuditType.DISBURSEMENT_REQUESTED).count() == 1


def test_it_refuses_a_client_key_used_for_another_grant(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    other = builders.awarded(world, case, kind="reintegration")
    request(grant, world.rita, "100", client_key="abc")
    with pytest.raises(Invalid) as exc:
        request(other, world.rita, "100", client_key="abc")
    assert "already used for another payment" in _messages(exc)


# ---- four eyes -------------------------------------------------------------------------


def test_it_needs_another_person_to_approve_above_the_threshold(world):
    case = builders.handed_over(world, builders.packaged_programme(world, threshold=None))
    grant = builders.awarded(world, case, actor=world.sam)
    asked = request(grant, world.sam, "100")
    assert asked.status == DisbursementStatus.AWAITING_APPROVAL
    task = Task.objects.get(kind=TaskKind.APPROVE_DISBURSEMENT, status=TaskStatus.OPEN)
    assert (task.office_id, task.role) == (world.berlin.pk, "supervisor")
    assert task.subject_id == asked.pk
    with pytest.raises(NotAllowed) as exc:
        services.decide_disbursement(actor=world.sam, disbursement=asked, approve=True,
                                     version=asked.version)
    assert "another person must approve" in _messages(exc)
    for outsider in (world.carla, world.max, world.rita):
        with pytest.raises(NotAllowed):
            services.decide_disbursement(actor=outsider, disbursement=asked, approve=True,
                                         version=asked.version)
    services.decide_disbursement(actor=world.pia, disbursement=asked, approve=True,
                                 version=asked.version)
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == (DisbursementStatus.APPROVED, world.pia)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    pay = Task.objects.get(kind=TaskKind.PAY_DISBURSEMENT, status=TaskStatus.OPEN)
    assert pay.assignee == world.sam
    event = AuditEvent.objects.get(event_type=AuditType.DISBURSEMENT_DECIDED)
    assert event.extra["new"]["status"] == "approved"
    services.record_payment(actor=world.sam, disbursement=asked,
                            paid_on=timezone.localdate(), version=asked.version)
    asked.refresh_from_db()
    assert asked.status == DisbursementStatus.PAID
    pay.refresh_from_db()
    assert pay.status == TaskStatus.DONE
    assert AuditEvent.objects.filter(event_type=AuditType.DISBURSEMENT_PAID).count() == 1


def test_it_needs_a_reason_to_reject_and_only_decides_once(world):
    case = builders.handed_over(world, builders.packaged_programme(world, threshold=None))
    grant = builders.awarded(world, case, actor=world.sam)
    asked = request(grant, world.max, "100")
    with pytest.raises(Invalid) as exc:
        services.decide_disbursement(actor=world.sam, disbursement=asked, approve=False,
                                     version=asked.version)
    assert "Say why" in _messages(exc)
    with pytest.raises(StaleVersion):
        services.decide_disbursement(actor=world.sam, disbursement=asked, approve=True,
                                     version=asked.version + 1)
    asked.refresh_from_db()
    services.decide_disbursement(actor=world.sam, disbursement=asked, approve=False,
                                 note="Duplicate", version=asked.version)
    assert not Task.objects.filter(status=TaskStatus.OPEN,
                                   kind=TaskKind.APPROVE_DISBURSEMENT).exists()
    with pytest.raises(Invalid):
        services.decide_disbursement(actor=world.pia, disbursement=asked, approve=True,
                                     version=asked.version)


def test_it_needs_no_approval_at_or_below_the_threshold(world):
    case = builders.handed_over(world, builders.packaged_programme(world))
    grant = builders.awarded(world, case, actor=world.max)
    approved = request(grant, world.max, "200")
    assert approved.status == DisbursementStatus.APPROVED
    paid = request(grant, world.max, "300", paid_on=timezone.localdate())
    assert paid.status == DisbursementStatus.PAID
    assert paid.recorded_paid_by == world.max
    assert not Task.objects.filter(kind=TaskKind.APPROVE_DISBURSEMENT).exists()
    assert AuditEvent.objects.filter(event_type=AuditType.DISBURSEMENT_PAID).count() == 1


def test_it_refuses_a_payment_date_on_a_request_that_needs_approval(world):
    case = builders.handed_over(world, builders.packaged_programme(world, threshold=None))
    grant = builders.awarded(world, case, actor=world.max)
    with pytest.raises(Invalid) as exc:
        request(grant, world.max, "100", paid_on=timezone.localdate())
    assert "needs a second person's approval" in _messages(exc)


# ---- timing ----------------------------------------------------------------------------


def test_it_pays_only_the_before_departure_share_before_departure(world):
    case = builders.handed_over(world, builders.packaged_programme(world))
    grant = builders.awarded(world, case, actor=world.max)
    request(grant, world.max, "500")
    with pytest.raises(Invalid) as exc:
        request(grant, world.max, "1")
    assert ("Before the arrival is recorded, at most €500.00 of this grant is paid "
            "(€0.00 left to pay now)") in _messages(exc)


def test_it_refuses_the_rest_before_the_arrival(world):
    case = builders.departed(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "501")
    assert "Before the arrival is recorded" in _messages(exc)
    assert request(grant, world.rita, "500")


def test_it_pays_the_rest_once_the_months_after_arrival_have_passed(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=6))
    grant = builders.awarded(world, case)
    request(grant, world.rita, "500")
    due = services.add_months(timezone.localdate(), 6)
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "10")
    assert "the rest becomes payable on" in _messages(exc)
    assert due.strftime("%m/%d/%Y") in _messages(exc)
    with time_machine.travel(due - datetime.timedelta(days=1), tick=False):
        with pytest.raises(Invalid):
            request(grant, world.rita, "10")
    with time_machine.travel(due, tick=False):
        assert request(grant, world.rita, "500").status == DisbursementStatus.APPROVED


def test_it_lets_the_host_office_pay_only_until_departure(world):
    case = builders.departed(world, builders.packaged_programme(world))
    with pytest.raises(NotAllowed):
        builders.awarded(world, case, actor=world.max)
    grant = builders.awarded(world, case, actor=world.rita)
    with pytest.raises(NotAllowed):
        request(grant, world.max, "100")


# ---- exchange rates --------------------------------------------------------------------


def test_it_refuses_a_payment_in_a_currency_without_the_month_rate(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "100", local_currency="IQD", paid_on=timezone.localdate())
    assert (f"Finance has not loaded the rate of EUR to IQD for {_this_month()}"
            in _messages(exc))
    assert not Disbursement.objects.exists()


def test_it_converts_with_the_local_currency_minor_units(world):
    _rates(world)
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    today = timezone.localdate()
    iqd = request(grant, world.rita, "100", local_currency="IQD", paid_on=today)
    assert iqd.local_amount == Decimal("143246")  # 143245.6, IQD has no minor unit
    assert iqd.rate == Decimal("1432.456") and iqd.rate_month == today.replace(day=1)
    tnd = request(grant, world.rita, "100.01", local_currency="TND", paid_on=today)
    assert tnd.local_amount == Decimal("341.269")  # 341.2691235, TND has 3 decimals
    eur = request(grant, world.rita, "10", local_currency="EUR", paid_on=today)
    assert eur.local_currency == "" and eur.local_amount is None


def test_it_converts_at_the_rate_of_the_month_it_is_paid(world):
    _rates(world)
    case = builders.arrived(world, builders.packaged_programme(world, months=0,
                                                               threshold=None))
    grant = builders.awarded(world, case)
    asked = request(grant, world.rita, "100", local_currency="IQD")
    services.decide_disbursement(actor=world.sam, disbursement=asked, approve=True,
                                 version=asked.version)
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    with pytest.raises(Invalid) as exc:
        services.record_payment(actor=world.rita, disbursement=asked, paid_on=last_month,
                                version=asked.version)
    assert f"for {last_month:%Y-%m}" in _messages(exc)
    with pytest.raises(Invalid) as exc:
        services.record_payment(actor=world.rita, disbursement=asked,
                                paid_on=timezone.localdate() + datetime.timedelta(days=1),
                                version=asked.version)
    assert "cannot be in the future" in _messages(exc)
    services.record_payment(actor=world.rita, disbursement=asked,
                            paid_on=timezone.localdate(), version=asked.version)
    asked.refresh_from_db()
    assert asked.local_amount == Decimal("143246")


def test_it_imports_rates_and_reimports_them_unchanged(world):
    first = _rates(world, "2026-10")
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    again = _rates(world, "2026-10")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = services.import_rates(actor=world.pia, csv_text=(
        "month,base,currency,rate\n2026-10,EUR,IQD,1440\n"))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    rate = ExchangeRate.objects.get(currency="IQD")
    assert rate.rate == Decimal("1440") and rate.month == datetime.date(2026, 10, 1)
    events = AuditEvent.objects.filter(event_type=AuditType.EXCHANGE_RATES_IMPORTED)
    assert events.count() == 3
    last = events.latest("id")
    assert last.office_id is None and last.case_id is None
    assert last.extra["changes"] == [{"month": "2026-10", "base": "EUR", "currency": "IQD",
                                      "old": "1432.4560000000", "new": "1440.0000000000"}]


def test_it_names_every_bad_line_and_imports_nothing(world):
    text = ("month,base,currency,rate\n"
            "2026-13,EUR,IQD,1432\n"
            "2026-11,EUR,ABC,1\n"
            "2026-11,EUR,TND,-3\n"
            "2026-11,EUR,IQD,abc\n"
            "2026-11,EUR,IQD,1432\n"
            "2026-11,EUR,IQD,1433\n"
            "2026-11,EUR\n"
            "2026-11,EUR,SYP,0.00000000001\n")
    with pytest.raises(Invalid) as exc:
        services.import_rates(actor=world.pia, csv_text=text)
    messages = exc.value.messages
    assert 'Line 2: the month "2026-13" is not written YYYY-MM.' in messages
    assert 'Line 3: "ABC" is not an ISO 4217 currency code.' in messages
    assert "Line 4: the rate must be more than zero." in messages
    assert 'Line 5: the rate "abc" is not a number.' in messages
    assert ("Line 7: the rate of EUR to IQD for 2026-11 is already on line 6."
            in messages)
    assert any(m.startswith("Line 8: expected 4 columns") for m in messages)
    assert any(m.startswith("Line 9: a rate has at most 10 digits") for m in messages)
    assert not ExchangeRate.objects.exists()


def test_it_refuses_a_file_without_the_header_or_rates(world):
    with pytest.raises(Invalid) as exc:
        services.import_rates(actor=world.pia, csv_text="2026-11,EUR,IQD,1432\n")
    assert "header" in _messages(exc)
    with pytest.raises(Invalid) as exc:
        services.import_rates(actor=world.pia, csv_text="month,base,currency,rate\n")
    assert "no rates" in _messages(exc)


def test_it_lets_only_finance_import_rates(world):
    for user in (world.sam, world.rita, world.max, world.carla):
        with pytest.raises(NotAllowed):
            _rates(world)
            services.import_rates(actor=user, csv_text=RATES.format(month="2026-11"))


# ---- receipts --------------------------------------------------------------------------


def _paid_with_receipt(world, content=SCAN_PDF, name="receipt.pdf"):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    return request(grant, world.rita, "100", paid_on=timezone.localdate(),
                   receipt=ContentFile(content, name=name))


def test_it_stores_a_receipt_privately_and_audits_its_reading(world):
    paid = _paid_with_receipt(world)
    assert paid.receipt.name.startswith(f"receipts/{paid.grant.case.reference}/")
    assert paid.receipt_content_type == "application/pdf"
    assert oct(os.stat(paid.receipt.path).st_mode & 0o777) == "0o600"
    handle, content_type = services.read_receipt(actor=world.rita, disbursement=paid)
    with handle:
        assert handle.read() == SCAN_PDF
    assert content_type == "application/pdf"
    event = AuditEvent.objects.get(event_type=AuditType.RECEIPT_READ)
    assert event.actor == world.rita and event.extra["sha256"] == paid.receipt_sha256


def test_it_lets_only_payers_approvers_and_the_dp_focal_point_read_receipts(world):
    paid = _paid_with_receipt(world)
    for user in (world.sam, world.pia, world.dana):
        handle, _type = services.read_receipt(actor=user, disbursement=paid)
        handle.close()
    for user in (world.carla, world.emil, world.mona):
        with pytest.raises(NotAllowed):
            services.read_receipt(actor=user, disbursement=paid)


def _receipt_files(settings) -> set[str]:
    found = set()
    for folder, _dirs, files in os.walk(os.path.join(settings.MEDIA_ROOT, "receipts")):
        found |= {os.path.join(folder, f) for f in files}
    return found


def test_it_refuses_a_receipt_of_another_type_or_too_large(world, settings):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    before = _receipt_files(settings)
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "100", paid_on=timezone.localdate(),
                receipt=ContentFile(b"MZ\x90\x00 not a pdf", name="receipt.pdf"))
    assert "not a PDF, JPEG or PNG" in _messages(exc)
    big = ContentFile(b"%PDF-" + b"0" * (10 * 1024 * 1024), name="big.pdf")
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "100", paid_on=timezone.localdate(), receipt=big)
    assert "the limit is 10 MB" in _messages(exc)
    assert not Disbursement.objects.exists()
    assert _receipt_files(settings) == before


def test_it_deletes_the_receipt_when_the_request_is_refused(world, settings):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    before = _receipt_files(settings)
    with pytest.raises(Invalid):
        request(grant, world.rita, "5000", paid_on=timezone.localdate(),
                receipt=ContentFile(SCAN_PDF, name="r.pdf"))
    assert _receipt_files(settings) == before


def test_it_tells_the_timeline_what_happened_without_amounts(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0,
                                                               threshold=None))
    grant = builders.awarded(world, case)
    asked = request(grant, world.rita, "123.45", note="For the rent")
    services.decide_disbursement(actor=world.sam, disbursement=asked, approve=True,
                                 version=asked.version)
    services.record_payment(actor=world.rita, disbursement=asked,
                            paid_on=timezone.localdate(), version=asked.version)
    summaries = list(TimelineEntry.objects.filter(case=case).order_by("at", "id")
                     .values_list("summary", flat=True))[-4:]
    assert summaries == ["Reinstallation grant awarded",
                         "Payment requested: Reinstallation grant",
                         "Payment approved: Reinstallation grant",
                         "Payment recorded: Reinstallation grant"]
    assert not any("123" in s or "rent" in s for s in summaries)
    requested = AuditEvent.objects.get(event_type=AuditType.DISBURSEMENT_REQUESTED)
    assert requested.extra["new"]["amount"] == "123.450"
    assert requested.extra["new"]["note"] == "For the rent"


# ---- assistance items ------------------------------------------------------------------


def test_it_pays_an_item_of_the_approved_plan_within_its_cost(world):
    from retorno.reintegration.services import approve_plan
    from retorno.reintegration.tests.builders import assessed, item

    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    walk(world, case, ("reintegration", world.rita))
    plan = assessed(world, case)
    tools = item(world, plan, cost="1500")
    draft_grant = builders.awarded(world, case, kind="reintegration", amount=Decimal("1500"))
    with pytest.raises(Invalid) as exc:
        request(draft_grant, world.rita, "100", item=tools)
    assert "not part of the case's approved reintegration plan" in _messages(exc)
    plan.refresh_from_db()
    approve_plan(actor=world.rita, plan=plan, version=plan.version)
    grant = Grant.objects.get(case=case, kind="reintegration")
    assert grant.amount == Decimal("1500")
    tools.refresh_from_db()
    request(grant, world.rita, "1000", item=tools)
    with pytest.raises(Invalid) as exc:
        request(grant, world.rita, "500.01", item=tools)
    assert "€500.01 is more than what remains of the item's cost (€500.00 of €1,500.00)." \
        in _messages(exc)
    reinstallation = builders.awarded(world, case)
    with pytest.raises(Invalid) as exc:
        request(reinstallation, world.rita, "10", item=tools)
    assert "paid from the reintegration grant" in _messages(exc)

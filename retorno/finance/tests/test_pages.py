import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retorno.finance.models import Disbursement, DisbursementStatus, ExchangeRate, Grant
from retorno.finance.tests import builders
from retorno.finance.tests.builders import request
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import SCAN_PDF

pytestmark = pytest.mark.django_db


def _page(case) -> str:
    return f"/cases/{case.reference}/"


def _client_key(body: str, prefix: str) -> str:
    match = re.search(rf'name="{prefix}-client_key" value="([0-9a-f]+)"', body)
    assert match, body
    return match.group(1)


def test_it_shows_the_entitlement_and_awards_from_the_case_page(world, client):
    case = builders.handed_over(world, builders.packaged_programme(world))
    client.force_login(world.rita)
    body = client.get(_page(case)).content.decode()
    assert "Grants and payments" in body
    assert "Reinstallation grant" in body and "6 months after arrival" in body
    assert "€500.00" in body  # the before-departure share
    assert 'name="award-reinstallation-amount" value="1000.000"' in body
    url = f"/cases/{case.reference}/grants/reinstallation/award/"
    response = client.post(url, {"award-reinstallation-amount": "1000",
                                 "award-reinstallation-modality": "cash"})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/#grants"
    assert Grant.objects.get(case=case).amount == Decimal("1000")
    # Above the ceiling: the form again, with the refusal in place.
    response = client.post(url, {"award-reinstallation-amount": "1200",
                                 "award-reinstallation-modality": "cash"})
    assert response.status_code == 422
    assert "The package allows at most €1,000.00 for this case." in response.content.decode()


def test_it_records_one_payment_for_a_double_submitted_form(world, client):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    client.force_login(world.rita)
    body = client.get(_page(case)).content.decode()
    prefix = f"request-{grant.pk}"
    key = _client_key(body, prefix)
    form = {f"{prefix}-amount": "100", f"{prefix}-method": "cash",
            f"{prefix}-client_key": key, f"{prefix}-payee": "Ahmed"}
    url = f"/cases/{case.reference}/grants/{grant.pk}/payments/new/"
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert Disbursement.objects.count() == 1
    # A freshly rendered form carries a new key.
    assert _client_key(client.get(_page(case)).content.decode(), prefix) != key


def test_it_shows_a_refused_payment_in_place_keeping_the_key(world, client):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    client.force_login(world.rita)
    prefix = f"request-{grant.pk}"
    url = f"/cases/{case.reference}/grants/{grant.pk}/payments/new/"
    response = client.post(url, {f"{prefix}-amount": "1000.01", f"{prefix}-method": "cash",
                                 f"{prefix}-client_key": "k1"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "is more than what remains of the grant" in body
    assert f'name="{prefix}-client_key" value="k1"' in body


def test_it_approves_and_pays_with_a_receipt_from_the_page(world, client):
    programme = builders.packaged_programme(world, months=0, threshold=None)
    case = builders.arrived(world, programme)
    grant = builders.awarded(world, case)
    asked = request(grant, world.rita, "100")
    client.force_login(world.rita)
    body = client.get(_page(case)).content.decode()
    assert "Waiting for another person's approval." in body
    assert f"/payments/{asked.pk}/approve/" not in body
    client.force_login(world.sam)
    body = client.get(_page(case)).content.decode()
    approve = f"/cases/{case.reference}/payments/{asked.pk}/approve/"
    assert approve in body
    response = client.post(approve, {f"approve-{asked.pk}-decision": "approve",
                                      f"approve-{asked.pk}-version": "1"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == DisbursementStatus.APPROVED and asked.decided_by == world.sam
    client.force_login(world.rita)
    paid = f"/cases/{case.reference}/payments/{asked.pk}/paid/"
    response = client.post(paid, {
        f"pay-{asked.pk}-paid_on": timezone.localdate().isoformat(),
        f"pay-{asked.pk}-version": str(asked.version),
        f"pay-{asked.pk}-receipt": SimpleUploadedFile("r.pdf", SCAN_PDF)})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == DisbursementStatus.PAID and asked.receipt_sha256
    receipt = f"/cases/{case.reference}/payments/{asked.pk}/receipt/"
    assert receipt in client.get(_page(case)).content.decode()
    response = client.get(receipt)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SCAN_PDF
    assert AuditEvent.objects.filter(event_type=AuditType.RECEIPT_READ).count() == 1
    # Those who see the case but may not read receipts: no link, 403.
    client.force_login(world.emil)
    body = client.get(_page(case)).content.decode()
    assert "Grants and payments" in body and receipt not in body
    assert client.get(receipt).status_code == 403


def test_it_needs_a_reason_to_reject_on_the_page(world, client):
    programme = builders.packaged_programme(world, months=0, threshold=None)
    case = builders.arrived(world, programme)
    asked = request(builders.awarded(world, case), world.rita, "100")
    client.force_login(world.pia)
    reject = f"/cases/{case.reference}/payments/{asked.pk}/reject/"
    response = client.post(reject, {f"reject-{asked.pk}-decision": "reject",
                                     f"reject-{asked.pk}-version": "1"})
    assert response.status_code == 422
    assert "Say why the payment is rejected." in response.content.decode()
    response = client.post(reject, {f"reject-{asked.pk}-decision": "reject",
                                     f"reject-{asked.pk}-note": "Wrong payee",
                                     f"reject-{asked.pk}-version": "1"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == DisbursementStatus.REJECTED


def test_it_hides_grants_and_payments_from_outsiders(world, client):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    paid = request(grant, world.rita, "100", paid_on=timezone.localdate(),
                   receipt=SimpleUploadedFile("r.pdf", SCAN_PDF))
    urls = [f"/cases/{case.reference}/grants/reinstallation/award/",
            f"/cases/{case.reference}/grants/{grant.pk}/payments/new/",
            f"/cases/{case.reference}/payments/{paid.pk}/approve/",
            f"/cases/{case.reference}/payments/{paid.pk}/reject/",
            f"/cases/{case.reference}/payments/{paid.pk}/paid/",
            f"/cases/{case.reference}/payments/{paid.pk}/receipt/"]
    for persona in ("otto", "vera", "paul", "stella", "tariq"):
        client.force_login(world.users[persona])
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
    assert AuditEvent.objects.filter(event_type=AuditType.RECEIPT_READ).count() == 0


def test_it_refuses_the_wrong_roles(world, client):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    asked = request(grant, world.rita, "600")
    # carla and the DP focal point see the case but neither pay, award nor approve.
    for persona in ("carla", "dana", "emil"):
        client.force_login(world.users[persona])
        assert client.get(
            f"/cases/{case.reference}/grants/reinstallation/award/").status_code == 403
        assert client.get(
            f"/cases/{case.reference}/grants/{grant.pk}/payments/new/").status_code == 403
        assert client.get(
            f"/cases/{case.reference}/payments/{asked.pk}/paid/").status_code == 403
    client.force_login(world.rita)
    assert client.get(
        f"/cases/{case.reference}/payments/{asked.pk}/approve/").status_code == 403
    # The host office no longer pays once the case has departed.
    client.force_login(world.max)
    assert client.get(
        f"/cases/{case.reference}/grants/{grant.pk}/payments/new/").status_code == 403
    # Another case's grant: 404.
    assert client.get(f"/cases/{case.reference}/grants/999999/payments/new/")\
        .status_code in (403, 404)
    client.force_login(world.rita)
    assert client.get(
        f"/cases/{case.reference}/grants/999999/payments/new/").status_code == 404
    assert client.get(
        f"/cases/{case.reference}/grants/top_up/award/").status_code == 404


def test_it_lists_rates_and_lets_finance_upload(world, client):
    client.force_login(world.pia)
    response = client.get("/finance/rates/")
    assert response.status_code == 200 and "Load rates" in response.content.decode()
    upload = SimpleUploadedFile("rates.csv", b"month,base,currency,rate\n"
                                b"2026-11,EUR,IQD,1432.456\n")
    response = client.post("/finance/rates/", {"file": upload}, follow=True)
    body = response.content.decode()
    assert "Rates imported: 1 new, 0 changed, 0 unchanged." in body
    assert "1432.456" in body and "November 2026" in body
    bad = SimpleUploadedFile("rates.csv", b"month,base,currency,rate\n2026-1,EUR,IQD,x\n")
    response = client.post("/finance/rates/", {"file": bad})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Line 2: the month &quot;2026-1&quot; is not written YYYY-MM." in body
    assert "Line 2: the rate &quot;x&quot; is not a number." in body
    assert ExchangeRate.objects.count() == 1


def test_it_lets_payers_read_rates_but_not_upload(world, client):
    for persona in ("rita", "max", "sam"):
        client.force_login(world.users[persona])
        response = client.get("/finance/rates/")
        assert response.status_code == 200 and "Load rates" not in response.content.decode()
        upload = SimpleUploadedFile("rates.csv", b"month,base,currency,rate\n")
        assert client.post("/finance/rates/", {"file": upload}).status_code == 403
    for persona in ("carla", "otto", "paul", "stella", "dana"):
        client.force_login(world.users[persona])
        assert client.get("/finance/rates/").status_code == 403


def test_it_lists_many_rates_in_a_bounded_number_of_queries(world, client,
                                                           django_assert_max_num_queries):
    from retorno.finance import services

    lines = "".join(f"2026-{m:02d},EUR,{c},{m}.5\n" for m in range(1, 13)
                    for c in ("IQD", "TND", "AFN"))
    services.import_rates(actor=world.pia, csv_text="month,base,currency,rate\n" + lines)
    client.force_login(world.rita)
    with django_assert_max_num_queries(8):
        response = client.get("/finance/rates/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr><td>1 EUR</td>") == 36

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from retorno.finance.models import Disbursement, DisbursementStatus, ExchangeRate, Grant
from retorno.finance.tests import builders
from retorno.finance.tests.builders import request
from retorno.privacy.models import AuditEvent, AuditType
from retorno.testing.personas import SCAN_PDF

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def grants(case) -> str:
    return reverse("api:case_grants", args=[case.reference])


def disbursements(case) -> str:
    return reverse("api:case_disbursements", args=[case.reference])


def one(case, disbursement, part: str) -> str:
    return reverse(f"api:case_disbursement_{part}", args=[case.reference, disbursement.pk])


def test_it_awards_and_lists_grants(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    rita = api(world.rita)
    response = rita.post(grants(case), {"kind": "reinstallation"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["amount"], data["currency"], data["remaining"]) == \
        ("reinstallation", "1000.000", "EUR", "1000.000")
    response = rita.post(grants(case), {"kind": "reinstallation", "amount": "1001"},
                         format="json")
    assert response.status_code == 400
    assert "The package allows at most €1,000.00" in response.json()["detail"]
    response = rita.post(grants(case), {"kind": "reinstallation", "amount": "900"},
                         format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    listed = api(world.emil).get(grants(case)).json()
    assert [g["amount"] for g in listed] == ["900.000"]
    assert api(world.carla).post(grants(case), {"kind": "reintegration"},
                                 format="json").status_code == 403


def test_it_answers_200_to_a_repeated_request(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    body = {"grant": grant.pk, "amount": "100", "method": "mobile_money",
            "client_key": "5b1c7c1e-1d0b-4d5e-9a44-0b3a9d1b1e10", "payee": "Ahmed"}
    rita = api(world.rita)
    first = rita.post(disbursements(case), body, format="json")
    assert first.status_code == 201, first.content
    again = rita.post(disbursements(case), body, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Disbursement.objects.count() == 1
    missing = {k: v for k, v in body.items() if k != "client_key"}
    assert rita.post(disbursements(case), missing, format="json").status_code == 400
    listed = api(world.emil).get(disbursements(case)).json()["results"]
    assert [d["status"] for d in listed] == ["approved"]
    assert listed[0]["has_receipt"] is False


def test_it_refuses_more_than_the_remaining_ceiling(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    rita = api(world.rita)
    body = {"grant": grant.pk, "amount": "700", "method": "cash", "client_key": "a"}
    assert rita.post(disbursements(case), body, format="json").status_code == 201
    response = rita.post(disbursements(case), {**body, "amount": "300.01", "client_key": "b"},
                         format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["amount"] == [
        "€300.01 is more than what remains of the grant: €300.00 of €1,000.00."]
    assert rita.post(disbursements(case), {**body, "amount": "300", "client_key": "c"},
                     format="json").status_code == 201


def test_it_approves_rejects_and_pays_through_the_api(world):
    _rates = "month,base,currency,rate\n{m},EUR,TND,3.41235\n".format(
        m=f"{timezone.localdate():%Y-%m}")
    response = api(world.pia).post(reverse("api:exchange_rates"), {
        "file": SimpleUploadedFile("rates.csv", _rates.encode())}, format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    case = builders.arrived(world, builders.packaged_programme(world, months=0,
                                                               threshold=None))
    grant = builders.awarded(world, case)
    rita = api(world.rita)
    asked = rita.post(disbursements(case), {"grant": grant.pk, "amount": "100.01",
                                            "method": "cash", "client_key": "x",
                                            "local_currency": "TND"}, format="json").json()
    assert asked["status"] == "awaiting_approval"
    d = Disbursement.objects.get(pk=asked["id"])
    response = rita.post(one(case, d, "approve"), {"version": 1}, format="json")
    assert response.status_code == 403
    response = api(world.sam).post(one(case, d, "approve"), {"version": 2}, format="json")
    assert response.status_code == 409
    response = api(world.sam).post(one(case, d, "approve"), {"version": 1}, format="json")
    assert response.status_code == 200 and response.json()["decided_by"] == "sam"
    response = rita.post(one(case, d, "paid"), {
        "paid_on": timezone.localdate().isoformat(), "version": 2,
        "receipt": SimpleUploadedFile("r.pdf", SCAN_PDF)}, format="multipart")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["status"], data["local_amount"], data["rate"], data["has_receipt"]) == \
        ("paid", "341.269", "3.4123500000", True)
    receipt = rita.get(one(case, d, "receipt"))
    assert receipt.status_code == 200
    assert b"".join(receipt.streaming_content) == SCAN_PDF
    assert receipt["Content-Type"] == "application/pdf"
    assert api(world.emil).get(one(case, d, "receipt")).status_code == 403
    assert api(world.dana).get(one(case, d, "receipt")).status_code == 200
    assert AuditEvent.objects.filter(event_type=AuditType.RECEIPT_READ).count() == 2
    other = request(grant, world.rita, "50")
    response = api(world.pia).post(one(case, other, "reject"), {"version": 1},
                                   format="json")
    assert response.status_code == 400 and "Say why" in response.json()["detail"]
    response = api(world.pia).post(one(case, other, "reject"),
                                   {"version": 1, "note": "Duplicate"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert Disbursement.objects.get(pk=other.pk).status == DisbursementStatus.REJECTED


def test_it_hides_grants_from_strangers(world):
    case = builders.arrived(world, builders.packaged_programme(world, months=0))
    grant = builders.awarded(world, case)
    paid = request(grant, world.rita, "100", paid_on=timezone.localdate(),
                   receipt=SimpleUploadedFile("r.pdf", SCAN_PDF))
    for persona in ("otto", "vera", "paul", "stella", "tariq"):
        client = api(world.users[persona])
        assert client.get(grants(case)).status_code == 404
        assert client.post(grants(case), {"kind": "reinstallation"},
                           format="json").status_code == 404
        assert client.get(disbursements(case)).status_code == 404
        for part in ("approve", "reject", "paid"):
            assert client.post(one(case, paid, part), {"version": 1},
                               format="json").status_code == 404
        assert client.get(one(case, paid, "receipt")).status_code == 404
    assert Grant.objects.get().amount == Decimal("1000")


def test_it_reads_and_imports_rates(world):
    url = reverse("api:exchange_rates")
    csv = b"month,base,currency,rate\n2026-11,EUR,IQD,1432.456\n2026-10,EUR,IQD,1400\n"
    pia = api(world.pia)
    response = pia.post(url, {"file": SimpleUploadedFile("r.csv", csv)}, format="multipart")
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0,
                               "months": ["2026-10", "2026-11"]}
    response = pia.post(url, {"file": SimpleUploadedFile("r.csv", csv)}, format="multipart")
    assert response.json()["unchanged"] == 2
    bad = b"month,base,currency,rate\n2026-11,EUR,IQD,-1\n2026-11,EUR,QQQ,2\n"
    response = pia.post(url, {"file": io.BytesIO(bad)}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        "Line 2: the rate must be more than zero.",
        'Line 3: "QQQ" is not an ISO 4217 currency code.']
    rows = api(world.rita).get(url).json()["results"]
    assert [(r["month"], r["rate"]) for r in rows] == [("2026-11", "1432.4560000000"),
                                                       ("2026-10", "1400.0000000000")]
    assert len(api(world.max).get(url, {"month": "2026-10"}).json()["results"]) == 1
    assert api(world.max).get(url, {"month": "oct"}).status_code == 400
    assert api(world.sam).post(url, {"file": SimpleUploadedFile("r.csv", csv)},
                               format="multipart").status_code == 403
    for persona in ("carla", "dana", "paul", "stella", "otto"):
        assert api(world.users[persona]).get(url).status_code == 403
    assert ExchangeRate.objects.count() == 2

"""Reintegration, in a real browser, by the people it takes: Baghdad's reintegration officer
builds the plan of an arrived returnee with them and approves it, which awards the
reintegration grant; she asks for a payment in Iraqi dinars, which is refused above what
remains of the grant and, being above the programme's threshold, waits for the programme
manager's approval before she records it paid with its receipt, at the month's exchange
rate. Berlin's caseworker records the returnee's consent to sharing with the partner; the
reintegration officer refers him to it; the partner's user, who sees only the minimum the
service needs, accepts the referral, records the service and closes it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from retorno.finance.models import Disbursement, DisbursementStatus, Grant, Method
from retorno.finance.services import import_rates
from retorno.partners.models import Referral, ReferralStatus
from retorno.programmes.models import Basis, ComponentKind
from retorno.programmes.services import set_package
from retorno.reintegration.models import AssistanceItem, Milestone, PlanStatus
from retorno.testing.personas import (
    SCAN_PDF,
    World,
    open_case,
    prepare_application,
    prepare_travel,
    receive,
    walk,
)
from tests.e2e.pages import disclose, field, flash, sign_in, sign_in_partner

pytestmark = pytest.mark.e2e

RATE = Decimal("1432.5")  # dinars for one euro, this month


def arrived_case(world: World):
    """The world's programme given a package (a reinstallation grant of 1,000 per adult, a
    reintegration budget of 2,000 per family; payments above 500 need a second person),
    this month's euro-to-dinar rate loaded, and a case walked to `arrived`: all through
    the real services."""
    programme = world.programme
    set_package(actor=world.pia, programme=programme, version=programme.version,
                fields={"currency": "EUR", "approval_threshold": Decimal("500")},
                components=[
                    {"kind": ComponentKind.REINSTALLATION, "basis": Basis.PER_ADULT,
                     "amount": Decimal("1000"), "before_departure_percent": 50},
                    {"kind": ComponentKind.REINTEGRATION, "basis": Basis.PER_FAMILY,
                     "amount": Decimal("2000")}])
    import_rates(actor=world.pia, csv_text=(
        f"month,base,currency,rate\n{timezone.localdate():%Y-%m},EUR,IQD,{RATE}\n"))
    case = open_case(world)
    prepare_application(world, case)
    walk(world, case, ("counselling", world.carla), ("applied", world.carla),
         ("approved", world.sam), ("preparing_departure", world.max))
    prepare_travel(world, case)
    walk(world, case, ("ready_to_travel", world.max), ("departed", world.max))
    receive(world, case)
    walk(world, case, ("arrived", world.rita))
    return case


def test_a_plan_a_grant_paid_in_dinars_and_a_referral_closed_by_the_partner(
        page: Page, world: World, tmp_path):
    case = arrived_case(world)
    reference = case.reference
    today = timezone.localdate().isoformat()

    # ---- Baghdad: the plan, built with the returnee and approved --------------------------
    sign_in(page, world.rita)
    page.goto(f"/cases/{reference}/")
    plan = page.locator("#reintegration")
    plan.get_by_role("button", name="Start the reintegration plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs assessment")
    field(page, "Assessed on").fill(today)
    field(page, "Economic needs").select_option(label="High")
    field(page, "Economic situation").fill("No income since arrival; repaired phones "
                                           "in Germany.")
    field(page, "Social needs").select_option(label="Medium")
    field(page, "Psychosocial needs").select_option(label="Low")
    page.get_by_role("button", name="Save").click()
    needs = page.get_by_test_id("needs")
    expect(needs).to_contain_text("High")
    expect(needs).to_contain_text("No income since arrival")
    total = page.get_by_test_id("plan-total")
    expect(total).to_have_text("Total: €0.00 of at most €2,000.00 for this case.")

    plan.get_by_role("link", name="Add an assistance item").click()
    expect(page.get_by_role("main")).to_contain_text(
        "The package allows at most €2,000.00 for this case; the plan's items cost €0.00 "
        "so far.")
    field(page, "Assistance").select_option(label="Business set-up")
    field(page, "Description").fill("Phone repair shop: tools and first stock")
    field(page, "Provider").select_option(label="Baghdad Business Hub")
    field(page, "Cost").fill("1500")
    page.get_by_role("button", name="Save").click()
    item_row = page.get_by_test_id("item")
    expect(item_row).to_contain_text("Baghdad Business Hub")
    expect(item_row).to_contain_text("€1,500.00")
    expect(total).to_have_text("Total: €1,500.00 of at most €2,000.00 for this case.")

    plan.get_by_role("link", name="Add a milestone").click()
    field(page, "Milestone").fill("Shop open")
    due = timezone.localdate() + datetime.timedelta(days=90)
    field(page, "Due on").fill(due.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("milestone")).to_contain_text("Shop open")

    page.locator("#reintegration").get_by_role("button", name="Approve the plan").click()
    expect(flash(page)).to_contain_text("Reintegration plan approved")
    expect(page.get_by_test_id("plan-status")).to_contain_text("Approved")
    grant = page.get_by_test_id("grant-reintegration")
    expect(grant.get_by_test_id("remaining")).to_have_text("€1,500.00")

    # ---- a payment in dinars: more than remains is refused, nothing saved -----------------
    disclose(grant, "Request a payment")
    request = page.get_by_test_id("request-reintegration")
    field(request, "Amount").fill("1600")
    field(request, "Method").select_option(label="Mobile money")
    field(request, "Paid in").fill("IQD")
    expect(request).to_contain_text("1 EUR = 1432.5 IQD")  # this month's rate
    field(request, "Paid to").fill("Ahmed Al-Rashid, Zain Cash")
    field(request, "For the assistance item").select_option(
        label="Business set-up: Phone repair shop: tools and first stock")
    request.get_by_role("button", name="Request the payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Request a payment: Reintegration grant")
    expect(page.get_by_role("alert").first).to_contain_text(
        "€1,600.00 is more than what remains of the grant: €1,500.00 of €1,500.00.")
    assert not Disbursement.objects.exists()
    # Corrected in place, every other field kept: above the threshold, it waits.
    expect(field(page, "Paid in")).to_have_value("IQD")
    field(page, "Amount").fill("750")
    page.get_by_role("button", name="Save").click()
    expect(flash(page)).to_contain_text("it waits for a second person's approval")
    grant = page.get_by_test_id("grant-reintegration")
    expect(grant.get_by_test_id("disbursement")).to_contain_text("Awaiting approval")
    expect(grant).to_contain_text("Waiting for another person's approval.")

    # ---- the programme manager: the second pair of eyes -----------------------------------
    sign_in(page, world.pia)
    page.goto(f"/cases/{reference}/")
    grant = page.get_by_test_id("grant-reintegration")
    grant.get_by_role("button", name="Approve").click()
    expect(flash(page)).to_contain_text("Payment approved.")
    expect(page.get_by_test_id("grant-reintegration").get_by_test_id("disbursement")
           ).to_contain_text("Approved, to pay")

    # ---- Baghdad: paid, with its receipt, at this month's rate ----------------------------
    receipt = tmp_path / "zain-cash-receipt.pdf"
    receipt.write_bytes(SCAN_PDF)
    sign_in(page, world.rita)
    page.goto(f"/cases/{reference}/")
    grant = page.get_by_test_id("grant-reintegration")
    payment = disclose(grant, "Record the payment")
    field(payment, "Paid on").fill(today)
    field(payment, "Receipt (PDF, JPEG or PNG)").set_input_files(receipt)
    payment.get_by_role("button", name="Record the payment").click()
    expect(flash(page)).to_contain_text("Payment recorded.")
    paid = page.get_by_test_id("grant-reintegration").get_by_test_id("disbursement")
    expect(paid).to_contain_text("Paid")
    expect(paid).to_contain_text("IQD1,074,375")  # 750 × 1,432.5
    expect(paid).to_contain_text("1 EUR = 1432.5 IQD")
    expect(paid.get_by_role("link", name="Receipt")).to_be_visible()
    expect(page.get_by_test_id("grant-reintegration").get_by_test_id("remaining")
           ).to_have_text("€750.00")

    # ---- Berlin: the returnee's consent to sharing with the partner -----------------------
    sign_in(page, world.carla)
    page.goto(f"/cases/{reference}/")
    page.locator("#consent tr", has_text="Sharing with a partner organisation").get_by_role(
        "link", name="Record consent").click()
    expect(field(page, "Person").locator("option:checked")).to_contain_text("Ahmed Al-Rashid")
    expect(field(page, "Purpose")).to_have_value("partner")
    field(page, "Partner organisation").fill("Baghdad Business Hub")
    field(page, "Form version").fill("C-2026-1")
    page.get_by_role("button", name="Record consent").click()
    expect(page.locator("#consent")).to_contain_text(
        "Sharing with a partner organisation: Baghdad Business Hub")

    # ---- Baghdad: the referral -------------------------------------------------------------
    sign_in(page, world.rita)
    page.goto(f"/cases/{reference}/")
    referrals = page.locator("#referrals")
    disclose(referrals, "Refer to a partner")
    field(referrals, "Person").select_option(label=case.principal.person.display_name)
    field(referrals, "Partner").select_option(label="Baghdad Business Hub")
    field(referrals, "Service").select_option(label="Business set-up")
    field(referrals, "What they need").fill("Advice on renting a shop and a business plan.")
    field(referrals, "Assistance item").select_option(
        label="Business set-up: Phone repair shop: tools and first stock")
    referrals.get_by_role("button", name="Send the referral").click()
    expect(flash(page)).to_contain_text("Referral sent.")
    expect(page.locator("#referrals").get_by_test_id("referral")).to_contain_text("Sent")

    # ---- the partner: the minimum, accepted, served, closed -------------------------------
    sign_in_partner(page, world.paul, "Baghdad Business Hub")
    row = page.get_by_test_id("referral")
    expect(row).to_contain_text("Business set-up")
    expect(row).to_contain_text("Sent")
    row.get_by_role("link", name="Ahmed Al-Rashid").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Advice on renting a shop and a business plan.")
    for hidden in (reference, "Asylum", "1990", "P000", "Germany", "€", "IQD"):
        expect(main).not_to_contain_text(hidden)
    page.get_by_role("button", name="Accept the referral").click()
    expect(flash(page)).to_contain_text("Referral accepted.")
    field(page, "Service given").fill("Business plan written with him; shop lease "
                                      "checked.")
    field(page, "Given on").fill(today)
    page.get_by_role("button", name="Record the service").click()
    expect(flash(page)).to_contain_text("Service recorded.")
    field(page, "Feedback").fill("Shop opened; he needs no further support from us.")
    page.get_by_role("button", name="Close with this feedback").click()
    expect(flash(page)).to_contain_text("Referral closed.")
    assert page.goto(f"/cases/{reference}/").status == 404

    # ---- Baghdad sees it closed -------------------------------------------------------------
    sign_in(page, world.rita)
    page.goto(f"/cases/{reference}/")
    closed = page.locator("#referrals").get_by_test_id("referral")
    expect(closed).to_contain_text("Closed")
    expect(closed).to_contain_text("Shop opened; he needs no further support from us.")

    case.reintegration_plan.refresh_from_db()
    assert case.reintegration_plan.status == PlanStatus.APPROVED
    assert case.reintegration_plan.approved_by == world.rita
    item = AssistanceItem.objects.get(plan__case=case)
    assert item.provider == world.partner and item.cost == Decimal("1500")
    assert Milestone.objects.get(plan__case=case).due_on == due
    awarded = Grant.objects.get(case=case, kind=ComponentKind.REINTEGRATION)
    assert awarded.amount == Decimal("1500") and awarded.currency == "EUR"
    payment = Disbursement.objects.get()  # the refused request saved nothing
    assert payment.grant == awarded and payment.item == item
    assert payment.status == DisbursementStatus.PAID and payment.method == Method.MOBILE_MONEY
    assert payment.amount == Decimal("750") and payment.local_currency == "IQD"
    assert payment.rate == RATE and payment.local_amount == Decimal("1074375")
    assert payment.rate_month == timezone.localdate().replace(day=1)
    assert payment.requested_by == world.rita and payment.decided_by == world.pia
    assert payment.receipt_content_type == "application/pdf" and payment.receipt_sha256
    referral = Referral.objects.get(case=case)
    assert referral.status == ReferralStatus.CLOSED and referral.partner == world.partner
    assert referral.item == item and referral.service_on == timezone.localdate()
    assert "Shop opened" in referral.feedback

"""Creating and changing programmes, and their assistance packages."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from retorno.accounts.models import User
from retorno.lib.errors import Invalid, NotAllowed, StaleVersion
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.lib.money import currencies, minor_units, quantize
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType
from retorno.programmes import policy
from retorno.programmes.models import (
    Basis,
    ComponentKind,
    Modality,
    PackageComponent,
    Programme,
)


def create_programme(*, code: str, name: str, donor: str, host_countries: list[str],
                     eligible_nationalities: list[str], eligible_categories: list[str],
                     start_date: datetime.date, end_date: datetime.date | None,
                     min_age: int | None = None, max_age: int | None = None,
                     applications_open: datetime.date | None = None,
                     applications_close: datetime.date | None = None,
                     max_cases: int | None = None, currency: str = "",
                     budget: Decimal | None = None,
                     cost_per_returnee: Decimal | None = None,
                     approval_threshold: Decimal | None = None) -> Programme:
    programme = Programme(code=code, name=name, donor=donor, host_countries=host_countries,
                          eligible_nationalities=eligible_nationalities,
                          eligible_categories=eligible_categories, start_date=start_date,
                          end_date=end_date, min_age=min_age, max_age=max_age,
                          applications_open=applications_open,
                          applications_close=applications_close, max_cases=max_cases,
                          currency=currency, budget=budget,
                          cost_per_returnee=cost_per_returnee,
                          approval_threshold=approval_threshold)
    validate(programme)
    programme.save()
    return programme


# What the package page and `PUT …/package/` change besides the components.
PACKAGE_FIELDS = ["budget", "currency", "max_cases", "approval_threshold"]
COMPONENT_FIELDS = ["kind", "basis", "vulnerability", "amount", "modality",
                    "before_departure_percent", "after_arrival_months"]
MAX_MONTHS = 120
# PackageComponent.amount: 14 digits, 3 of them after the point.
_MAX_AMOUNT = Decimal(10) ** 11


def require_manage_package(actor: User) -> None:
    if not policy.can_manage_package(actor):
        raise NotAllowed(_("Only programme managers may change a programme's assistance "
                           "package, budget and quota."))


def set_package(*, actor: User, programme: Programme, version: int, fields: dict[str, Any],
                components: list[dict[str, Any]]) -> Programme:
    """Replace `programme`'s assistance package with `components` and set the `fields`
    given among budget, currency, quota (`max_cases`) and disbursement
    `approval_threshold` (those left out keep their value), if nobody changed the
    programme since `version` (else StaleVersion). Every problem is reported at once,
    each naming its component. Approvals already made keep what they committed
    (`Case.commitment`). Needs finance.manage. Audit event 326 with old and new values,
    the components as a list."""
    require_manage_package(actor)
    refuse_unknown_fields(fields, PACKAGE_FIELDS)
    old = _package_snapshot(programme, policy.components(programme))
    values = dict(fields)
    if "currency" in values:
        values["currency"] = (values["currency"] or "").strip().upper()
    for name, value in values.items():
        setattr(programme, name, value)
    messages: list[str] = []
    field_errors: dict[str, list[str]] = {}
    try:
        validate(programme)
    except Invalid as exc:
        messages += exc.messages
        field_errors.update(exc.field_errors)
    currency_error = _currency_change_error(programme, old["currency"])
    if currency_error:
        messages.append(currency_error)
        field_errors.setdefault("currency", []).append(currency_error)
    lines = _clean_components(programme.currency, components, messages, field_errors,
                              currency_known="currency" not in field_errors)
    if messages:
        programme.refresh_from_db()
        raise Invalid(*messages, field_errors=field_errors)
    try:
        with transaction.atomic():
            save_versioned(programme, version, PACKAGE_FIELDS)
            PackageComponent.objects.filter(programme=programme).delete()
            PackageComponent.objects.bulk_create(
                [PackageComponent(programme=programme, **line) for line in lines])
            audit.record(AuditType.PACKAGE_CHANGED, programme, actor=actor, office_id=None,
                         code=programme.code, old=old, new=_package_snapshot(
                             programme, [PackageComponent(**line) for line in lines]))
    except StaleVersion:
        programme.refresh_from_db()
        raise
    return programme


def _package_snapshot(programme: Programme, lines: list[PackageComponent]) -> dict[str, Any]:
    snapshot = audit.snapshot(programme, PACKAGE_FIELDS)
    snapshot["components"] = [audit.snapshot(line, COMPONENT_FIELDS) for line in lines]
    return snapshot


def _currency_change_error(programme: Programme, old_currency: str) -> str:
    """Approvals commit, and grants award, amounts in the programme's currency: once
    there are any, the currency stays."""
    from retorno.cases.models import Case
    from retorno.finance.models import Grant

    if not old_currency or programme.currency == old_currency:
        return ""
    if (Case.objects.filter(programme=programme, commitment__isnull=False).exists()
            or Grant.objects.filter(case__programme=programme).exists()):
        return (_("The currency cannot change from %(old)s: approvals or grants of this "
                  "programme are already counted in it.") % {"old": old_currency})
    return ""


def _row(index: int, data: dict[str, Any]) -> str:
    kind, basis = data.get("kind"), data.get("basis")
    if kind in ComponentKind.values and basis in Basis.values:
        return _("Component %(n)d (%(kind)s, %(basis)s)") % {
            "n": index + 1, "kind": ComponentKind(kind).label, "basis": Basis(basis).label}
    return _("Component %(n)d") % {"n": index + 1}


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _clean_components(currency: str, components: list[dict[str, Any]], messages: list[str],
                      field_errors: dict[str, list[str]], *,
                      currency_known: bool) -> list[dict[str, Any]]:
    """The components as PackageComponent fields; each problem appended to `messages`
    and to `field_errors` under "components.<index>.<field>"."""
    from retorno.cases.models import Vulnerability

    if components and not currency and currency_known:
        message = _("Give the programme's currency: the assistance package is paid in it.")
        messages.append(message)
        field_errors.setdefault("currency", []).append(message)
    lines: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for index, data in enumerate(components):
        row = _row(index, data)

        def refuse(field: str, message: str, index: int = index) -> None:
            messages.append(message)
            field_errors.setdefault(f"components.{index}.{field}", []).append(message)

        unknown = sorted(set(data) - set(COMPONENT_FIELDS))
        if unknown:
            refuse("non_field", _("%(row)s: unknown fields: %(fields)s.")
                   % {"row": row, "fields": ", ".join(unknown)})
        kind = data.get("kind") or ""
        basis = data.get("basis") or ""
        modality = data.get("modality") or Modality.CASH
        vulnerability = (data.get("vulnerability") or "").strip()
        if kind not in ComponentKind.values:
            refuse("kind", _("%(row)s: choose the component: reinstallation grant, "
                             "reintegration budget or vulnerability top-up.") % {"row": row})
        if basis not in Basis.values:
            refuse("basis", _("%(row)s: choose what it is paid per: adult, child, person or "
                              "family.") % {"row": row})
        if modality not in Modality.values:
            refuse("modality", _("%(row)s: choose whether it is paid in cash or in kind.")
                   % {"row": row})
        if kind == ComponentKind.TOP_UP:
            if not vulnerability:
                refuse("vulnerability", _("%(row)s: a vulnerability top-up names the "
                                          "vulnerability it is paid for.") % {"row": row})
            elif vulnerability not in Vulnerability.values:
                refuse("vulnerability", _("%(row)s: choose the vulnerability from the coded "
                                          "list.") % {"row": row})
        elif vulnerability:
            refuse("vulnerability", _("%(row)s: only a vulnerability top-up names a "
                                      "vulnerability.") % {"row": row})
        amount = _amount(data.get("amount"))
        if amount is None:
            refuse("amount", _("%(row)s: give the amount.") % {"row": row})
        elif amount < 0:
            refuse("amount", _("%(row)s: the amount cannot be negative.") % {"row": row})
        elif amount >= _MAX_AMOUNT:
            refuse("amount", _("%(row)s: the amount is too large.") % {"row": row})
        elif currency and currency in currencies() and amount != quantize(amount, currency):
            refuse("amount", _("%(row)s: an amount in %(currency)s has at most %(digits)d "
                               "digits after the decimal point.")
                   % {"row": row, "currency": currency, "digits": minor_units(currency)})
        percent = _whole(data.get("before_departure_percent", 0))
        if percent is None or not 0 <= percent <= 100:
            refuse("before_departure_percent", _("%(row)s: the share paid before departure "
                                                 "is a whole percentage from 0 to 100.")
                   % {"row": row})
        months = _whole(data.get("after_arrival_months", 0))
        if months is None or not 0 <= months <= MAX_MONTHS:
            refuse("after_arrival_months", _("%(row)s: the rest is paid a whole number of "
                                             "months after arrival, from 0 to %(max)d.")
                   % {"row": row, "max": MAX_MONTHS})
        key = (kind, basis, vulnerability)
        if key in seen:
            refuse("kind", _("%(row)s repeats component %(first)d: each component, basis "
                             "and vulnerability may appear only once.")
                   % {"row": row, "first": seen[key] + 1})
        else:
            seen[key] = index
        lines.append({"kind": kind, "basis": basis, "vulnerability": vulnerability,
                      "amount": amount, "modality": modality,
                      "before_departure_percent": percent,
                      "after_arrival_months": months})
    return lines


def _amount(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, (bool, float)):
        return None
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None

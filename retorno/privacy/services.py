"""Writing the audit log. Called by every service inside its own transaction."""

from decimal import Decimal
from typing import Any

from django.db import models

from retorno.accounts.models import User
from retorno.privacy.models import AuditEvent, AuditType


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)  # an amount, exactly as stored
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The current values of `fields` on `obj`, ready for an audit event's extra."""
    return {f: _jsonable(getattr(obj, obj._meta.get_field(f).attname)) for f in fields}


def diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in changed}, {k: new[k] for k in changed}


def record(
    event_type: AuditType,
    target: models.Model,
    *,
    actor: User | None,
    office_id: int | None,
    case_id: int | None = None,
    **extra: Any,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        office_id=office_id,
        event_type=event_type,
        target_type=target._meta.model_name,
        target_id=target.pk,
        case_id=case_id,
        extra={k: v for k, v in extra.items() if v is not None},
    )

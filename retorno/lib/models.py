"""Helpers for services that write models."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from retorno.lib.errors import Invalid, StaleVersion


def validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    """Run the model's validators; turn their errors into one `Invalid`."""
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        raise Invalid(*[m for msgs in fields.values() for m in msgs],
                      field_errors=fields) from None


def validate_together(*checks: Callable[[], Any]) -> list[Any]:
    """Run several validations and report all their errors at once, not the first only."""
    results, messages, fields = [], [], {}
    for check in checks:
        try:
            results.append(check())
        except Invalid as exc:
            messages += exc.messages
            for name, errors in exc.field_errors.items():
                fields.setdefault(name, []).extend(errors)
    if messages:
        raise Invalid(*messages, field_errors=fields)
    return results


def refuse_unknown_fields(data: dict[str, Any], allowed: list[str]) -> None:
    """A service takes only the fields it knows: a misspelt or forbidden one (a status set
    by hand, say) is refused, not silently ignored."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise Invalid(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})


def save_versioned(obj: Any, expected_version: int, fields: list[str]) -> None:
    """Write `fields` only if nobody changed the row since `expected_version` was read.

    The check and the write are one UPDATE, so two concurrent saves cannot both pass.
    """
    now = timezone.now()
    values = {f: getattr(obj, obj._meta.get_field(f).attname) for f in fields}
    updated = type(obj).objects.filter(pk=obj.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=now
    )
    if not updated:
        raise StaleVersion(
            _("Someone else changed this record after you opened it. Your changes were not "
              "saved: reload the page to see the current version, then make them again.")
        )
    obj.version = expected_version + 1
    obj.updated_at = now

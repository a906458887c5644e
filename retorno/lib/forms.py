from collections.abc import Callable
from typing import Any

from django import forms

from retorno.lib.errors import ServiceError


def apply_errors(exc: ServiceError, forms_: list[forms.Form]) -> None:
    """Show a service's refusal on the forms: per field where it names one, else on top."""
    placed = False
    for name, errors in exc.field_errors.items():
        for form in forms_:
            if name in form.fields:
                for error in errors:
                    form.add_error(name, error)
                placed = True
                break
    if not placed:
        for message in exc.messages:
            forms_[0].add_error(None, message)


def attempt(forms_: list[forms.Form], action: Callable[[], Any]) -> Any:
    """Run one service call; if it refuses, show why on the forms and return None."""
    try:
        return action()
    except ServiceError as exc:
        apply_errors(exc, forms_)
        return None

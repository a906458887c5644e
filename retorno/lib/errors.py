"""Domain errors raised by services. Views and the API turn them into messages."""

from collections.abc import Sequence


class ServiceError(Exception):
    """Base class: `messages` are translated, specific and safe to show the user."""

    status_code = 400

    def __init__(self, *messages: str, field_errors: dict[str, list[str]] | None = None):
        super().__init__(*messages)
        self.messages: list[str] = list(messages)
        self.field_errors: dict[str, list[str]] = field_errors or {}


class Invalid(ServiceError):
    """The input is wrong; nothing was saved."""


class NotAllowed(ServiceError):
    """The user may see the object but not do this to it."""

    status_code = 403


class StaleVersion(ServiceError):
    """The object changed since the user loaded it; their change was not applied."""

    status_code = 409


class GuardsFailed(ServiceError):
    """A transition's guards are unmet. `messages` lists every unmet guard."""

    status_code = 409

    def __init__(self, unmet: Sequence[str]):
        super().__init__(*unmet)

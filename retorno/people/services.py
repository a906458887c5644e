"""Registering and changing people. The only way these rows are written."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from retorno.accounts import permissions as perms
from retorno.accounts.models import Office, User
from retorno.lib.errors import NotAllowed
from retorno.lib.models import refuse_unknown_fields, save_versioned, validate
from retorno.people.models import IdentityDocument, Person
from retorno.people.policy import can_on_person
from retorno.privacy import services as audit
from retorno.privacy.models import AuditType

# The fields a caseworker enters; everything else on Person is derived or bookkeeping.
PERSON_FIELDS = [
    "given_name", "family_name", "given_name_original", "family_name_original", "aliases",
    "sex", "date_of_birth", "date_of_birth_approximate", "nationality", "languages", "phone",
]
DOCUMENT_FIELDS = ["kind", "number", "issuing_country", "expiry_date"]


def register_person(*, actor: User, office: Office, data: dict[str, Any]) -> Person:
    """Register a migrant in `office`.

    Needs person.create in that office. Writes the person and audit event 101.
    """
    if not perms.can(actor, perms.PERSON_CREATE, office.pk):
        raise NotAllowed(_("You may not register people in %(office)s.") % {"office": office})
    refuse_unknown_fields(data, PERSON_FIELDS)
    person = Person(registered_office=office, created_by=actor, **data)
    validate(person, exclude=["registered_office", "created_by"])
    person.refresh_search_text()
    with transaction.atomic():
        person.save()
        audit.record(AuditType.PERSON_CREATED, person, actor=actor, office_id=office.pk,
                     new=audit.snapshot(person, PERSON_FIELDS))
    return person


def update_person(*, actor: User, person: Person, data: dict[str, Any],
                  version: int) -> Person:
    """Change a person's details, if nobody else did since `version`.

    Needs person.change in an office that reaches the person. Writes audit event 102
    with the old and new values of the fields that changed; no event if nothing did.
    """
    if not can_on_person(actor, perms.PERSON_CHANGE, person):
        raise NotAllowed(_("You may not change this person's details."))
    refuse_unknown_fields(data, PERSON_FIELDS)
    before = audit.snapshot(person, PERSON_FIELDS)
    for name, value in data.items():
        setattr(person, name, value)
    validate(person, exclude=["registered_office", "created_by"])
    old, new = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if not new:
        return person
    person.refresh_search_text()
    with transaction.atomic():
        save_versioned(person, version, [*new, "search_text"])
        audit.record(AuditType.PERSON_CHANGED, person, actor=actor,
                     office_id=person.registered_office_id, old=old, new=new)
        from retorno.reports.facts import refresh_person  # the reports app imports this one

        refresh_person(person.pk)
    return person


def add_identity_document(*, actor: User, person: Person,
                          data: dict[str, Any]) -> IdentityDocument:
    """Record an identity document held by `person`. Audit event 103."""
    if not can_on_person(actor, perms.PERSON_CHANGE, person):
        raise NotAllowed(_("You may not change this person's details."))
    refuse_unknown_fields(data, DOCUMENT_FIELDS)
    document = IdentityDocument(person=person, **data)
    validate(document, exclude=["person"])
    with transaction.atomic():
        document.save()
        audit.record(AuditType.PERSON_DOCUMENT_ADDED, person, actor=actor,
                     office_id=person.registered_office_id,
                     new=audit.snapshot(document, DOCUMENT_FIELDS))
    return document

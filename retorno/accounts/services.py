"""Creating offices, users and role memberships (seed data, set-up commands)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from retorno.accounts.models import Membership, Office, OfficeKind, Role, User
from retorno.lib.errors import Invalid
from retorno.lib.models import validate


def create_office(*, code: str, name: str, country: str, kind: OfficeKind) -> Office:
    office = Office(code=code, name=name, country=country, kind=kind)
    validate(office)
    office.save()
    return office


def create_user(*, username: str, password: str, first_name: str = "", last_name: str = "",
                email: str = "", check_password: bool = True) -> User:
    """Create a staff user. The password must pass the password rules unless
    `check_password` is False (bulk synthetic data only)."""
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise Invalid(*exc.messages, field_errors={"password": exc.messages}) from None
    user.set_password(password)
    user.save()
    return user


def grant_role(*, user: User, office: Office, role: Role) -> Membership:
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(user=user, office=office,
                                                                role=role)
    return membership

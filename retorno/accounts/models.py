from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.lib.codes import validate_country


class OfficeKind(models.TextChoices):
    HOST = "host", _("Host country office")
    TRANSIT = "transit", _("Transit country office")
    ORIGIN = "origin", _("Origin country office")
    REGIONAL = "regional", _("Regional office")
    HEADQUARTERS = "headquarters", _("Headquarters")


class Office(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=3, validators=[validate_country])
    kind = models.CharField(_("kind"), max_length=20, choices=OfficeKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Return counsellor / caseworker")
    SUPERVISOR = "supervisor", _("Supervisor")
    MEDICAL_OFFICER = "medical_officer", _("Medical officer")
    MOVEMENT_OFFICER = "movement_officer", _("Movement officer")
    REINTEGRATION_OFFICER = "reintegration_officer", _("Reintegration officer")
    ME_OFFICER = "me_officer", _("Monitoring and evaluation officer")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager / finance")
    DP_FOCAL_POINT = "dp_focal_point", _("Data protection focal point")
    PARTNER = "partner", _("Partner user")
    STATISTICS_VIEWER = "statistics_viewer", _("Statistics viewer")
    # Designated to receive complaints of sexual exploitation and abuse and of fraud: held
    # as a second membership by a member of staff who has another role.
    COMPLAINTS_FOCAL_POINT = "complaints_focal_point", _(
        "Focal point for complaints of sexual exploitation and abuse or fraud")


class User(AbstractUser):
    """A member of staff (or a partner's staff). Rights come from `Membership` rows."""

    language = models.CharField(_("preferred language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A user holds a role in an office. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="membership_unique")
        ]
        verbose_name = _("role membership")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.office}"

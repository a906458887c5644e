"""Reintegration plans, their assistance items and milestones, and community projects.

A case has one **reintegration plan**, built with the returnee after arrival by the
office of origin: a needs assessment across the three dimensions of sustainable
reintegration (economic, social, psychosocial), the level it works at (individual,
family, community), the **assistance items** chosen with their costs, and milestones.
The items' total may not exceed the case's reintegration ceiling (its reintegration
budget and vulnerability top-ups under the programme's package, `programmes.package`).
Approving the plan awards the reintegration grant its total (`finance.Grant`), which
the items are paid out of. An approved plan is changed only by reopening it (with a
reason) and approving it again.

A **community project** supports a place that receives returnees: its budget, the
returnees (linked cases) and community members taking part, the partner running it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from retorno.accounts.models import Office
from retorno.cases.models import Case
from retorno.lib.codes import validate_country
from retorno.lib.money import validate_currency
from retorno.programmes.models import Programme


class Level(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    COMMUNITY = "community", _("Community")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Rating(models.TextChoices):
    """How pressing the needs of one dimension are, as assessed with the returnee."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ReintegrationPlan(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE,
                                related_name="reintegration_plan", verbose_name=_("case"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices,
                             default=Level.INDIVIDUAL)
    # The needs assessment, done with the returnee.
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    economic_needs = models.CharField(_("economic needs"), max_length=10,
                                      choices=Rating.choices, blank=True)
    economic_notes = models.TextField(_("economic situation"), blank=True)
    social_needs = models.CharField(_("social needs"), max_length=10,
                                    choices=Rating.choices, blank=True)
    social_notes = models.TextField(_("social situation"), blank=True)
    psychosocial_needs = models.CharField(_("psychosocial needs"), max_length=10,
                                          choices=Rating.choices, blank=True)
    psychosocial_notes = models.TextField(_("psychosocial situation"), blank=True)
    returnee_view = models.TextField(
        _("in the returnee's words"), blank=True,
        help_text=_("What the returnee wants from the plan, as they said it."))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True,
                                       editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", editable=False,
                                    verbose_name=_("approved by"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("reintegration plan")

    def __str__(self) -> str:
        return f"plan {self.case_id}"


class ItemKind(models.TextChoices):
    BUSINESS = "business", _("Business set-up")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    JOB_PLACEMENT = "job_placement", _("Job placement")
    HOUSING = "housing", _("Housing")
    MEDICAL = "medical", _("Medical care")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL = "legal", _("Legal help")
    IN_KIND = "in_kind", _("Goods in kind")


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


# The dimension each kind of assistance mainly serves (the plan shows items by dimension).
DIMENSION_OF = {
    ItemKind.BUSINESS: Dimension.ECONOMIC,
    ItemKind.VOCATIONAL_TRAINING: Dimension.ECONOMIC,
    ItemKind.JOB_PLACEMENT: Dimension.ECONOMIC,
    ItemKind.IN_KIND: Dimension.ECONOMIC,
    ItemKind.EDUCATION: Dimension.SOCIAL,
    ItemKind.HOUSING: Dimension.SOCIAL,
    ItemKind.LEGAL: Dimension.SOCIAL,
    ItemKind.MEDICAL: Dimension.PSYCHOSOCIAL,
    ItemKind.PSYCHOSOCIAL: Dimension.PSYCHOSOCIAL,
}


class Delivery(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Under way")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class AssistanceItem(models.Model):
    """One component of the plan: what, for whom, from which provider, at what cost.

    `cost` is what the item commits (programme currency); what has been spent on it is
    the sum of its paid disbursements (`finance.Disbursement.item`)."""

    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE,
                             related_name="items", verbose_name=_("plan"))
    kind = models.CharField(_("assistance"), max_length=30, choices=ItemKind.choices)
    description = models.CharField(_("description"), max_length=300)
    # Person id of the member it is for; empty: the whole family.
    beneficiary_id = models.BigIntegerField(_("for"), null=True, blank=True)
    provider = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="assistance_items",
                                 verbose_name=_("provider"))
    provider_name = models.CharField(
        _("other provider"), max_length=200, blank=True,
        help_text=_("When the provider is not a partner in the directory."))
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=3)
    delivery = models.CharField(_("delivery"), max_length=20, choices=Delivery.choices,
                                default=Delivery.PLANNED)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("assistance item")
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=0),
                                   name="assistance_item_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class Milestone(models.Model):
    plan = models.ForeignKey(ReintegrationPlan, on_delete=models.CASCADE,
                             related_name="milestones", verbose_name=_("plan"))
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["plan", "due_on", "id"]
        verbose_name = _("milestone")

    def __str__(self) -> str:
        return self.title


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class CommunityProject(models.Model):
    office = models.ForeignKey(Office, on_delete=models.PROTECT,
                               related_name="community_projects", verbose_name=_("office"))
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="community_projects",
                                  verbose_name=_("programme"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    country = models.CharField(_("country"), max_length=3, validators=[validate_country])
    subdivision = models.CharField(_("region"), max_length=10, blank=True)
    place = models.CharField(_("place"), max_length=200)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="community_projects",
                                verbose_name=_("partner"))
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices,
                              default=ProjectStatus.PLANNED)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    returnees_taking_part = models.PositiveIntegerField(_("returnees taking part"),
                                                        default=0)
    community_members_taking_part = models.PositiveIntegerField(
        _("community members taking part"), default=0)
    cases = models.ManyToManyField(Case, blank=True, related_name="community_projects",
                                   verbose_name=_("returnees' cases"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("community project")

    def __str__(self) -> str:
        return self.name

"""Feedback and complaints in the API. Input serializers validate only; the views hand
`validated_data` to feedback.services."""

from django.conf import settings
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from retorno.feedback.models import Category, Channel, Feedback, Kind, Status
from retorno.lib.api_serializers import EnumField, StrictFieldsMixin

_VERSION_HELP = gettext_lazy("The version you read; refused with 409 if it is no longer the "
                             "current one.")


def _channel() -> EnumField:
    return EnumField(Channel, name="FeedbackChannel")


def _kind() -> EnumField:
    return EnumField(Kind, name="FeedbackKind")


def _category() -> EnumField:
    return EnumField(Category, name="FeedbackCategory", help_text=gettext_lazy(
        "`sea` (sexual exploitation and abuse) and `fraud` make the item sensitive: only "
        "the office's complaints focal points read it."))


class FeedbackItemSerializer(serializers.ModelSerializer):
    office = serializers.SlugRelatedField(slug_field="code", read_only=True)
    channel = _channel()
    kind = _kind()
    category = _category()
    status = EnumField(Status, name="FeedbackStatus")
    case = serializers.SerializerMethodField(help_text=gettext_lazy(
        "The linked case's reference, if you may see the case; otherwise null."))
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    concerns = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True,
                                            help_text=gettext_lazy(
                                                "The members of staff it is about."))
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Feedback
        fields = ["reference", "office", "channel", "kind", "category", "sensitive", "case",
                  "anonymous", "name", "contact", "language", "description", "received_at",
                  "status", "assignee", "due_on", "overdue", "response", "answered_at",
                  "closed_at", "concerns", "version", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case(self, item: Feedback) -> str | None:
        visible = self.context.get("visible_case_ids") or set()
        return item.case.reference if item.case_id in visible else None


class FeedbackReceiptSerializer(serializers.Serializer):
    """What the recorder gets back: the reference for the person, and no more (they may
    not be allowed to read the item)."""

    reference = serializers.CharField()
    status = EnumField(Status, name="FeedbackStatus")
    readable = serializers.BooleanField(help_text=gettext_lazy(
        "Whether you may read the item at /api/v1/feedback/<reference>/."))


class FeedbackCreateSerializer(StrictFieldsMixin, serializers.Serializer):
    office = serializers.SlugField(help_text=gettext_lazy(
        "The receiving office's code: one where you may record feedback."))
    channel = serializers.ChoiceField(choices=[c for c in Channel.choices
                                               if c[0] != Channel.WEB])
    kind = _kind()
    category = _category()
    description = serializers.CharField()
    anonymous = serializers.BooleanField(required=False, default=False)
    name = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=200)
    contact = serializers.CharField(required=False, allow_blank=True, default="",
                                    max_length=200)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False,
                                       allow_blank=True, default="")
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    case = serializers.CharField(required=False, allow_blank=True, default="",
                                 help_text=gettext_lazy("A case reference you may see."))
    concerns = serializers.ListField(child=serializers.CharField(), required=False,
                                     default=list, help_text=gettext_lazy(
                                         "Usernames of the members of staff it is about."))


class FeedbackVersionSerializer(StrictFieldsMixin, serializers.Serializer):
    version = serializers.IntegerField(help_text=_VERSION_HELP)


class FeedbackCategoriseSerializer(FeedbackVersionSerializer):
    kind = _kind()
    category = _category()
    add_concerns = serializers.ListField(child=serializers.CharField(), required=False,
                                         default=list)
    remove_concerns = serializers.ListField(
        child=serializers.CharField(), required=False, default=list,
        help_text=gettext_lazy("Complaints focal points only."))


class FeedbackAssignSerializer(FeedbackVersionSerializer):
    assignee = serializers.CharField(help_text=gettext_lazy("A username."))


class FeedbackAnswerSerializer(FeedbackVersionSerializer):
    response = serializers.CharField()

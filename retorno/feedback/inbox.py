"""Filtering the feedback a user may read, for the inbox page and the API list."""

from django.db.models import QuerySet
from django.utils import timezone

from retorno.feedback.models import OPEN_STATUSES, Category, Feedback, Status


def filter_items(items: QuerySet[Feedback], *, status: str = "", category: str = "",
                 overdue: bool = False) -> QuerySet[Feedback]:
    """`items` (already `visible_feedback`) with the given status and category, and only
    the open ones past their deadline when `overdue`. Unknown values match nothing."""
    if status:
        items = items.filter(status=status) if status in Status.values else items.none()
    if category:
        items = (items.filter(category=category) if category in Category.values
                 else items.none())
    if overdue:
        items = items.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    return items.select_related("office", "assignee").order_by("due_on", "-received_at",
                                                               "-id")

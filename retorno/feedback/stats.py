"""Figures about feedback for the M&E dashboard.

`by_category(user, since=None)` counts the items `user` may read
(`policy.visible_feedback`): sensitive ones only for the focal points of their office,
never those that concern the user. The dashboard therefore never shows a count that
reveals a sensitive complaint to someone who may not read it.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q

from retorno.accounts.models import User
from retorno.feedback.models import OPEN_STATUSES, Category
from retorno.feedback.policy import visible_feedback


@dataclass(frozen=True)
class CategoryFigures:
    category: str  # a `Category` value
    label: str  # its name in the active language
    count: int  # items received (since `since`)
    open: int  # received or in progress
    answered: int  # with an answer recorded (answered or closed after answering)
    median_days_to_answer: float | None  # None when none was answered


def by_category(user: User | AnonymousUser,
                since: datetime.datetime | None = None) -> list[CategoryFigures]:
    """One row per category with at least one item `user` may read, in the order of
    `Category`; `since` keeps the items received from then on. Two queries."""
    items = visible_feedback(user)
    if since is not None:
        items = items.filter(received_at__gte=since)
    counts = {row["category"]: row for row in items.values("category").annotate(
        n=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )}
    days: dict[str, list[float]] = {}
    for category, received, answered in (items.filter(answered_at__isnull=False)
                                         .values_list("category", "received_at",
                                                      "answered_at")):
        days.setdefault(category, []).append((answered - received).total_seconds() / 86400)
    return [
        CategoryFigures(
            category=category.value, label=str(category.label), count=counts[category]["n"],
            open=counts[category]["open"], answered=len(days.get(category, [])),
            median_days_to_answer=(round(statistics.median(days[category]), 1)
                                   if days.get(category) else None))
        for category in Category if category.value in counts
    ]

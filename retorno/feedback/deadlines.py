"""How long the organisation gives itself to answer feedback: the only place these are set.

The deadline (`Feedback.due_on`) counts calendar days from the day the item was received
(in the server's time zone):

- a sensitive complaint (sexual exploitation and abuse, fraud or corruption): 2 days to
  the focal point's first action, whatever its kind — the person may be at risk;
- any other complaint: 14 days;
- a question: 7 days;
- feedback, suggestions and compliments: 30 days.

Changing the category or the kind recomputes the deadline from the day received.
"""

import datetime

from django.utils import timezone

from retorno.feedback.models import Kind, is_sensitive

SENSITIVE_DAYS = 2
DAYS_BY_KIND = {
    Kind.COMPLAINT: 14,
    Kind.QUESTION: 7,
    Kind.FEEDBACK: 30,
    Kind.COMPLIMENT: 30,
}


def days_for(kind: str, category: str) -> int:
    if is_sensitive(category):
        return SENSITIVE_DAYS
    return DAYS_BY_KIND[Kind(kind)]


def due_on(kind: str, category: str, received_at: datetime.datetime) -> datetime.date:
    received = timezone.localdate(received_at)
    return received + datetime.timedelta(days=days_for(kind, category))

"""Who reads and handles which feedback: the one place these rules are decided.

- **Recording** (`feedback.record`, every member of staff): anyone who receives feedback in
  person or on the phone records it for an office where they hold the right. Recording
  shows them a receipt with the reference, not the item, unless the rules below let them
  read it.
- **Reading and handling** are the same right: whoever may read an item may categorise,
  assign, answer, close and reopen it (`visible_feedback`):
  - the items that are *not* sensitive, of the offices where the user holds
    `feedback.handle` (the M&E officers and supervisors);
  - the *sensitive* items (sexual exploitation and abuse, fraud or corruption), of the
    offices where the user holds `feedback.sensitive` (the designated complaints focal
    points) — and nobody else: not the office's supervisors, not the recorder;
  - **minus every item whose `concerns` include the user**, whoever they are: a focal
    point, a supervisor, even the item's assignee. An item that concerns them is not
    there for them at all (404 on the page and in the API, absent from lists and counts).
- **Reclassifying**: anyone handling an item may move it to a sensitive category, which
  hands it to the focal points and hides it from them at once; only a focal point of the
  office may move a sensitive item to a category that is not.
- **Assigning**: to a handler of the office (for a sensitive item, a focal point of the
  office), never to someone the item concerns.
- **Concerns**: handlers may add staff the item concerns; only a focal point may remove
  one (which makes the item visible to that person again if they handle the office).

Everyone else — partners, statistics viewers, anyone signed out — reads nothing here
except the public form and the status of a reference (status only, no content).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from retorno.accounts import permissions as perms
from retorno.accounts.models import Membership, Office, Role, User
from retorno.feedback.models import Feedback


def handle_offices(user: User | AnonymousUser) -> set[int]:
    return perms.office_ids(user, perms.FEEDBACK_HANDLE)


def sensitive_offices(user: User | AnonymousUser) -> set[int]:
    return perms.office_ids(user, perms.FEEDBACK_SENSITIVE)


def recording_offices(user: User | AnonymousUser) -> QuerySet[Office]:
    return Office.objects.filter(pk__in=perms.office_ids(user, perms.FEEDBACK_RECORD))


def may_record(user: User | AnonymousUser) -> bool:
    return bool(perms.office_ids(user, perms.FEEDBACK_RECORD))


def may_use_inbox(user: User | AnonymousUser) -> bool:
    """Reads some office's feedback: a handler or a focal point somewhere."""
    return bool(handle_offices(user) | sensitive_offices(user))


def visible_feedback(user: User | AnonymousUser) -> QuerySet[Feedback]:
    """The items `user` may read and handle (see the module's rules). Default: none."""
    handle, sensitive = handle_offices(user), sensitive_offices(user)
    if not handle and not sensitive:
        return Feedback.objects.none()
    rule = (Q(sensitive=False, office_id__in=handle)
            | Q(sensitive=True, office_id__in=sensitive))
    return Feedback.objects.filter(rule).exclude(concerns=user)


def access_feedback(user: User | AnonymousUser, reference: str) -> Feedback:
    """The item with this reference if `user` may read it; 404 otherwise, whatever the
    reason (missing, another office, sensitive, about them)."""
    item = (visible_feedback(user).select_related("office", "assignee", "case")
            .filter(reference=reference).first())
    if item is None:
        raise Http404
    return item


def may_handle(user: User | AnonymousUser, item: Feedback) -> bool:
    """The same rule as `visible_feedback`, for one loaded item."""
    offices = sensitive_offices(user) if item.sensitive else handle_offices(user)
    if item.office_id not in offices:
        return False
    return not item.concerns.filter(pk=user.pk).exists()


def is_focal_point(user: User | AnonymousUser, office_id: int) -> bool:
    return office_id in sensitive_offices(user)


def may_make_not_sensitive(user: User | AnonymousUser, item: Feedback) -> bool:
    return is_focal_point(user, item.office_id)


def may_remove_concerns(user: User | AnonymousUser, item: Feedback) -> bool:
    return is_focal_point(user, item.office_id)


def _holders(office_id: int, action: str) -> QuerySet[User]:
    roles = [role for role, actions in perms.PERMISSIONS.items() if action in actions]
    user_ids = Membership.objects.filter(office_id=office_id, role__in=roles).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True)


def assignable_users(item: Feedback, *, sensitive: bool | None = None) -> QuerySet[User]:
    """Who may be given the item: the office's handlers (its focal points for a sensitive
    item), never someone it concerns."""
    sensitive = item.sensitive if sensitive is None else sensitive
    action = perms.FEEDBACK_SENSITIVE if sensitive else perms.FEEDBACK_HANDLE
    users = _holders(item.office_id, action)
    if item.pk:
        users = users.exclude(pk__in=item.concerns.values("pk"))
    return users.order_by("last_name", "first_name", "username")


def staff_users() -> QuerySet[User]:
    """The members of staff a complaint may concern (not partner users, not statistics
    viewers)."""
    staff_ids = (Membership.objects.exclude(role__in=[Role.PARTNER, Role.STATISTICS_VIEWER])
                 .values("user_id"))
    return (User.objects.filter(pk__in=staff_ids, is_active=True)
            .order_by("last_name", "first_name", "username"))

"""The task endpoints of the REST API (v1).

The list holds the caller's own tasks and their queues' (tasks.policy.tasks_for); a
single task is loaded through tasks.policy.access_task (404 unless the caller may see
its case). Writes are refused (403) to whoever neither holds nor manages the task
before the body is read; they go through tasks.services. Service errors become
400/403/409 in retorno.lib.api.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from retorno.lib.api_serializers import INVALID as _INVALID
from retorno.lib.api_serializers import NotFoundSerializer, ServiceErrorSerializer
from retorno.tasks import policy, services
from retorno.tasks.models import Task, TaskStatus
from retorno.tasks.rows import RELATED, in_order, narrow, rows
from retorno.tasks.serializers import (
    CompleteInputSerializer,
    ReassignInputSerializer,
    TaskFilterSerializer,
    TaskSerializer,
)

_NOT_FOUND = OpenApiResponse(NotFoundSerializer, description=gettext_lazy(
    "No such task, or not one of a case you may see."))
_REFUSED = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Only the task's assignee, someone on its queue while nobody has taken it, or a "
    "supervisor of its office may do this."))
_STALE = OpenApiResponse(ServiceErrorSerializer, description=gettext_lazy(
    "Someone else changed the task since `version`; nothing was saved."))


def _actable(request: Request, task_id: int) -> Task:
    task = policy.access_task(request.user, task_id)
    services.require_holder(request.user, task)
    return task


def _one(request: Request, task_id: int) -> Response:
    # Read again through the policy after a write, so the answer is what is stored.
    task = policy.access_task(request.user, task_id)
    return Response(TaskSerializer(rows([task], request.user)[0]).data)


@extend_schema(tags=["tasks"])
class TaskList(GenericAPIView):
    serializer_class = TaskSerializer

    @extend_schema(operation_id="tasks_list", parameters=[TaskFilterSerializer],
                   responses={200: TaskSerializer(many=True), 400: _INVALID})
    def get(self, request: Request) -> Response:
        """Your tasks: assigned to you, or untaken on a queue (an office and a role)
        where you hold the role, on cases you may see. Open ones soonest due first,
        closed ones (due in the last 90 days) most recently closed first."""
        filters = TaskFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        status = data.get("status", TaskStatus.OPEN)
        tasks = narrow(policy.tasks_for(request.user, scope=data.get("scope", ""),
                                        status=status, closed_since=policy.closed_since()),
                       kind=data.get("kind", ""), due=data.get("due", ""))
        if data.get("case"):
            tasks = tasks.filter(case__reference=data["case"])
        offset, size = self.paginator.bounds(request)
        found = list(in_order(tasks, status).select_related(*RELATED)[offset:offset + size + 1])
        data = TaskSerializer(rows(found[:size], request.user), many=True).data
        return self.paginator.respond(data, len(found) > size)


@extend_schema(tags=["tasks"])
class TaskComplete(GenericAPIView):
    serializer_class = TaskSerializer

    @extend_schema(operation_id="tasks_complete", request=CompleteInputSerializer,
                   responses={200: TaskSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, task_id: int) -> Response:
        """Mark the task done, with an optional note. A task that closes by itself when
        its step is taken (start counselling, decide on the application, fitness to
        travel) is refused while the step is still to be taken. Audit event "task
        completed" and a timeline entry."""
        task = _actable(request, task_id)
        data = CompleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.complete_task(actor=request.user, task=task, **data.validated_data)
        return _one(request, task_id)


@extend_schema(tags=["tasks"])
class TaskReassign(GenericAPIView):
    serializer_class = TaskSerializer

    @extend_schema(operation_id="tasks_reassign", request=ReassignInputSerializer,
                   responses={200: TaskSerializer, 400: _INVALID, 403: _REFUSED,
                              404: _NOT_FOUND, 409: _STALE})
    def post(self, request: Request, task_id: int) -> Response:
        """Give the task to someone of its office (`assignee`), or back to its queue
        (null). Audit event "task reassigned" and a timeline entry."""
        task = _actable(request, task_id)
        data = ReassignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reassign_task(actor=request.user, task=task, **data.validated_data)
        return _one(request, task_id)

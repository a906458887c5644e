"""The case's open tasks on the case page (registered in TasksConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from retorno.cases.models import Case
from retorno.tasks import policy
from retorno.tasks.rows import rows


def case_section(request: HttpRequest, case: Case) -> dict[str, Any] | None:
    # The case page has loaded `case` through access_case: whoever sees the case sees
    # its tasks (a screening proposal's flag only with case.view_protection).
    tasks = list(policy.tasks_of(case))
    for task in tasks:
        task.case = case
    return {"rows": rows(tasks, request.user)}

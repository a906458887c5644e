"""Cases at the steps that put work on queues, built through the real services."""

from retorno.cases.models import Case
from retorno.cases.services import transition_case
from retorno.tasks.models import Task, TaskStatus
from retorno.testing.personas import World, open_case, prepare_application


def applied_case(world: World, **case) -> Case:
    """A Berlin case (carla's) whose application waits for a supervisor's decision."""
    case = open_case(world, **case)
    transition_case(case, "counselling", actor=world.carla)
    prepare_application(world, case)
    transition_case(case, "applied", actor=world.carla)
    return case


def approved_case(world: World) -> Case:
    """An approved Berlin case whose members are not yet assessed fit to travel."""
    case = applied_case(world)
    transition_case(case, "approved", actor=world.sam)
    return case


def open_tasks(case: Case, kind: str | None = None) -> list[Task]:
    tasks = Task.objects.filter(case=case, status=TaskStatus.OPEN).order_by("id")
    return list(tasks.filter(kind=kind) if kind else tasks)


def the_task(case: Case, kind: str) -> Task:
    """The one open task of `kind` on `case` (fails if there are none or several)."""
    return Task.objects.select_related("case").get(case=case, kind=kind,
                                                   status=TaskStatus.OPEN)


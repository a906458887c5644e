import pytest
from django.core.management import CommandError, call_command

from retorno.finance import policy
from retorno.finance.models import ExchangeRate
from retorno.finance.tests import builders
from retorno.finance.tests.builders import request
from retorno.privacy.models import AuditEvent, AuditType
from retorno.tasks.labels import label
from retorno.tasks.models import Task, TaskKind
from retorno.testing.personas import PERSONAS

pytestmark = pytest.mark.django_db

EVERYONE = [name for name, _role, _office in PERSONAS]


def _who(world, case, check) -> set[str]:
    return {name for name in EVERYONE if check(world.users[name], case)}


def test_it_lets_the_host_office_pay_before_departure_and_the_origin_after_handover(world):
    programme = builders.packaged_programme(world)
    case = builders.approved_case(world, programme)
    assert _who(world, case, policy.may_disburse) == {"sam", "max"}
    assert _who(world, case, policy.may_award) == {"sam", "max"}
    builders_case = builders.handed_over(world, programme)
    assert _who(world, builders_case, policy.may_disburse) == {"sam", "max", "rita"}
    assert _who(world, builders_case, policy.may_award) == {"sam", "max", "rita"}


def test_it_leaves_paying_to_the_origin_office_once_departed(world):
    case = builders.departed(world, builders.packaged_programme(world))
    assert _who(world, case, policy.may_disburse) == {"rita"}
    assert _who(world, case, policy.may_award) == {"rita"}
    # Approving: the case's supervisors and any programme manager.
    assert _who(world, case, policy.may_approve) == {"sam", "pia"}
    assert _who(world, case, policy.can_read_receipt) == {"rita", "sam", "pia", "dana"}


def test_it_lets_finance_and_payers_read_rates_and_finance_alone_manage(world):
    readers = {name for name in EVERYONE if policy.can_view_rates(world.users[name])}
    assert readers == {"sam", "max", "rita", "pia", "vera", "tariq"}
    assert {name for name in EVERYONE if policy.can_manage_rates(world.users[name])} == \
        {"pia"}


def test_it_names_the_grant_on_the_disbursement_tasks(world):
    case = builders.handed_over(world, builders.packaged_programme(world, threshold=None))
    grant = builders.awarded(world, case, actor=world.max)
    request(grant, world.max, "100")
    task = Task.objects.get(kind=TaskKind.APPROVE_DISBURSEMENT)
    assert label(task, protected=False) == \
        "Approve or reject a payment from the reinstallation grant"


def test_it_imports_rates_from_the_command(world, tmp_path, capsys):
    path = tmp_path / "rates.csv"
    path.write_text("month,base,currency,rate\n2026-11,EUR,IQD,1432.5\n", encoding="utf-8")
    call_command("import_exchange_rates", str(path), "--user", "pia")
    assert "1 new, 0 changed, 0 unchanged" in capsys.readouterr().out
    assert ExchangeRate.objects.get().imported_by == world.pia
    assert AuditEvent.objects.filter(event_type=AuditType.EXCHANGE_RATES_IMPORTED,
                                     actor=world.pia).exists()
    with pytest.raises(CommandError, match="Only finance"):
        call_command("import_exchange_rates", str(path), "--user", "sam")
    path.write_text("month,base,currency,rate\n2026-11,EUR,IQD,zero\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Line 2"):
        call_command("import_exchange_rates", str(path), "--user", "pia")

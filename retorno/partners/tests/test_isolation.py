"""A partner user reaches their own organisation's referrals and nothing else: not another
organisation's referral, not the referred case, its people, documents or tasks."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from retorno.partners.tests.builders import referred, second_partner
from retorno.reception.tests.builders import handed_over
from retorno.tasks.models import Task
from retorno.testing.personas import refer

pytestmark = pytest.mark.django_db

PARTNER_PAGES = ["/partner/referrals/{id}/", "/partner/referrals/{id}/accept/",
                 "/partner/referrals/{id}/decline/", "/partner/referrals/{id}/service/",
                 "/partner/referrals/{id}/close/"]
PARTNER_API = ["/api/v1/partner/referrals/{id}/", "/api/v1/partner/referrals/{id}/accept/",
               "/api/v1/partner/referrals/{id}/decline/",
               "/api/v1/partner/referrals/{id}/service/",
               "/api/v1/partner/referrals/{id}/close/"]


def _walk(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(entry.pattern))
    return found


def _case_urls(case, person_id: int, task_ids: list[int]) -> list[str]:
    """Every URL naming the case, one of its people or one of its tasks, its other ids
    filled with 1 (the case already decides the answer)."""
    urls = []
    for pattern in _walk(get_resolver()):
        if not any(p in pattern for p in ("<str:reference>", "<int:person_id>",
                                          "<int:task_id>")):
            continue
        url = "/" + pattern.replace("^", "").replace("$", "")
        url = url.replace("<str:reference>", case.reference)
        url = url.replace("<int:person_id>", str(person_id))
        for task_id in task_ids[:1] or [1]:
            filled = url.replace("<int:task_id>", str(task_id))
            while "<" in filled:
                start = filled.index("<")
                filled = filled[:start] + "1" + filled[filled.index(">", start) + 1:]
            urls.append(filled)
    return sorted(set(urls))


def test_it_keeps_each_partner_to_its_own_referrals(world, client):
    other, pete = second_partner(world)
    mine = referred(world)
    theirs = referred(world, partner=other, service="legal")
    for user, foreign in ((world.paul, theirs), (pete, mine)):
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        for caller, urls in ((client, PARTNER_PAGES), (api, PARTNER_API)):
            for url in urls:
                url = url.format(id=foreign.pk)
                answers = {caller.get(url).status_code,
                           caller.post(url, {"version": 1}).status_code}
                assert 404 in answers and answers <= {404, 405}, (url, answers)
        listed = client.get("/partner/").content.decode()
        assert f"/partner/referrals/{foreign.pk}/" not in listed
        ids = [r["id"] for r in api.get("/api/v1/partner/referrals/").json()["results"]]
        assert foreign.pk not in ids and len(ids) == 1
    foreign_statuses = {mine.__class__.objects.get(pk=r.pk).status for r in (mine, theirs)}
    assert foreign_statuses == {"sent"}


def test_it_keeps_partner_users_away_from_the_referred_case(world, client):
    case = handed_over(world)
    referral = refer(world, case)
    _other, pete = second_partner(world)
    person_id = case.principal.person_id
    tasks = list(Task.objects.filter(case=case).values_list("id", flat=True))
    urls = _case_urls(case, person_id, tasks)
    assert len(urls) > 40
    for user in (world.paul, pete):
        client.force_login(user)
        api = APIClient()
        api.force_authenticate(user)
        for url in urls:
            caller = api if url.startswith("/api/") else client
            answers = {getattr(caller, method)(url, {}).status_code
                       for method in ("get", "post", "patch", "put", "delete")}
            assert answers <= {403, 404, 405}, (url, answers)
            assert 404 in answers or 403 in answers, (url, answers)
        for url in ("/cases/", "/people/", "/tasks/", "/api/v1/cases/", "/api/v1/people/",
                    "/partners/", "/api/v1/partners/", f"/partners/{referral.partner_id}/",
                    f"/api/v1/partners/{referral.partner_id}/"):
            caller = api if url.startswith("/api/") else client
            status = caller.get(url).status_code
            assert status in (403, 404) or (
                status == 200 and case.reference not in caller.get(url).content.decode()
            ), (url, status)
    # The partner's own referral carries no case reference and no date of birth.
    client.force_login(world.paul)
    body = client.get(f"/partner/referrals/{referral.pk}/").content.decode()
    assert case.reference not in body and "1990" not in body

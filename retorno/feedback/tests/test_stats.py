import datetime

import pytest
from django.utils import timezone

from retorno.feedback import services, stats
from retorno.feedback.tests.builders import public, recorded, sensitive

pytestmark = pytest.mark.django_db


def test_counts_and_median_days_per_category(world):
    now = timezone.now()
    for days in (1, 3, 10):
        item = recorded(world, received_at=now - datetime.timedelta(days=days))
        services.answer(actor=world.sam, item=item, version=item.version, response="Done.")
    recorded(world)
    public(world)
    sensitive(world)
    rows = {r.category: r for r in stats.by_category(world.sam)}
    assert set(rows) == {"delays", "information"}  # no sensitive count for sam
    delays = rows["delays"]
    assert (delays.count, delays.open, delays.answered) == (4, 1, 3)
    assert delays.median_days_to_answer == pytest.approx(3.0, abs=0.1)
    assert rows["information"].median_days_to_answer is None
    assert str(delays.label) == "Delays"
    focal = {r.category: r.count for r in stats.by_category(world.dana)}
    assert focal == {"sea": 1}


def test_since_keeps_the_recent_items(world):
    recorded(world, received_at=timezone.now() - datetime.timedelta(days=40))
    recorded(world)
    since = timezone.now() - datetime.timedelta(days=30)
    assert [r.count for r in stats.by_category(world.sam, since=since)] == [1]
    assert stats.by_category(world.stella) == []

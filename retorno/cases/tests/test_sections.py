import pytest

from retorno.cases import sections
from retorno.testing.personas import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(tmp_path, settings):
    (tmp_path / "probe.html").write_text("<p>Probe for {{ section.who }}</p>")
    engine = settings.TEMPLATES[0]
    # A new list, so the settings fixture sees the change and resets the template cache.
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    probe = sections.Section(
        template="probe.html", order=99,
        context=lambda request, case: ({"who": request.user.username}
                                       if request.user.username == "carla" else None))
    sections.register(probe)
    yield probe
    sections._SECTIONS.remove(probe)


def test_it_shows_a_registered_section_to_those_it_allows(world, client, section):
    case = open_case(world)
    client.force_login(world.carla)
    assert "Probe for carla" in client.get(f"/cases/{case.reference}/").content.decode()
    client.force_login(world.sam)
    assert "Probe for" not in client.get(f"/cases/{case.reference}/").content.decode()

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

V1_PATHS = {
    "/api/v1/auth/token/", "/api/v1/people/", "/api/v1/people/{person_id}/",
    "/api/v1/people/{person_id}/documents/", "/api/v1/cases/", "/api/v1/cases/{reference}/",
    "/api/v1/cases/{reference}/members/", "/api/v1/cases/{reference}/members/{person_id}/",
    "/api/v1/cases/{reference}/transitions/",
}


def _signed_in(world) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.carla)
    return client


class TestApiSchema:
    def test_it_serves_the_openapi_schema_to_signed_in_users_only(self, world):
        assert APIClient().get(reverse("api:schema")).status_code == 401
        response = _signed_in(world).get(reverse("api:schema"))
        assert response.status_code == 200
        schema = yaml.safe_load(response.content)
        assert schema["openapi"].startswith("3.")
        assert V1_PATHS <= set(schema["paths"])
        case = schema["components"]["schemas"]["Case"]
        assert "vulnerabilities" not in case.get("required", [])

    def test_it_generates_the_schema_without_warnings(self, tmp_path):
        # Fails on any serializer or view the schema generator cannot fully describe.
        call_command("spectacular", "--validate", "--fail-on-warn",
                     "--file", str(tmp_path / "schema.yaml"))

    def test_it_serves_the_docs_from_its_own_static_files(self, world):
        response = _signed_in(world).get(reverse("api:docs"))
        assert response.status_code == 200
        html = response.content.decode()
        assert re.findall(r"(?:https?:)?//[\w.-]+", html) == []
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert len(assets) == 4  # favicon, css, bundle, preset
        for asset in assets:
            assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
            assert finders.find(asset.removeprefix("/static/")), asset
        assert '"validatorUrl": null' in html
        assert f'url: "{reverse("api:schema")}"' in html.replace("\\u002D", "-")

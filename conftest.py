import pytest
from django.test import override_settings

from retorno.testing.personas import World, build_world


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Argon2 is deliberately slow; tests don't need that.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _reports_inline():
    # Bulletins and reports are built during the request that asks for them, so a test
    # reads the result at once (and no thread outlives its test's transaction).
    with override_settings(RETORNO_REPORTS_BACKGROUND=False):
        yield


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    # Uploaded files (signed declarations) go to a throwaway directory per test process
    # (per xdist worker), never to var/media.
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture
def world(db) -> World:
    return build_world()

import pytest


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    # Each test its own folder for scans: case references repeat from test to test (each
    # test's database is rolled back), and the tests count the files a case left behind.
    settings.MEDIA_ROOT = str(tmp_path / "media")

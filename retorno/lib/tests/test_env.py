import pytest
from django.core.exceptions import ImproperlyConfigured

from retorno.lib.env import envbool, envint, envlist, envsecret


def test_it_refuses_anything_but_true_or_false(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be True or False"):
        envbool("X_FLAG", False)
    monkeypatch.setenv("X_FLAG", "True")
    assert envbool("X_FLAG", False) is True
    assert envbool("X_UNSET", True) is True


def test_it_reads_integers_and_lists(monkeypatch):
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.org, b.org,")
    assert envint("X_INT", 1) == 12
    assert envlist("X_LIST", []) == ["a.org", "b.org"]
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be an integer"):
        envint("X_INT", 1)


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "secret").write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "secret"))
    assert envsecret("X_SECRET") == "s3cret"

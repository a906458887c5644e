"""Production settings pass Django's deployment checks, every warning included."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


# Set in this process by the browser tests (tests/e2e/conftest.py); never in production.
TEST_ONLY = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def _check(**env: str) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    production = {**inherited, "RETORNO_DEBUG": "False",
                  "RETORNO_SECRET_KEY": secrets.token_urlsafe(60),
                  "RETORNO_ALLOWED_HOSTS": "retorno.example.org", **env}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production, capture_output=True, text=True, timeout=120, check=False)


def test_production_settings_pass_the_deployment_checks():
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_checks_would_catch_plain_http():
    # The control: turning the HTTPS redirect off fails the same command.
    result = _check(RETORNO_SSL_REDIRECT="False")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr

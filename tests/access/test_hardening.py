"""Production settings, login throttling, content security policy, sessions, passwords."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import staff


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        WRAPAROUND_ENV="production",
        WRAPAROUND_SECRET_KEY="k" * 20 + "-production-test-secret-0123456789abcdefghij",
        WRAPAROUND_ALLOWED_HOSTS="wraparound.example.nhs.uk",
        WRAPAROUND_DATA_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-m", "wraparound.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WRAPAROUND_SECRET_KEY"}
    }
    env.update(WRAPAROUND_ENV="production", WRAPAROUND_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "wraparound.cli", "check"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "WRAPAROUND_SECRET_KEY" in result.stderr


def test_repeated_failed_sign_ins_lock_the_account(client, place):
    url = reverse("login")
    for _ in range(settings.WRAPAROUND_ACCOUNT_FAILURE_LIMIT):
        client.post(url, {"username": "nurse", "password": "wrong-password"})
    response = client.post(url, {"username": "nurse", "password": "correct-horse-battery-staple"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_correct_password_signs_in(client, place):
    response = client.post(
        reverse("login"), {"username": "nurse", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_pages_carry_a_strict_content_security_policy(client, place):
    client.force_login(place.users["nurse"])
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_every_response_carries_a_request_id(client, db):
    assert len(client.get(reverse("login"))["X-Request-ID"]) == 32


@pytest.mark.parametrize("weak", ["password", "12345678901234", "short"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_sessions_expire(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


def test_pages_need_sign_in(client, db):
    response = client.get(reverse("caseload:people"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_each_role_sees_its_own_home_page(client, place):
    client.force_login(place.users["privacy"])
    page = client.get(reverse("home")).content.decode()
    assert "Break-glass reviews" in page and "Find a person" not in page
    client.force_login(place.users["nurse"])
    page = client.get(reverse("home")).content.decode()
    assert "Find a person" in page and "Break-glass reviews" not in page
    assert "Testford Community Trust" in page and "Clinician" in page
    staff("admin1", place.trust, "administrator")

"""Bad configuration stops the process at start with one clear line, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "livc.settings.prod",
    "SECRET_KEY": "a-production-like-secret-key-that-is-long-enough-0123456789-abcdef",
    "LIVC_ENCRYPTION_KEYS": "1:dGVzdC1rZXktdmVyc2lvbi1vbmUtMzItYnl0ZXMtISE=",
    "ALLOWED_HOSTS": "livc.example.be",
    "LIVC_IDENTITY_HASH_KEY": "a-production-like-identity-hash-key-0123456789",
    "LIVC_BASE_URL": "https://livc.example.be",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    clean.setdefault("DJANGO_SETTINGS_MODULE", "livc.settings.test")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "mysql://db/livc", "DATABASE_URL must be a postgres:// or sqlite:/// URL"),
        ("AXES_FAILURE_LIMIT", "five", "AXES_FAILURE_LIMIT must be a whole number"),
        ("LIVC_IDLE_TIMEOUT_MINUTES", "0", "LIVC_IDLE_TIMEOUT_MINUTES must be at least 1"),
        ("LIVC_TRUSTED_PROXY_COUNT", "-1", "LIVC_TRUSTED_PROXY_COUNT must be at least 0"),
        ("DEBUG", "maybe", "DEBUG must be true or false"),
        ("EMAIL_URL", "pigeon://loft", "EMAIL_URL must use one of"),
    ],
)
def test_a_malformed_setting_names_itself_without_a_traceback(variable, value, message):
    result = manage("check", **{variable: value})
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PROD_ENV, "SECRET_KEY": ""}
    result = manage("check", **env)
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    result = manage("check", **{**PROD_ENV, "LIVC_ENCRYPTION_KEYS": ""})
    assert "LIVC_ENCRYPTION_KEYS must be set" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [("LIVC_IDENTITY_HASH_KEY", ""), ("LIVC_IDENTITY_HASH_KEY", "short"), ("LIVC_BASE_URL", ""),
     ("LIVC_BASE_URL", "http://127.0.0.1:8000")],
)  # fmt: skip
def test_production_refuses_to_start_without_its_identity_hash_key_and_base_url(variable, value):
    result = manage("check", **{**PROD_ENV, variable: value})
    assert result.returncode != 0
    assert f"{variable} must be set in production" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_the_deployment_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PROD_ENV["SECRET_KEY"] + "\n")
    env = {**PROD_ENV, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret_file)}
    del env["SECRET_KEY"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_beat_schedule_is_static_and_has_the_heartbeat():
    assert settings.CELERY_BEAT_SCHEDULE["heartbeat"]["task"] == "livc.tasks.heartbeat"


def test_the_heartbeat_task_runs_in_process_without_a_broker(db):
    from django.core.cache import cache

    from livc.tasks import HEARTBEAT_CACHE_KEY, heartbeat

    result = heartbeat.delay()
    assert cache.get(HEARTBEAT_CACHE_KEY) == result.get()


def test_the_key_store_may_not_be_the_main_database():
    url = "postgres://livc@127.0.0.1:5432/livc_main"
    result = manage("check", DATABASE_URL=url, KEYS_DATABASE_URL=url)
    assert result.returncode == 2
    assert "KEYS_DATABASE_URL names the main database" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("main", "keys", "name"),
    [
        ("postgres://livc@127.0.0.1:5432/livc_main", "", "livc_main_keys"),
        ("sqlite:////tmp/livc-main.sqlite3", "", "keys.sqlite3"),
        ("postgres://livc@127.0.0.1:5432/livc_main", "postgres://livc@keys.example:5432/vault", "vault"),
    ],
)
def test_the_key_store_is_its_own_database(main, keys, name, monkeypatch):
    from livc.settings.env import env_database, keys_database

    monkeypatch.delenv("KEYS_DATABASE_URL", raising=False)
    if keys:
        monkeypatch.setenv("KEYS_DATABASE_URL", keys)
    monkeypatch.setenv("MAIN_DATABASE_URL", main)
    config = keys_database(
        "KEYS_DATABASE_URL", main=env_database("MAIN_DATABASE_URL", default=""), base_dir=ROOT
    )
    assert str(config["NAME"]).endswith(name)

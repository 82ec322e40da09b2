import uuid

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models
from django.test import override_settings
from django.test.utils import isolate_apps

from livc.crypto.checks import check_key_ring
from livc.crypto.fields import EncryptedCharField, EncryptedTextField
from tests.crypto_app.models import Secret

KEY_TEXT = "dGVzdC1rZXktdmVyc2lvbi1vbmUtMzItYnl0ZXMtISE="


def error_ids(messages):
    return [message.id for message in messages if message.level >= checks.ERROR]


def test_the_system_check_reports_a_bad_ring_without_its_keys():
    with override_settings(LIVC_ENCRYPTION_KEYS=f"1:{KEY_TEXT},1:{KEY_TEXT}"):
        errors = check_key_ring()
    assert error_ids(errors) == ["livc_crypto.E002"]
    assert "LIVC_ENCRYPTION_KEYS lists key version 1 more than once" in errors[0].msg
    assert KEY_TEXT not in errors[0].msg


def test_the_system_check_accepts_the_test_ring():
    assert check_key_ring() == []


def test_manage_py_check_fails_on_a_bad_ring():
    with (
        override_settings(LIVC_ENCRYPTION_KEYS=""),
        pytest.raises(SystemCheckError, match=r"livc_crypto\.E002"),
    ):
        call_command("check")


def test_the_test_model_passes_its_checks():
    assert error_ids(Secret.check()) == []


@isolate_apps("tests.crypto_app")
def test_a_model_with_encrypted_fields_and_an_auto_primary_key_is_refused():
    class Unbound(models.Model):  # noqa: DJ008
        secret = EncryptedTextField()

        class Meta:
            app_label = "crypto_app"

    assert error_ids(Unbound.check()) == ["livc_crypto.E001"]


@isolate_apps("tests.crypto_app")
def test_a_uuid_primary_key_without_a_default_is_refused_too():
    class NoDefault(models.Model):  # noqa: DJ008
        id = models.UUIDField(primary_key=True)
        secret = EncryptedTextField()

        class Meta:
            app_label = "crypto_app"

    assert error_ids(NoDefault.check()) == ["livc_crypto.E001"]


@isolate_apps("tests.crypto_app")
def test_an_encrypted_field_cannot_be_unique():
    class Unique(models.Model):  # noqa: DJ008
        id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
        secret = EncryptedCharField(max_length=10, unique=True)

        class Meta:
            app_label = "crypto_app"

    assert error_ids(Unique.check()) == ["livc_crypto.E003"]


@isolate_apps("tests.crypto_app")
def test_an_encrypted_field_cannot_have_a_database_default():
    class DatabaseDefault(models.Model):  # noqa: DJ008
        id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
        secret = EncryptedTextField(db_default="")

        class Meta:
            app_label = "crypto_app"

    assert error_ids(DatabaseDefault.check()) == ["livc_crypto.E004"]


@pytest.mark.parametrize("path", ["label", "no_such_field", "label__more"])
def test_an_encryption_owner_that_is_no_chain_of_foreign_keys_is_an_error(path, monkeypatch):
    from livc.crypto.checks import check_encryption_owners
    from tests.crypto_app.models import Secret

    assert check_encryption_owners() == []  # the project's own declarations
    monkeypatch.setattr(Secret, "encryption_owner", path, raising=False)
    errors = check_encryption_owners()
    assert [error.id for error in errors] == ["livc_crypto.E005"]
    assert "crypto_app.Secret" in errors[0].msg

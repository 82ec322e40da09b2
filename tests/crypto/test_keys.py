from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from livc.crypto.checks import check_key_ring
from livc.crypto.keyring import parse_ring
from tests.crypto_app.models import Secret

V1 = "1:dGVzdC1rZXktdmVyc2lvbi1vbmUtMzItYnl0ZXMtISE="
V2 = "2:dGVzdC1rZXktdmVyc2lvbi10d28tMzItYnl0ZXMtISE="
KEY_TEXT = "dGVzdC1rZXktdmVyc2lvbi1vbmUtMzItYnl0ZXMtISE="


def versions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, note FROM crypto_app_secret")
        return {token.split(".")[1] for row in cursor.fetchall() for token in row if token}


@pytest.mark.django_db
def test_rotation_reencrypts_old_values_in_batches_and_only_once():
    with override_settings(LIVC_ENCRYPTION_KEYS=V1):
        for n in range(5):
            Secret.objects.create(name=f"Naam {n}", note=f"Notitie {n}")
        assert versions() == {"1"}
    with override_settings(LIVC_ENCRYPTION_KEYS=f"{V2},{V1}"):
        call_command("rotate_encryption_keys", "--dry-run", stdout=StringIO())
        assert versions() == {"1"}
        call_command("rotate_encryption_keys", "--batch-size", "2", stdout=StringIO())
        assert versions() == {"2"}
        out = StringIO()
        call_command("rotate_encryption_keys", stdout=out)
        assert "0 value(s) re-encrypted" in out.getvalue()
    with override_settings(LIVC_ENCRYPTION_KEYS=V2):  # the old key can go
        assert sorted(s.name for s in Secret.objects.all()) == [f"Naam {n}" for n in range(5)]


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        ("", "is empty"),
        (KEY_TEXT, "no 'version:' prefix"),
        (f"one:{KEY_TEXT}", "must be a whole number"),
        (f"0:{KEY_TEXT}", "versions start at 1"),
        (f"1:{KEY_TEXT},1:{KEY_TEXT}", "version 1 twice"),
        ("1:not base64!!", "not valid base64"),
        ("1:c2hvcnQ=", "must be 32 bytes"),
    ],
)
def test_a_bad_key_ring_is_refused_clearly_without_showing_keys(ring, message):
    with pytest.raises(ImproperlyConfigured) as problem:
        parse_ring(ring)
    assert message in str(problem.value)
    assert KEY_TEXT not in str(problem.value)


def test_the_system_check_reports_a_bad_ring():
    with override_settings(LIVC_ENCRYPTION_KEYS="1:c2hvcnQ="):
        errors = check_key_ring()
    assert [e.id for e in errors] == ["livc_crypto.E002"]
    assert check_key_ring() == []


def test_a_model_with_encrypted_fields_needs_a_uuid_primary_key():
    from django.db import models
    from django.test.utils import isolate_apps

    from livc.crypto.fields import EncryptedTextField

    with isolate_apps("tests.crypto_app"):

        class Unbound(models.Model):  # noqa: DJ008
            secret = EncryptedTextField()

            class Meta:
                app_label = "crypto_app"

        errors = Unbound._meta.get_field("secret").check()
    assert "livc_crypto.E001" in [e.id for e in errors]

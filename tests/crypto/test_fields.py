import datetime

import pytest
from django.core.exceptions import FieldError
from django.db import connection
from django.test import override_settings

from livc.crypto.fields import Ciphertext
from livc.crypto.keyring import DecryptionError
from tests.crypto_app.models import Secret

pytestmark = pytest.mark.django_db

V1_ONLY = "1:dGVzdC1rZXktdmVyc2lvbi1vbmUtMzItYnl0ZXMtISE="


def row_id(secret):
    return secret.pk.hex if connection.vendor == "sqlite" else secret.pk


def raw(secret, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM crypto_app_secret WHERE id = %s", [row_id(secret)])  # noqa: S608
        return cursor.fetchone()[0]


def set_raw(secret, column, value):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE crypto_app_secret SET {column} = %s WHERE id = %s", [value, row_id(secret)])  # noqa: S608


def make(**values):
    defaults = {"name": "Ada Geheim", "note": "Woont boven de bakker.", "born": datetime.date(2001, 2, 3),
                "extra": {"kinderen": 2, "naam": "Één"}}  # fmt: skip
    return Secret.objects.create(**{**defaults, **values})


def test_it_round_trips_every_field_type():
    secret = make()
    again = Secret.objects.get(pk=secret.pk)
    assert again.name == "Ada Geheim"
    assert again.note == "Woont boven de bakker."
    assert again.born == datetime.date(2001, 2, 3)
    assert again.extra == {"kinderen": 2, "naam": "Één"}


def test_none_stays_null_and_an_empty_string_is_encrypted_too():
    secret = make(note="", born=None, extra=None)
    again = Secret.objects.get(pk=secret.pk)
    assert (again.note, again.born, again.extra) == ("", None, None)
    assert raw(secret, "born") is None
    assert raw(secret, "note").startswith("v1.2.")


def test_the_raw_columns_hold_no_plaintext():
    secret = make()
    for column in ("name", "note", "born", "extra"):
        stored = raw(secret, column)
        assert stored.startswith("v1.2."), column
    stored = " ".join(raw(secret, column) for column in ("name", "note", "born", "extra"))
    for plaintext in ("Ada", "Geheim", "bakker", "2001", "kinderen"):
        assert plaintext not in stored


def test_a_value_copied_to_another_row_does_not_decrypt():
    first, second = make(name="Eerste"), make(name="Tweede")
    set_raw(second, "name", raw(first, "name"))
    with pytest.raises(DecryptionError) as failure:
        Secret.objects.get(pk=second.pk).name  # noqa: B018
    assert "Eerste" not in str(failure.value) and "v1." not in str(failure.value)


def test_a_value_copied_to_another_field_of_the_same_row_does_not_decrypt():
    secret = make()
    set_raw(secret, "note", raw(secret, "name"))
    with pytest.raises(DecryptionError):
        Secret.objects.get(pk=secret.pk).note  # noqa: B018


def test_an_altered_token_does_not_decrypt():
    secret = make()
    token = raw(secret, "name")
    set_raw(secret, "name", token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"))
    with pytest.raises(DecryptionError):
        Secret.objects.get(pk=secret.pk).name  # noqa: B018


def test_a_missing_key_version_says_which_one():
    secret = make()
    with override_settings(LIVC_ENCRYPTION_KEYS=V1_ONLY), pytest.raises(DecryptionError) as failure:
        Secret.objects.get(pk=secret.pk).name  # noqa: B018
    assert "version 2" in str(failure.value)


def test_plaintext_never_reaches_the_database_through_update():
    secret = make()
    with pytest.raises(TypeError):
        Secret.objects.filter(pk=secret.pk).update(name="Platte tekst")


def test_encrypted_fields_cannot_be_searched_except_for_null():
    make()
    with pytest.raises(FieldError, match="cannot be searched"):
        list(Secret.objects.filter(name="Ada Geheim"))
    with pytest.raises(FieldError):
        list(Secret.objects.filter(name__icontains="Ada"))
    assert Secret.objects.filter(born__isnull=False).count() == 1
    assert Secret.objects.filter(extra=None).count() == 0


def test_values_give_ciphertext_that_refuses_to_pose_as_text():
    make()
    value = Secret.objects.values_list("name", flat=True).get()
    assert isinstance(value, Ciphertext)
    assert "v2" in repr(value)
    with pytest.raises(TypeError):
        str(value)


def test_bulk_create_encrypts_too():
    Secret.objects.bulk_create([Secret(name="Bulk Een"), Secret(name="Bulk Twee")])
    assert sorted(s.name for s in Secret.objects.all()) == ["Bulk Een", "Bulk Twee"]
    assert all(isinstance(v, Ciphertext) for v in Secret.objects.values_list("name", flat=True))


def test_the_attribute_keeps_plaintext_after_saving_and_deferred_loading_works():
    secret = make()
    assert secret.name == "Ada Geheim"
    deferred = Secret.objects.only("label").get(pk=secret.pk)
    assert deferred.note == "Woont boven de bakker."


def test_max_length_applies_to_the_plaintext():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Secret(name="x" * 101).full_clean()

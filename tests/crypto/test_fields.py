import datetime
import uuid

import pytest
from django.core.exceptions import FieldError, ValidationError
from django.db import connection, transaction
from django.db.models import F, Value
from django.test import override_settings
from django.utils.module_loading import import_string

from livc.crypto.fields import Ciphertext, PlaintextWriteError, update_per_row
from livc.crypto.keyring import DecryptionError
from tests.crypto import ENCRYPTED_COLUMNS, V1, copy_raw_column, raw_column, set_raw_column
from tests.crypto_app.models import Secret

pytestmark = pytest.mark.django_db

VALUES = {
    "name": "Aïcha Van den Broeck",
    "note": "Woont boven de bakker; 日本語 ok.",
    "born": datetime.date(2001, 2, 3),
    "extra": {"kinderen": 2, "naam": "Één", "lijst": [1, None, "x"]},
}


def make(**values):
    return Secret.objects.create(label="ref", **{**VALUES, **values})


def reload(secret):
    return Secret.objects.get(pk=secret.pk)


class TestRoundTrip:
    def test_it_round_trips_every_field_type(self):
        again = reload(make())
        assert (again.name, again.note, again.born, again.extra) == tuple(VALUES.values())

    def test_none_stays_null_and_the_empty_string_is_encrypted_like_any_text(self):
        secret = make(note="", born=None, extra=None)
        again = reload(secret)
        assert (again.note, again.born, again.extra) == ("", None, None)
        assert raw_column(secret, "born") is None
        assert raw_column(secret, "extra") is None
        assert raw_column(secret, "note").startswith("v1.2.")

    def test_a_blank_text_field_left_out_becomes_an_encrypted_empty_string(self):
        secret = Secret.objects.create(name="Alleen een naam")
        assert reload(secret).note == ""
        assert raw_column(secret, "note").startswith("v1.2.")

    def test_json_scalars_and_lists_round_trip_too(self):
        for value in ([1, 2], "tekst", 3, True, {}):
            assert reload(make(extra=value)).extra == value

    def test_a_date_given_as_text_or_datetime_is_stored_as_a_date(self):
        assert reload(make(born="1999-12-31")).born == datetime.date(1999, 12, 31)
        assert reload(make(born=datetime.datetime(2000, 1, 2, 3, 4))).born == datetime.date(2000, 1, 2)

    def test_the_attribute_keeps_its_plaintext_after_saving(self):
        secret = make()
        assert secret.name == VALUES["name"]
        secret.name = "Nieuwe naam"
        secret.save()
        assert secret.name == "Nieuwe naam"
        assert reload(secret).name == "Nieuwe naam"

    def test_a_loaded_value_is_decrypted_on_first_access_only(self):
        again = reload(make())
        assert isinstance(again.__dict__["name"], Ciphertext)
        assert again.name == VALUES["name"]
        assert again.__dict__["name"] == VALUES["name"]

    def test_deferred_fields_and_refresh_from_db_decrypt_too(self):
        secret = make()
        assert Secret.objects.only("label").get(pk=secret.pk).note == VALUES["note"]
        Secret.objects.filter(pk=secret.pk).update(born=None)
        secret.refresh_from_db()
        assert (secret.name, secret.born) == (VALUES["name"], None)

    def test_saving_a_loaded_row_without_reading_it_keeps_its_values(self):
        secret = make()
        again = reload(secret)
        again.label = "changed"
        again.save()
        assert reload(secret).name == VALUES["name"]

    def test_bulk_create_encrypts_every_object(self):
        created = Secret.objects.bulk_create(
            [Secret(name="Bulk Een"), Secret(name="Bulk Twee", born="2010-10-10")]
        )
        assert [secret.name for secret in created] == ["Bulk Een", "Bulk Twee"]
        assert sorted(secret.name for secret in Secret.objects.all()) == ["Bulk Een", "Bulk Twee"]
        assert raw_column(created[1], "name").startswith("v1.2.")
        assert reload(created[1]).born == datetime.date(2010, 10, 10)

    def test_max_length_applies_to_the_plaintext_not_the_longer_token(self):
        with pytest.raises(ValidationError):
            Secret(name="x" * 101).full_clean()
        secret = make(name="x" * 100)
        assert len(raw_column(secret, "name")) > 100
        assert reload(secret).name == "x" * 100


class TestStorage:
    def test_the_raw_columns_hold_tokens_and_no_plaintext(self):
        secret = make()
        stored = {column: raw_column(secret, column) for column in ENCRYPTED_COLUMNS}
        assert all(token.startswith("v1.2.") for token in stored.values())
        dump = " ".join(stored.values())
        for plaintext in ("Aïcha", "Broeck", "bakker", "2001", "kinderen", "Één"):
            assert plaintext not in dump

    def test_every_encrypted_column_is_plain_text_whatever_the_field(self):
        with connection.cursor() as cursor:
            description = connection.introspection.get_table_description(cursor, Secret._meta.db_table)
        types = {
            column.name: connection.introspection.get_field_type(column.type_code, column)
            for column in description
        }
        assert {types[column] for column in ENCRYPTED_COLUMNS} == {"TextField"}

    def test_values_give_ciphertext_that_refuses_to_pose_as_text(self):
        make()
        value = Secret.objects.values_list("name", flat=True).get()
        assert isinstance(value, Ciphertext)
        assert repr(value) == "<Ciphertext v2>"
        with pytest.raises(TypeError, match="encrypted"):
            str(value)
        with pytest.raises(TypeError):
            f"{value}"
        assert isinstance(Secret.objects.values("extra").get()["extra"], Ciphertext)

    def test_the_model_str_shows_no_encrypted_value(self):
        secret = make()
        assert VALUES["name"] not in str(secret) and VALUES["name"] not in repr(secret)

    def test_fields_deconstruct_to_themselves_so_migrations_stay_still(self):
        for field in Secret._meta.concrete_fields:
            _name, path, args, kwargs = field.deconstruct()
            rebuilt = import_string(path)(*args, **kwargs)
            assert rebuilt.deconstruct()[1:] == (path, args, kwargs)
        assert Secret._meta.get_field("name").deconstruct()[1:] == (
            "livc.crypto.fields.EncryptedCharField",
            [],
            {"max_length": 100},
        )


class TestBinding:
    def test_a_value_copied_to_another_row_does_not_decrypt(self):
        first, second = make(name="Eerste"), make(name="Tweede")
        copy_raw_column(first, second, "name")
        with pytest.raises(DecryptionError) as failure:
            reload(second).name  # noqa: B018
        message = str(failure.value)
        assert f"crypto_app.Secret.name of row {second.pk}" in message
        assert "key version 2" in message
        assert "Eerste" not in message and raw_column(second, "name") not in message

    def test_a_value_copied_to_another_field_of_the_same_row_does_not_decrypt(self):
        secret = make()
        copy_raw_column(secret, secret, "name", target_column="note")
        with pytest.raises(DecryptionError, match=r"crypto_app\.Secret\.note"):
            reload(secret).note  # noqa: B018

    def test_an_altered_token_does_not_decrypt(self):
        secret = make()
        token = raw_column(secret, "name")
        replacement = "B" if token[-5] == "A" else "A"
        set_raw_column(secret, "name", token[:-5] + replacement + token[-4:])
        with pytest.raises(DecryptionError):
            reload(secret).name  # noqa: B018

    def test_text_that_is_not_a_token_is_an_error_never_the_text(self):
        secret = make()
        set_raw_column(secret, "name", "Platte tekst")
        again = reload(secret)
        with pytest.raises(DecryptionError) as failure:
            again.name  # noqa: B018
        assert "Platte" not in str(failure.value)
        assert "not an encrypted token" in str(failure.value)

    def test_a_missing_key_version_says_which_one_and_where(self):
        secret = make()
        with override_settings(LIVC_ENCRYPTION_KEYS=V1), pytest.raises(DecryptionError) as failure:
            reload(secret).name  # noqa: B018
        assert f"crypto_app.Secret.name of row {secret.pk}" in str(failure.value)
        assert "key version 2 is not in LIVC_ENCRYPTION_KEYS" in str(failure.value)

    def test_a_primary_key_given_as_text_binds_like_the_uuid(self):
        pk = uuid.uuid4()
        Secret.objects.create(id=str(pk).upper(), name="Tekst-sleutel")
        assert Secret.objects.get(pk=pk).name == "Tekst-sleutel"


class TestRefusals:
    def test_plaintext_never_reaches_the_database_through_update(self):
        secret = make()
        for value in ("Platte tekst", "", Value("Platte tekst"), F("label")):
            with pytest.raises(PlaintextWriteError, match=r"crypto_app\.Secret\.name"), transaction.atomic():
                Secret.objects.filter(pk=secret.pk).update(name=value)
        assert reload(secret).name == VALUES["name"]

    def test_update_may_still_clear_a_nullable_field(self):
        secret = make()
        Secret.objects.filter(pk=secret.pk).update(born=None)
        assert reload(secret).born is None

    def test_bulk_update_is_refused_because_it_cannot_encrypt(self):
        secret = make()
        secret.name = "Via bulk_update"
        with pytest.raises(PlaintextWriteError), transaction.atomic():
            Secret.objects.bulk_update([secret], ["name"])
        assert reload(secret).name == VALUES["name"]

    def test_an_sql_expression_cannot_be_saved_into_an_encrypted_field(self):
        with pytest.raises(PlaintextWriteError, match="SQL expression"):
            make(name=F("label"))

    def test_encrypted_fields_cannot_be_searched(self):
        make()
        for lookup in ({"name": "x"}, {"name__icontains": "x"}, {"name__in": ["x"]}, {"extra__kinderen": 2}):
            with pytest.raises(FieldError, match=r"(name|extra) is encrypted and cannot be searched"):
                list(Secret.objects.filter(**lookup))
        with pytest.raises(FieldError):
            list(Secret.objects.exclude(born__year=2001))

    def test_null_tests_still_work(self):
        make()
        make(born=None, extra=None)
        assert Secret.objects.filter(born__isnull=False).count() == 1
        assert Secret.objects.filter(extra=None).count() == 1
        assert Secret.objects.exclude(born=None).count() == 1


class TestUpdatePerRow:
    """`update_per_row`: one statement for many rows, each value encrypted for its own row."""

    def test_each_row_gets_its_own_token_of_the_same_value_and_plain_fields_are_written(self):
        first, second = make(), make(name="Tweede")
        update_per_row(Secret, [first.pk, second.pk], note="", name="gewist", label="erased")
        for secret in (first, second):
            again = reload(secret)
            assert (again.note, again.name, again.label) == ("", "gewist", "erased")
        assert raw_column(first, "note") != raw_column(second, "note")

    def test_the_tokens_are_bound_to_their_row(self):
        first, second = make(), make()
        update_per_row(Secret, [first.pk, second.pk], note="gewist")
        copy_raw_column(first, second, "note")
        with pytest.raises(DecryptionError):
            reload(second).note  # noqa: B018

    def test_rows_outside_the_keys_are_left_alone_and_no_keys_is_no_statement(
        self, django_assert_num_queries
    ):
        kept = make()
        update_per_row(Secret, [make().pk], note="")
        assert reload(kept).note == VALUES["note"]
        with django_assert_num_queries(0):
            update_per_row(Secret, [], note="")

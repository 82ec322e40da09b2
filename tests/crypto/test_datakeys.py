"""Data keys (docs/adr/0010): a value is sealed with its owner's key and bound to its row; keys
are rotated by re-wrapping them, destroyed on withdrawal, erasure and purge; a case page fetches
all its keys at once and never caches them; a destroyed key's page says when and why."""

import base64
import datetime
import re
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localdate

from cases.models import Case, InformationItem, Referral, Relation, Subject
from cases.services.cases import relation_add, relation_remove
from cases.services.items import item_add, item_withdraw
from livc.crypto import datakeys
from livc.crypto.datakeys import KeyDestroyedError, destroy_keys, owner_name
from livc.crypto.fields import Ciphertext
from livc.crypto.keyring import DecryptionError, decrypt
from livc.crypto.models import DataKey, DestroyedBecause
from livc.crypto.rekey import rotate_owner_key
from tests.crypto import V1, V2
from tests.retention.conftest import KEEP_UNTIL, discuss, purge_on

pytestmark = pytest.mark.django_db

V3 = "3:" + base64.b64encode(b"test-key-version-three-32-bytes!").decode()
DAY = datetime.timedelta(days=1)
CASE_FIELDS = ("aim_signals", "close_reason")
SUBJECT_FIELDS = ("first_name", "last_name", "birth_date", "address", "contact")


# --- Raw access: what a dump shows, what someone with write access to the database can do -------


def raw(model, pk, column):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(model._meta.db_table)} WHERE {quote('id')} = %s",  # noqa: S608
            [model._meta.pk.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def set_raw(model, pk, column, value):
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {quote(column)} = %s WHERE {quote('id')} = %s",  # noqa: S608
            [value, model._meta.pk.get_db_prep_value(pk, connection)],
        )


def open_raw(model, field_name, token, pk):
    """Decrypt a token as the field would for row `pk`, with nothing cached."""
    datakeys.keys.clear()
    return model._meta.get_field(field_name).decrypt_for_row(Ciphertext(token), pk)


def fresh(model, pk):
    datakeys.keys.clear()
    return model._base_manager.get(pk=pk)


def values_of(instance, fields):
    return {name: getattr(instance, name) for name in fields}


def key_id_of(token):
    assert token.startswith("k1."), token[:3]
    return token.split(".")[1]


def raw_key(row):
    """The 32 bytes of a live data key: what must never be cached, logged or shown."""
    return decrypt(row.wrapped, datakeys._wrapping_aad(row.pk.hex, row.owner))


def case_url(case, name="detail"):
    return reverse(f"cases:{name}", kwargs={"cell_slug": "alfa", "pk": case.pk})


@pytest.fixture
def filled(members, case_a, other_case):
    """case_a with an address, two items of bob's and a relation; other_case as it came."""
    subject = case_a.subject
    subject.address, subject.contact = "Eikenlaan 1", "0470 00 00 00"
    subject.save()
    shared_on = localdate()
    items = [
        item_add(
            member=members["participant"],
            case=case_a,
            text=text,
            category="behaviour",
            shared_on=shared_on,
            consent=True,
        )
        for text in ("ITEM-EEN: komt niet meer.", "ITEM-TWEE: zoekt contact.")
    ]
    relation = relation_add(member=members["coordinator"], case=case_a, kind="sibling", name="Broer Eikenaar",
                            birth_date=datetime.date(2001, 5, 6), notes="Woont samen.", is_minor=False)  # fmt: skip
    case_a.refresh_from_db()
    other_case.refresh_from_db()
    return {"case_a": case_a, "other_case": other_case, "items": items, "relation": relation}


# --- A value is bound to its row ---------------------------------------------------------------


def test_a_case_value_copied_to_another_cases_row_does_not_decrypt(filled):
    case_a, other_case = filled["case_a"], filled["other_case"]
    token = raw(Case, case_a.pk, "aim_signals")
    assert token.startswith("k1.")
    set_raw(Case, other_case.pk, "aim_signals", token)
    with pytest.raises(DecryptionError, match=r"copied from another row or field"):
        _ = fresh(Case, other_case.pk).aim_signals
    assert fresh(Case, case_a.pk).aim_signals == "Oproepen tot geweld."  # the original still reads


def test_a_value_copied_to_another_field_under_the_same_key_does_not_decrypt(filled):
    """The case and its referral share the person's key: the binding, not the key, refuses it."""
    case_a = filled["case_a"]
    token = raw(Referral, case_a.referral_id, "signals")
    assert key_id_of(token) == key_id_of(raw(Case, case_a.pk, "aim_signals"))
    set_raw(Case, case_a.pk, "close_reason", token)
    with pytest.raises(DecryptionError):
        _ = fresh(Case, case_a.pk).close_reason


def test_a_subject_value_copied_to_another_subject_does_not_decrypt(filled):
    one, two = filled["case_a"].subject_id, filled["other_case"].subject_id
    token = raw(Subject, one, "last_name")
    set_raw(Subject, two, "last_name", token)
    with pytest.raises(DecryptionError):
        _ = fresh(Subject, two).last_name
    assert fresh(Subject, one).last_name == "Testeling"


# --- Rotation ----------------------------------------------------------------------------------


def test_rotating_the_ring_rewraps_the_data_keys_and_the_old_versions_can_go(filled):
    cases = [filled["case_a"], filled["other_case"]]
    expected = {
        case.pk: (
            values_of(fresh(Case, case.pk), CASE_FIELDS),
            values_of(fresh(Subject, case.subject_id), SUBJECT_FIELDS),
        )
        for case in cases
    }
    tokens = {case.pk: raw(Case, case.pk, "aim_signals") for case in cases}
    # Two persons, two items, a relation.
    assert DataKey.objects.filter(destroyed_at__isnull=True).count() == 5
    assert not DataKey.objects.filter(wrapped__startswith="v1.3.").exists()

    with override_settings(LIVC_ENCRYPTION_KEYS=f"{V3},{V2},{V1}"):
        out = StringIO()
        call_command("rotate_encryption_keys", stdout=out, stderr=StringIO())
    live = DataKey.objects.filter(destroyed_at__isnull=True)
    assert f"Data keys: {live.count()} live, {live.count()} re-wrapped with key version 3." in out.getvalue()
    assert all(row.wrapped.startswith("v1.3.") for row in live)
    # The values did not move: their keys did (one small row each).
    assert {case.pk: raw(Case, case.pk, "aim_signals") for case in cases} == tokens

    with override_settings(LIVC_ENCRYPTION_KEYS=V3):
        for case in cases:
            assert (
                values_of(fresh(Case, case.pk), CASE_FIELDS),
                values_of(fresh(Subject, case.subject_id), SUBJECT_FIELDS),
            ) == expected[case.pk]
        assert [fresh(InformationItem, item.pk).text for item in filled["items"]] == [
            "ITEM-EEN: komt niet meer.",
            "ITEM-TWEE: zoekt contact.",
        ]
        assert fresh(Relation, filled["relation"].pk).name == "Broer Eikenaar"


def test_without_rotation_dropping_the_old_versions_leaves_the_data_keys_unreadable(filled):
    """The counterpart of the test above: it is the re-wrapping that lets the old versions go."""
    with override_settings(LIVC_ENCRYPTION_KEYS=V3), pytest.raises(DecryptionError):
        _ = fresh(Case, filled["case_a"].pk).aim_signals


def test_rotating_one_persons_key_reseals_their_values_and_destroys_the_old_key(filled):
    case_a, other_case = filled["case_a"], filled["other_case"]
    subject_id = case_a.subject_id
    before = (
        values_of(fresh(Case, case_a.pk), CASE_FIELDS),
        values_of(fresh(Subject, subject_id), SUBJECT_FIELDS),
        fresh(Referral, case_a.referral_id).signals,
    )
    old_key = key_id_of(raw(Case, case_a.pk, "aim_signals"))
    other_token = raw(Case, other_case.pk, "aim_signals")

    moved = rotate_owner_key(Subject, subject_id)

    assert moved >= 5  # the case's, the person's and the referral's values at least
    new_key = key_id_of(raw(Case, case_a.pk, "aim_signals"))
    assert new_key != old_key
    for model, pk, column in (
        (Case, case_a.pk, "aim_signals"),
        (Case, case_a.pk, "close_reason"),
        (Subject, subject_id, "last_name"),
        (Subject, subject_id, "address"),
        (Referral, case_a.referral_id, "signals"),
    ):
        assert key_id_of(raw(model, pk, column)) == new_key, (model, column)
    assert (
        values_of(fresh(Case, case_a.pk), CASE_FIELDS),
        values_of(fresh(Subject, subject_id), SUBJECT_FIELDS),
        fresh(Referral, case_a.referral_id).signals,
    ) == before
    old_row = DataKey.objects.get(pk=old_key)
    assert old_row.wrapped is None and old_row.destroyed_at is not None
    assert old_row.destroyed_because == DestroyedBecause.ROTATED
    new_row = DataKey.objects.get(pk=new_key)
    assert new_row.owner == owner_name(Subject, subject_id) and new_row.destroyed_at is None
    assert raw(Case, other_case.pk, "aim_signals") == other_token  # another person: untouched


# --- Withdrawal and erasure --------------------------------------------------------------------


def test_withdrawing_an_item_destroys_its_key(filled, members, cast, as_user):
    withdrawn, kept = filled["items"]
    old_text = raw(InformationItem, withdrawn.pk, "text")
    old_key = key_id_of(old_text)
    assert open_raw(InformationItem, "text", old_text, withdrawn.pk) == "ITEM-EEN: komt niet meer."

    item_withdraw(member=members["participant"], item=withdrawn)

    with pytest.raises(KeyDestroyedError) as caught:
        open_raw(InformationItem, "text", old_text, withdrawn.pk)
    assert caught.value.because == DestroyedBecause.WITHDRAWN
    assert caught.value.destroyed_at == fresh(InformationItem, withdrawn.pk).withdrawn_at
    row = DataKey.objects.get(pk=old_key)
    assert (row.wrapped, row.destroyed_because) == (None, DestroyedBecause.WITHDRAWN)
    again = fresh(InformationItem, withdrawn.pk)
    assert (again.text, again.justification) == ("", "")
    assert key_id_of(raw(InformationItem, withdrawn.pk, "text")) != old_key  # the blank: a new key
    assert fresh(InformationItem, kept.pk).text == "ITEM-TWEE: zoekt contact."
    assert fresh(Case, filled["case_a"].pk).aim_signals == "Oproepen tot geweld."
    page = as_user(cast.bob).get(case_url(filled["case_a"]))  # the case reads on, without the item
    assert page.status_code == 200
    assert "ITEM-TWEE: zoekt contact." in page.content.decode()
    assert "ITEM-EEN" not in page.content.decode()


def test_removing_a_relation_destroys_its_key(filled, members):
    relation = filled["relation"]
    pk = relation.pk
    tokens = {column: raw(Relation, pk, column) for column in ("name", "birth_date", "notes")}
    assert open_raw(Relation, "name", tokens["name"], pk) == "Broer Eikenaar"

    relation_remove(member=members["coordinator"], relation=relation)

    assert not Relation.objects.filter(pk=pk).exists()
    for column, token in tokens.items():
        with pytest.raises(KeyDestroyedError) as caught:
            open_raw(Relation, column, token, pk)
        assert caught.value.because == DestroyedBecause.ERASED, column
    row = DataKey.objects.get(pk=key_id_of(tokens["name"]))
    assert row.owner == owner_name(Relation, pk) and row.wrapped is None
    assert row.destroyed_because == DestroyedBecause.ERASED
    assert fresh(Subject, filled["case_a"].subject_id).last_name == "Testeling"  # the person's key lives


# --- The case page -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_a_case_page_fetches_all_its_keys_in_one_query_and_caches_none(filled, cast, as_user, who):
    client = as_user(getattr(cast, who))
    datakeys.keys.clear()
    with CaptureQueriesContext(connections["keys"]) as queries:
        response = client.get(case_url(filled["case_a"]))
    content = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "Oproepen tot geweld.",
        "ITEM-EEN: komt niet meer.",
        "ITEM-TWEE: zoekt contact.",
        "Broer Eikenaar",
    ):
        assert shown in content, shown
    key_queries = [query["sql"] for query in queries.captured_queries]
    assert len(key_queries) == 1, key_queries
    assert "SELECT" in key_queries[0].upper()
    assert datakeys.keys.ciphers == {}  # forgotten when the request finished

    # Nothing the cache holds contains an unwrapped key, in any spelling.
    secrets = []
    for row in DataKey.objects.filter(destroyed_at__isnull=True):
        key = raw_key(row)
        secrets += [key, key.hex().encode(), base64.b64encode(key), base64.urlsafe_b64encode(key)]
    stored = caches["default"]._cache  # LocMemCache: key -> pickled value
    for cache_key, value in stored.items():
        for secret in secrets:
            assert secret not in value and secret.decode("latin-1") not in cache_key, cache_key


# --- A destroyed or missing key: the pages say so ----------------------------------------------


def test_a_case_whose_persons_key_was_destroyed_answers_410_with_the_date(filled, cast, as_user):
    case_a = filled["case_a"]
    when = datetime.datetime(2027, 11, 21, 2, 0, tzinfo=datetime.UTC)
    owner = owner_name(Subject, case_a.subject_id)
    assert destroy_keys([owner], because=DestroyedBecause.RETENTION, when=when) == [owner]

    response = as_user(cast.bob).get(case_url(case_a))

    content = response.content.decode()
    assert response.status_code == 410
    assert "destroyed under the retention rule on" in content
    assert date_format(localdate(when), "DATE_FORMAT") in content
    assert "2027" in content
    assert "k1." not in content and "v1." not in content
    assert "Oproepen tot geweld." not in content and "Testeling" not in content


def test_a_case_whose_key_is_missing_from_the_key_store_answers_500_with_a_page(filled, cast, as_user):
    case_a = filled["case_a"]
    DataKey.objects.filter(owner=owner_name(Subject, case_a.subject_id)).delete()

    response = as_user(cast.bob).get(case_url(case_a))

    content = response.content.decode()
    assert response.status_code == 500
    assert "cannot be decrypted" in content
    assert "Traceback" not in content and "k1." not in content
    assert "Data cannot be read" in content


# --- Moving existing values under data keys ------------------------------------------------------


def seal_with_the_ring(model, pk, values):
    """Rewrite these values of a row as they were before data keys: sealed with the ring."""
    model._base_manager.filter(pk=pk).update(
        **{name: model._meta.get_field(name).encrypt_for_row(value, pk) for name, value in values.items()}
    )


def move(*args):
    out, err = StringIO(), StringIO()
    call_command("move_to_data_keys", *args, stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def test_move_to_data_keys_moves_ring_sealed_values_once(filled):
    case_a = filled["case_a"]
    seal_with_the_ring(Case, case_a.pk, {"aim_signals": "Oproepen tot geweld.", "close_reason": ""})
    seal_with_the_ring(Subject, case_a.subject_id, {"last_name": "Testeling", "address": "Eikenlaan 1"})
    columns = [(Case, case_a.pk, "aim_signals"), (Case, case_a.pk, "close_reason"),
               (Subject, case_a.subject_id, "last_name"), (Subject, case_a.subject_id, "address")]  # fmt: skip
    before = [raw(*column) for column in columns]
    assert all(token.startswith("v1.2.") for token in before)

    dry = move("--dry-run")
    assert "cases.Case: 1 row(s), 2 value(s) to move" in dry
    assert "cases.Subject: 1 row(s), 2 value(s) to move" in dry
    assert "Total: 2 row(s), 4 value(s) to move under data keys." in dry
    assert [raw(*column) for column in columns] == before

    done = move()
    assert "cases.Case: 1 row(s), 2 value(s) moved" in done
    assert "Total: 2 row(s), 4 value(s) moved under data keys." in done
    person_key = DataKey.objects.get(owner=owner_name(Subject, case_a.subject_id), destroyed_at__isnull=True)
    assert {key_id_of(raw(*column)) for column in columns} == {person_key.pk.hex}
    assert values_of(fresh(Case, case_a.pk), CASE_FIELDS) == {
        "aim_signals": "Oproepen tot geweld.",
        "close_reason": "",
    }
    subject = fresh(Subject, case_a.subject_id)
    assert (subject.last_name, subject.address, subject.first_name) == ("Testeling", "Eikenlaan 1", "Tom")

    moved = [raw(*column) for column in columns]
    assert "Total: 0 row(s), 0 value(s) moved under data keys." in move()
    assert [raw(*column) for column in columns] == moved


def test_move_to_data_keys_in_batches_of_one_covers_every_row(filled):
    cases = [filled["case_a"], filled["other_case"]]
    for case in cases:
        seal_with_the_ring(Case, case.pk, {"aim_signals": f"Signalen {case.reference}"})
    assert "Total: 2 row(s), 2 value(s) moved" in move("--batch-size", "1")
    for case in cases:
        assert raw(Case, case.pk, "aim_signals").startswith("k1.")
        assert fresh(Case, case.pk).aim_signals == f"Signalen {case.reference}"


def test_a_dry_run_of_move_to_data_keys_makes_no_data_keys(filled):
    """Before data keys existed there were none: a dry run must not make them ("writes nothing")."""
    case_a = filled["case_a"]
    seal_with_the_ring(Case, case_a.pk, {"aim_signals": "Oproepen tot geweld.", "close_reason": ""})
    for name in SUBJECT_FIELDS:
        value = getattr(fresh(Subject, case_a.subject_id), name)
        if value is not None:
            seal_with_the_ring(Subject, case_a.subject_id, {name: value})
    Referral._base_manager.filter(pk=case_a.referral_id).update(
        **{
            name: Referral._meta.get_field(name).encrypt_for_row(
                getattr(fresh(Referral, case_a.referral_id), name), case_a.referral_id
            )
            for name in ("signals", "context", "existing_support", "qualification_reason")
        }
    )
    person = owner_name(Subject, case_a.subject_id)
    DataKey.objects.filter(owner=person).delete()  # it sealed nothing any more: as before data keys
    keys_before = set(DataKey.objects.values_list("pk", flat=True))

    assert "cases.Case: 1 row(s), 2 value(s) to move" in move("--dry-run")

    assert set(DataKey.objects.values_list("pk", flat=True)) == keys_before


# --- The purge counts the keys it destroyed --------------------------------------------------------


def test_the_purge_record_counts_the_data_keys_destroyed(clock, scenario, members, seats):
    case_a, other_case = scenario["case_a"], scenario["other_case"]
    discuss(clock, members, seats, other_case, datetime.date(2027, 10, 1))  # kept another year
    live_before = set(DataKey.objects.filter(destroyed_at__isnull=True).values_list("pk", flat=True))

    run = purge_on(clock, KEEP_UNTIL + DAY)

    [record] = run.records
    assert record.reference == case_a.reference
    destroyed = DataKey.objects.filter(pk__in=live_before, destroyed_because=DestroyedBecause.RETENTION)
    # The person's key, the item's, the relation's and the minutes PDF's.
    assert destroyed.count() == 4
    assert record.counts["data_keys_destroyed"] == 4
    assert sorted(owner.split(":")[0] for owner in destroyed.values_list("owner", flat=True)) == [
        "cases.informationitem",
        "cases.relation",
        "cases.subject",
        "meetings.minutesdocument",
    ]
    assert any(
        re.fullmatch(r"4 data keys destroyed: what they sealed is unreadable in every backup too", line)
        for line in map(str, record.summary())
    ), record.summary()
    # other_case's person keeps their key.
    assert DataKey.objects.get(owner=owner_name(Subject, other_case.subject_id), destroyed_at__isnull=True)

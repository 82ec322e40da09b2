"""The fast canonical JSON gives the same text, hence the same digests and hashes, as the round
trip through the JSON encoder that every existing chain was sealed with (issue 14)."""

import datetime
import decimal
import hashlib
import json
import uuid

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy

from livc.audit import hashing

VALUES = [
    None,
    "",
    'Zoë \u2018quoted\u2019 — Ελληνικά, 中文, emoji 🙂, \\ back\\slash, "quote", tab\t, newline\n',
    0,
    -7,
    2**70,
    1.5,
    -0.0,
    1e-7,
    123456789.123456789,
    0.1 + 0.2,
    True,
    False,
    [],
    {},
    [1, "2", None, 3.25, [True, {"é": ["ü", {}]}]],
    {"b": 1, "a": {"z": [1, 2, {"y": None, "x": 1.0}], "é": "ö"}, "A": False, "": ""},
    {"view": "cases:detail", "filter": {"q": "é€", "n": 12, "f": 1.5, "x": None}},
    {"changes": {"status": ["open", "closed"], "review_on": ["None", "2026-12-01"]}},
]


def round_trip(value):
    """The reference: `canonical_json` as it was before the fast path."""
    normalised = json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None
    return json.dumps(normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize("value", VALUES)
def test_plain_values_give_the_same_text_both_ways(value):
    assert hashing._plain(value)
    assert hashing.canonical_json(value) == round_trip(value)
    assert hashing.canonical_json(value, decoded=True) == round_trip(value)
    read_back = json.loads(json.dumps(value)) if value is not None else None  # as a JSON column gives it
    assert hashing.canonical_json(read_back, decoded=True) == round_trip(value)


MOMENT = datetime.datetime(2026, 3, 29, 1, 59, 59, 123456, tzinfo=datetime.UTC)
NOT_PLAIN = [
    {"at": MOMENT, "on": MOMENT.date(), "time": MOMENT.time()},
    {"amount": decimal.Decimal("12.50"), "id": uuid.UUID(int=7)},
    (1, 2, (3, "é")),
    {2: "two", 10: "ten"},  # keys that are not strings: sorted as strings only after the round trip
    {1: "a", "b": 2},  # mixed keys cannot even be sorted directly
    {"label": gettext_lazy("event")},
    {"delta": datetime.timedelta(hours=1, microseconds=5)},
    [{"nested": [MOMENT]}],
]


@pytest.mark.parametrize("value", NOT_PLAIN, ids=range(len(NOT_PLAIN)))
def test_anything_else_takes_the_round_trip_and_gives_what_the_column_will_read_back(value):
    assert not hashing._plain(value)
    assert hashing.canonical_json(value) == round_trip(value)
    stored = json.loads(json.dumps(value, cls=DjangoJSONEncoder))  # what the column then holds
    assert hashing.canonical_json(stored, decoded=True) == hashing.canonical_json(value)


def test_a_digest_taken_when_writing_matches_the_one_recomputed_when_verifying():
    content = {
        "object_repr": "Case 2026-0001",
        "changes_text": "",
        "changes": {"status": ["open", "closed"], "when": [None, MOMENT]},
        "serialized_data": None,
        "additional_data": {"view": "cases:detail", "ids": (3, 4), "ü": 1.25},
    }
    written = hashing.content_digest(**content)
    stored = {
        name: json.loads(json.dumps(value, cls=DjangoJSONEncoder))
        if name in ("changes", "additional_data")
        else value
        for name, value in content.items()
    }
    assert hashing.content_digest(**stored, decoded=True) == written
    reference = round_trip(["Case 2026-0001", "", content["changes"], None, content["additional_data"]])
    assert written == hashlib.sha256(reference.encode()).hexdigest()


def test_the_link_hash_takes_the_time_as_a_datetime_or_as_postgresqls_text():
    common = {
        "chain_key": 3, "seq": 9, "prev_hash": hashing.GENESIS, "action": 3, "access_kind": "view",
        "event": "", "content_type": "cases.case", "object_pk": "42", "actor_id": 5,
        "actor_email": "a@example.test", "remote_addr": "2001:DB8::0:1", "remote_port": None, "cid": None,
        "content_digest": "d" * 64,
    }  # fmt: skip
    brussels = datetime.timezone(datetime.timedelta(hours=2))
    as_datetime = hashing.link_hash(timestamp=MOMENT.astimezone(brussels), **common)
    as_text = hashing.link_hash(timestamp="2026-03-29T01:59:59.123456+00:00", **common)
    assert as_datetime == as_text
    assert hashing._address("2001:DB8::0:1") == "2001:db8::1"  # normalised (and memoised)
    assert hashing._address("not an address") == "not an address"

"""A database dump holds no readable name, address or note: read the raw columns."""

import uuid

import pytest
from django.db import connection

from cases.models import IdentityRequest, InformationItem, InformingEntry, Referral, Relation, Subject
from cases.services.cases import relation_add
from cases.services.identity import Identity, identity_request
from cases.services.informing import informing_open, informing_record
from cases.services.items import item_add

pytestmark = pytest.mark.django_db

SECRETS = ["Testeling", "Geheimstraat", "verheerlijkt geweld", "Dochter Daisy", "Volgt therapie", "U werd besproken",
           "Kleintje", "nodig voor school"]  # fmt: skip


def all_text_in(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - our own table names
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_identity_and_information_fields_are_ciphertext_in_the_database(cast, members, case_a):
    subject = case_a.subject
    subject.address = "Geheimstraat 1"
    subject.save()
    relation_add(member=members["coordinator"], case=case_a, kind="child", name="Dochter Daisy", birth_date=None,
                 notes="", is_minor=True)  # fmt: skip
    item_add(member=members["participant"], case=case_a, text="Volgt therapie.", category="health",
             shared_on=case_a.opened_at.date(), consent=True)  # fmt: skip
    informing_open(member=members["coordinator"], case=case_a, decision_id=uuid.uuid4(),
                   decided_on=case_a.opened_at.date())  # fmt: skip
    informing_record(member=members["coordinator"], case=case_a, kind="informed", informed_on=case_a.opened_at.date(),
                     message="U werd besproken.")  # fmt: skip
    identity_request(member=members["participant"], subject=subject, identity=Identity("Kim", "Kleintje"),
                     reason="Nodig voor school.")  # fmt: skip
    dump = " ".join(all_text_in(m) for m in (Subject, Referral, Relation, InformationItem, InformingEntry,
                                             IdentityRequest, case_a.__class__))  # fmt: skip
    # Every value is sealed with a data key of the key store, none with the ring alone.
    assert "k1." in dump and "v1." not in dump
    for secret in SECRETS:
        assert secret.lower() not in dump.lower(), secret
    assert "Tom" not in dump  # first name of the subject

"""After the purge, no table holds anything of the purged people: neither in plaintext (a name,
a pseudonym, an item's text, the minutes) nor as the encrypted tokens that held it, including
the audit entries and whatever the task queue stored."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, InformationItem, InformingEntry, Referral, Relation, Subject
from livc.crypto.fields import EncryptedField
from meetings.models import Action, Addendum, AgendaItem, Decision, MinutesDocument
from retention.tasks import purge_expired
from tests.retention.conftest import KEEP_UNTIL, SECRETS, at

pytestmark = pytest.mark.django_db


def every_raw_row() -> str:
    """Every row of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                chunks.append("\x1f".join(_text(value) for value in row))
    return "\n".join(chunks)


def _text(value) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).decode("latin-1")
    return str(value)


def tokens_of(scenario, referral) -> set[str]:
    """The stored ciphertexts of every encrypted value about the two cases and the referral."""
    cases = Case.objects.filter(pk__in=[scenario["case_a"].pk, scenario["other_case"].pk])
    subjects = Subject.objects.filter(
        pk__in=[*cases.values_list("subject_id", flat=True), referral.subject_id]
    )
    rows = [
        cases,
        subjects,
        Referral.objects.filter(subject__in=subjects),
        InformationItem.objects.filter(case__in=cases),
        Relation.objects.filter(case__in=cases),
        InformingEntry.objects.filter(case__in=cases),
        Decision.objects.filter(case__in=cases),
        Action.objects.filter(case__in=cases),
        AgendaItem.objects.filter(case__in=cases),
        Addendum.objects.filter(item__case__in=cases),
        MinutesDocument.objects.all(),
    ]
    tokens = set()
    for queryset in rows:
        for field in queryset.model._meta.concrete_fields:
            if isinstance(field, EncryptedField):
                tokens |= {value.token for value in queryset.values_list(field.attname, flat=True) if value}
    tokens |= {value for value in subjects.values_list("identity_hash", flat=True) if value}
    return tokens


def test_no_table_holds_anything_of_the_purged_people(clock, scenario, not_retained, cast, as_user):
    as_user(cast.bob).get(reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": scenario["case_a"].pk}))
    needles = tokens_of(scenario, not_retained)
    assert len(needles) > 30
    before = every_raw_row()
    assert all(token in before for token in needles)
    assert "Persoon Eik" in before and "Persoon Linde" in before  # pseudonyms are stored as they are

    clock.move_to(at(KEEP_UNTIL + datetime.timedelta(days=1), hour=3), tick=False)
    assert purge_expired.delay().get() == {"cases": 2, "referrals": 1, "failed": 0}

    after = every_raw_row()
    assert [token for token in needles if token in after] == []
    assert [text for text in SECRETS if text in after] == []
    assert "Planning van het jaar." not in after  # the topic's minutes stay, encrypted as before

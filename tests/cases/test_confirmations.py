"""What cannot be undone asks first: a GET page says what happens, only the POST does it. Every
write says it was done."""

import pytest
from django.urls import reverse

from cases.models import InformationItem, Relation

pytestmark = pytest.mark.django_db


def url(case, name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"cell_slug": "alfa", "pk": case.pk, **kwargs})


def test_unseating_asks_first_and_then_confirms(cast, as_user, case_a):
    seat = case_a.seats.get()
    client = as_user(cast.alice)
    table = client.get(url(case_a, "table")).content.decode()
    assert f'href="{url(case_a, "unseat", seat_pk=seat.pk)}"' in table
    page = client.get(url(case_a, "unseat", seat_pk=seat.pk))
    assert page.status_code == 200 and "no longer sees this case" in page.content.decode()
    assert case_a.seats.filter(pk=seat.pk).exists() and cast.bob.has_perm("cases.view_case", case_a)
    response = client.post(url(case_a, "unseat", seat_pk=seat.pk), follow=True)
    assert not case_a.seats.exists()
    assert f"{cast.bob.name} was removed from the table" in response.content.decode()


def test_only_the_coordinator_sees_the_unseat_page(cast, as_user, case_a):
    seat = case_a.seats.get()
    assert as_user(cast.bob).get(url(case_a, "unseat", seat_pk=seat.pk)).status_code == 403
    assert as_user(cast.mayor).post(url(case_a, "unseat", seat_pk=seat.pk)).status_code == 403
    assert case_a.seats.exists()


def test_when_everyone_sits_at_the_table_there_is_no_seat_form(cast, as_user, case_a):
    content = as_user(cast.alice).get(url(case_a, "table")).content.decode()
    assert "Everyone who may sit at this table already does." in content
    assert 'name="participant"' not in content


def test_the_seat_form_offers_who_is_not_seated_yet_without_a_preselection(cast, as_user, case_a, members):
    case_a.seats.all().delete()
    content = as_user(cast.alice).get(url(case_a, "table")).content.decode()
    assert 'name="participant"' in content and "---------" not in content
    response = as_user(cast.alice).post(url(case_a, "table"), {"participant": ""})
    assert "field--error" in response.content.decode()


def test_withdrawing_information_asks_first(cast, as_user, case_a):
    as_user(cast.bob).post(
        url(case_a, "item_new"),
        {"category": "behaviour", "text": "Komt niet meer.", "shared_on": "2026-11-20", "consent": "on"},
    )
    added = InformationItem.objects.get()
    page = as_user(cast.bob).get(url(case_a, "item_withdraw", item_pk=added.pk))
    assert page.status_code == 200 and "cannot be brought back" in page.content.decode()
    added.refresh_from_db()
    assert added.withdrawn_at is None
    assert as_user(cast.alice).get(url(case_a, "item_withdraw", item_pk=added.pk)).status_code == 403


def test_removing_a_relation_asks_first_and_adding_one_confirms(cast, as_user, case_a):
    client = as_user(cast.alice)
    response = client.post(url(case_a, "relation_new"), {"kind": "child", "name": "Kind A"}, follow=True)
    assert "Relation recorded." in response.content.decode()
    relation = Relation.objects.get()
    assert client.get(url(case_a, "relation_delete", relation_pk=relation.pk)).status_code == 200
    assert Relation.objects.exists()
    response = client.post(url(case_a, "relation_delete", relation_pk=relation.pk), follow=True)
    assert "Relation removed." in response.content.decode() and not Relation.objects.exists()


def test_the_item_and_relation_forms_start_on_a_blank_choice(cast, as_user, case_a):
    for name in ("item_new", "relation_new"):
        content = as_user(cast.alice).get(url(case_a, name)).content.decode()
        assert "---------" not in content
        assert '<option value="" selected>' in content, name


def _confirmation_urls(case, cast, members):
    from django.utils import timezone

    from cases.services.cases import relation_add
    from cases.services.items import item_add

    item = item_add(member=members["participant"], case=case, text="Gezien op school.", category="identification",
                    shared_on=timezone.localdate(), consent=True)  # fmt: skip
    relation = relation_add(member=members["coordinator"], case=case, kind="parent", name="Ouder Testeling",
                            birth_date=None, notes="", is_minor=False)  # fmt: skip
    return [
        url(case, "close"),
        url(case, "unseat", seat_pk=case.seats.get().pk),
        url(case, "item_withdraw", item_pk=item.pk),
        url(case, "relation_delete", relation_pk=relation.pk),
    ]


def test_another_cells_coordinator_gets_404_on_every_confirmation_page(cast, as_user, members, case_a):
    charlie = as_user(cast.charlie)
    for address in _confirmation_urls(case_a, cast, members):
        assert charlie.get(address).status_code == 404, address
        assert charlie.get(address.replace("/c/alfa/", f"/c/{cast.cell_b.slug}/")).status_code == 404, address


def test_a_person_in_two_cells_gets_404_under_the_other_cells_address(cast, as_user, members, case_a):
    from participants.rules import acknowledgement_record
    from tests.factories import MembershipFactory

    MembershipFactory(user=cast.alice, cell=cast.cell_b, role="coordinator")
    # Acknowledged in cell B too: the 404 comes from the access check, not from the secrecy gate
    # (which answers every case address alike, existing or not: tests/cases/test_secrecy_gate.py).
    acknowledgement_record(cell=cast.cell_b, user=cast.alice)
    alice = as_user(cast.alice)
    for address in _confirmation_urls(case_a, cast, members):
        own = alice.get(address).status_code
        assert own == (403 if "/items/" in address else 200), address  # only the owner withdraws an item
        assert alice.get(address.replace("/c/alfa/", f"/c/{cast.cell_b.slug}/")).status_code == 404, address


def test_a_participant_not_at_the_table_gets_404_on_every_confirmation_page(
    cast, as_user, members, other_case
):
    from cases.services.seats import seat_participant
    from tests.factories import MembershipFactory, ParticipantFactory

    colleague = ParticipantFactory(membership=MembershipFactory(cell=cast.cell_a, role="participant"),
                                   organisation=members["participant"].participant.organisation)  # fmt: skip
    seat_participant(member=members["coordinator"], case=other_case, participant=colleague)
    bob = as_user(cast.bob)
    for address in _confirmation_urls(other_case, cast, {**members, "participant": members["coordinator"]}):
        assert bob.get(address).status_code == 404, address

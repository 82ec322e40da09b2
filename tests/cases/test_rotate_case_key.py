"""`rotate_case_key`: one case's data keys replaced, its values re-sealed, the old keys destroyed."""

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, InformationItem
from cases.services.items import item_add
from livc.crypto import datakeys
from livc.crypto.models import DataKey, DestroyedBecause

pytestmark = pytest.mark.django_db


def _key_ids(case: Case) -> set[str]:
    raw = Case.objects.filter(pk=case.pk).values_list("aim_signals", flat=True).get()
    items = InformationItem.objects.filter(case=case).values_list("text", flat=True)
    return {value.data_key for value in (raw, *items)}


def test_a_case_gets_new_keys_and_its_old_ones_are_destroyed(members, case_a, other_case):
    item_add(member=members["participant"], case=case_a, text="Volgt therapie.", category="health",
             shared_on=case_a.opened_at.date(), consent=True)  # fmt: skip
    before, other_before = _key_ids(case_a), _key_ids(other_case)

    call_command("rotate_case_key", case_a.cell.slug, case_a.reference)

    after = _key_ids(case_a)
    assert after.isdisjoint(before) and len(after) == 2  # the person's key and the item's
    destroyed = DataKey.objects.filter(pk__in=list(before))
    assert {key.destroyed_because for key in destroyed} == {DestroyedBecause.ROTATED}
    assert _key_ids(other_case) == other_before  # another case is left alone
    datakeys.keys.clear()
    case = Case.objects.get(pk=case_a.pk)
    assert case.aim_signals == case_a.aim_signals
    assert InformationItem.objects.get(case=case_a).text == "Volgt therapie."


def test_an_unknown_case_is_a_clear_error(case_a):
    with pytest.raises(CommandError, match="No case 2099-9999"):
        call_command("rotate_case_key", case_a.cell.slug, "2099-9999")

import pytest
from django.urls import reverse

from cases.models import IdentityRequest, InformationItem
from cases.services.identity import Identity, identity_request, identity_request_decide

pytestmark = pytest.mark.django_db


def url(case, name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"cell_slug": "alfa", "pk": case.pk, **kwargs})


def item(**overrides):
    return {"category": "behaviour", "text": "Komt niet meer naar de training.", "shared_on": "2026-11-20",
            "consent": "on", **overrides}  # fmt: skip


def test_a_seated_participant_adds_information_that_stays_theirs(cast, as_user, case_a):
    response = as_user(cast.bob).post(url(case_a, "item_new"), item())
    assert response.status_code == 302
    added = InformationItem.objects.get()
    assert (added.owner.membership.user, added.organisation.name) == (cast.bob, "CLB Alfa")
    content = as_user(cast.alice).get(url(case_a, "detail")).content.decode()
    assert "Komt niet meer naar de training." in content and "CLB Alfa" in content


def test_other_data_needs_a_justification(cast, as_user, case_a):
    response = as_user(cast.bob).post(url(case_a, "item_new"), item(category="other", text="Iets anders."))
    assert "say why the purpose of the table needs it" in response.content.decode()
    assert "Iets anders." in response.content.decode()
    assert not InformationItem.objects.exists()


def test_special_categories_are_marked(cast, as_user, case_a):
    as_user(cast.bob).post(url(case_a, "item_new"), item(category="health", text="Volgt therapie."))
    assert "special category" in as_user(cast.alice).get(url(case_a, "detail")).content.decode()


def test_only_the_owner_withdraws_and_then_it_is_gone_everywhere(cast, as_user, case_a):
    as_user(cast.bob).post(url(case_a, "item_new"), item())
    added = InformationItem.objects.get()
    assert as_user(cast.alice).post(url(case_a, "item_withdraw", item_pk=added.pk)).status_code == 403
    as_user(cast.bob).post(url(case_a, "item_withdraw", item_pk=added.pk))
    added.refresh_from_db()
    assert added.withdrawn_at is not None and added.text == ""
    for user in (cast.alice, cast.bob, cast.mayor):
        assert (
            "Komt niet meer naar de training."
            not in as_user(user).get(url(case_a, "detail")).content.decode()
        )


def test_without_consent_only_the_owner_sees_the_item(cast, as_user, case_a):
    as_user(cast.bob).post(url(case_a, "item_new"), item(consent="", text="Nog niet delen."))
    assert "Nog niet delen." in as_user(cast.bob).get(url(case_a, "detail")).content.decode()
    assert "Nog niet delen." not in as_user(cast.alice).get(url(case_a, "detail")).content.decode()


def test_the_dpo_cannot_add_information(cast, as_user, case_a):
    assert as_user(cast.dpo).post(url(case_a, "item_new"), item()).status_code == 404


def test_a_minors_identity_needs_a_second_persons_approval(cast, members, seats):
    from tests.cases.conftest import make_case

    case = make_case(members, minor=True)
    assert case.involves_minor
    pending = identity_request(member=members["coordinator"], subject=case.subject,
                               identity=Identity("Kim", "Kleintje"), reason="Nodig voor de school.")  # fmt: skip
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        identity_request_decide(member=members["coordinator"], request=pending, approve=True)
    identity_request_decide(member=members["mayor"], request=pending, approve=True)
    case.subject.refresh_from_db()
    pending.refresh_from_db()
    assert case.subject.full_name == "Kim Kleintje"
    assert pending.status == IdentityRequest.Status.APPROVED and pending.identity is None


def test_a_minor_case_shows_the_childrens_rights_reminder_on_every_page(cast, as_user, members, seats):
    from tests.cases.conftest import make_case

    case = make_case(members, minor=True)
    for name in ("detail", "table", "informing", "item_new", "identity_request"):
        assert "Rights of the Child" in as_user(cast.alice).get(url(case, name)).content.decode(), name


def test_the_coordinator_cannot_record_a_minors_identity_directly(cast, as_user, members, seats):
    from tests.cases.conftest import make_case

    case = make_case(members, minor=True)
    response = as_user(cast.alice).get(url(case, "identity"))
    assert response["Location"] == url(case, "identity_request")


def test_a_child_relation_marks_the_case(cast, as_user, case_a):
    assert not case_a.involves_minor
    as_user(cast.alice).post(
        url(case_a, "relation_new"), {"kind": "child", "name": "Dochter", "is_minor": "on"}
    )
    case_a.refresh_from_db()
    assert case_a.involves_minor

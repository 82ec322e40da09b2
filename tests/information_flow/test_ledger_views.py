"""The item-use ledger's pages: the owner sees each use of her items (on the case page and on her own
page) and answers there; the decision lists its items with each owner's consent; the officer's
pass-on says what went and what did not; the DPO lists a case's uses without any item's text. Other
cells, other tables and other people get 404 or 403, and the consent form sent twice answers once."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import ItemUse, UseConsent
from cases.services.items import item_add
from cases.services.seats import seat_participant
from cases.services.uses import use_answer, use_record_shared
from livc.audit.models import AccessedCase, LogAction, LogEntry
from livc.cells.models import Membership
from meetings.services import decisions as decision_services
from participants.rules import acknowledgement_record
from tests.cases.conftest import make_case
from tests.factories import MembershipFactory, ParticipantFactory, UserFactory
from tests.meetings.conftest import end_and_finalise
from tests.reliability.posts import TOKEN_FIELD, form_posting_to

pytestmark = pytest.mark.django_db

PARTNER = "Jeugdhulp Alfa"
SECRET = "VERTROUWELIJK-Eik"  # an item's text: no page but the owner's may show it


def url(name, cell="alfa", **kwargs):
    return reverse(name, kwargs={"cell_slug": cell, **kwargs})


def page(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def add(members, case, owner="participant", text=SECRET):
    return item_add(member=members[owner], case=case, text=text, category="health",
                    shared_on=timezone.localdate(), consent=True)  # fmt: skip


@pytest.fixture
def item(members, case_a):
    return add(members, case_a)


@pytest.fixture
def share(members, running, agenda, item):
    """A share of bob's item with a partner, decided at the running meeting: bob's consent asked."""
    decision = decision_services.decision_record(member=members["coordinator"], item=agenda["case_a"],
                                                 kind="share_with_partner", items=[item], partner=PARTNER)  # fmt: skip
    return ItemUse.objects.get(decision_id=decision.pk)


def answer_url(use, cell="alfa"):
    return url("cases:item_use_answer", cell=cell, pk=use.item.case_id, use_pk=use.pk)


def shared_url(use, cell="alfa"):
    return url("cases:item_use_shared", cell=cell, pk=use.item.case_id, use_pk=use.pk)


# --- The owner sees where her information went, and answers ----------------------------------------


def test_the_owner_sees_each_use_under_her_item_and_answers_there(cast, as_user, case_a, share):
    client = as_user(cast.bob)
    case_page = page(client.get(url("cases:detail", pk=case_a.pk)))
    assert "Where it went" in case_page and "Shared with a partner" in case_page and PARTNER in case_page
    assert "Consent asked" in case_page and "Give consent" in case_page and "Refuse" in case_page
    assert answer_url(share) in case_page
    response = client.post(answer_url(share), {"consent": "yes", "next": url("cases:detail", pk=case_a.pk)})
    assert response.status_code == 302 and response.url == url("cases:detail", pk=case_a.pk)
    share.refresh_from_db()
    assert share.consent == UseConsent.GIVEN and share.consent_at is not None
    case_page = page(client.get(url("cases:detail", pk=case_a.pk)))
    assert (
        "Consent given" in case_page and "Withdraw consent" in case_page and "Record as shared" in case_page
    )
    client.post(shared_url(share), {})
    case_page = page(client.get(url("cases:detail", pk=case_a.pk)))
    assert f"by {cast.bob.name}" in case_page and "Give consent" not in case_page  # carried out: final


def test_only_the_owner_answers_the_others_at_the_table_get_403(cast, as_user, case_a, share):
    for user in (cast.alice, cast.mayor, cast.officer):
        assert as_user(user).post(answer_url(share), {"consent": "yes"}).status_code == 403
    share.refresh_from_db()
    assert share.consent == UseConsent.ASKED
    coordinator_view = page(as_user(cast.alice).get(url("cases:detail", pk=case_a.pk)))
    assert (
        PARTNER in coordinator_view and "Give consent" not in coordinator_view
    )  # she follows, never answers


def test_the_owners_page_lists_her_uses_awaiting_first_and_logs_every_case(
    cast, as_user, members, running, agenda, case_a, other_case, seats, item, share
):
    seat_participant(member=members["coordinator"], case=other_case, participant=seats["participant"])
    elsewhere = add(members, other_case, text="Ook gezien in de sporthal.")
    feedback = decision_services.decision_record(member=members["coordinator"], item=agenda["other"],
                                                 kind="ltf_feedback", items=[elsewhere])  # fmt: skip
    use_answer(member=members["participant"], use=share, consent=True)
    content = page(as_user(cast.bob).get(url("cases:my_item_uses")))
    assert "Your information: where it went" in content and "1 request waits for your consent." in content
    awaiting = content.index("Passed to the Local Taskforce")
    answered = content.index("Shared with a partner")
    assert awaiting < answered  # the request awaiting her answer first
    for case in (case_a, other_case):
        assert f'href="{url("cases:detail", pk=case.pk)}#items">{case.reference}</a>' in content
    assert ItemUse.objects.get(decision_id=feedback.pk).consent == UseConsent.ASKED
    entry = LogEntry.objects.get(action=LogAction.ACCESS, actor=cast.bob)
    shown = set(AccessedCase.objects.filter(entry=entry).values_list("case_pk", flat=True))
    assert shown == {str(case_a.pk), str(other_case.pk)}


def test_the_owner_answers_from_her_page_and_comes_back_to_it(cast, as_user, share):
    client = as_user(cast.bob)
    mine = url("cases:my_item_uses")
    form = form_posting_to(page(client.get(mine)), mine, answer_url(share), {"consent": "no"})
    assert form is not None and form.hidden["next"] == mine
    response = client.post(answer_url(share), form.hidden)
    assert response.status_code == 302 and response.url == mine
    share.refresh_from_db()
    assert share.consent == UseConsent.REFUSED
    assert "Consent refused: your information is not used this way." in page(client.get(mine))


def test_the_cell_home_says_how_many_requests_wait_for_her_consent(cast, as_user, share):
    home = page(as_user(cast.bob).get(url("cells:home")))
    assert "1 request for your consent" in home and url("cases:my_item_uses") in home
    assert "request for your consent" not in page(as_user(cast.alice).get(url("cells:home")))


def test_the_consent_form_sent_twice_answers_once(cast, as_user, case_a, share):
    client = as_user(cast.bob)
    case_url = url("cases:detail", pk=case_a.pk)
    form = form_posting_to(page(client.get(case_url)), case_url, answer_url(share), {"consent": "yes"})
    assert form is not None and form.hidden.get(TOKEN_FIELD)
    first = client.post(answer_url(share), form.hidden)
    share.refresh_from_db()
    answered_at = share.consent_at
    changes = LogEntry.objects.exclude(action=LogAction.ACCESS).count()
    second = client.post(answer_url(share), form.hidden, follow=True)
    assert first.status_code == 302 and "This form had already been sent" in page(second)
    share.refresh_from_db()
    assert share.consent_at == answered_at
    assert LogEntry.objects.exclude(action=LogAction.ACCESS).count() == changes


# --- Who gets what -------------------------------------------------------------------------------


@pytest.fixture
def pia(cast):
    """A participant of cell A who sits at no table."""
    user = UserFactory(email="pia@example.test", name="Pia Pauwels")
    ParticipantFactory(membership=MembershipFactory(cell=cast.cell_a, user=user))
    acknowledgement_record(cell=cast.cell_a, user=user)
    return user


def test_outside_the_table_or_the_cell_the_use_does_not_exist(cast, as_user, share, pia):
    for user, cell in ((pia, "alfa"), (cast.dpo, "alfa"), (cast.charlie, "alfa"), (cast.charlie, "bravo")):
        client = as_user(user)
        assert client.post(answer_url(share, cell), {"consent": "yes"}).status_code == 404, (user, cell)
        assert client.post(shared_url(share, cell), {}).status_code == 404, (user, cell)
    assert PARTNER not in page(as_user(pia).get(url("cases:my_item_uses")))
    assert as_user(cast.dpo).get(url("cases:my_item_uses")).status_code == 404
    share.refresh_from_db()
    assert share.consent == UseConsent.ASKED


@pytest.fixture
def dries(cast, members, seats, case_a):
    """dries, a participant in both cells, seated at case_a in cell A, with an item of his own."""
    in_a = Membership.objects.get(user=cast.dries, cell=cast.cell_a)
    in_b = Membership.objects.get(user=cast.dries, cell=cast.cell_b)
    profile = ParticipantFactory(membership=in_a, organisation=seats["participant"].organisation)
    ParticipantFactory(membership=in_b)
    seat_participant(member=members["coordinator"], case=case_a, participant=profile)
    for cell in (cast.cell_a, cast.cell_b):
        acknowledgement_record(cell=cell, user=cast.dries)
    return {"a": in_a, "b": in_b}


def test_a_member_of_two_cells_answers_under_her_cells_address_only(
    cast, as_user, members, agenda, running, case_a, dries
):
    own = add({"dries": dries["a"]}, case_a, "dries", text="Kent hem van de jeugdclub.")
    decision = decision_services.decision_record(member=members["coordinator"], item=agenda["case_a"],
                                                 kind="share_with_partner", items=[own], partner=PARTNER)  # fmt: skip
    use = ItemUse.objects.get(decision_id=decision.pk)
    client = as_user(cast.dries)
    assert client.post(answer_url(use, "bravo"), {"consent": "yes"}).status_code == 404
    assert PARTNER not in page(client.get(url("cases:my_item_uses", cell="bravo")))
    use.refresh_from_db()
    assert use.consent == UseConsent.ASKED
    assert PARTNER in page(client.get(url("cases:my_item_uses")))
    assert client.post(answer_url(use), {"consent": "yes"}).status_code == 302
    use.refresh_from_db()
    assert use.consent == UseConsent.GIVEN


def test_at_the_table_only_the_coordinator_or_the_owner_records_a_share(cast, as_user, members, share, dries):
    use_answer(member=members["participant"], use=share, consent=True)
    for user in (cast.mayor, cast.officer, cast.dries):
        assert as_user(user).post(shared_url(share), {}).status_code == 403
    assert as_user(cast.alice).post(shared_url(share), {}).status_code == 302
    share.refresh_from_db()
    assert share.carried_out_by == cast.alice and share.carried_out_at is not None


def test_a_share_without_consent_is_not_recorded_and_says_why(cast, as_user, case_a, share):
    response = as_user(cast.alice).post(
        shared_url(share), {"next": url("cases:detail", pk=case_a.pk)}, follow=True
    )
    assert "Its owner has not consented: the information may not be shared." in page(response)
    share.refresh_from_db()
    assert share.carried_out_at is None


# --- Decisions list their items ------------------------------------------------------------------


def test_the_coordinator_records_a_share_with_its_items_and_partner(cast, as_user, running, agenda, item):
    client = as_user(cast.alice)
    new = url("meetings:decision_new", pk=running.pk, item_pk=agenda["case_a"].pk)
    run = page(client.get(url("meetings:run", pk=running.pk) + f"?item={agenda['case_a'].pk}"))
    assert f'value="{item.pk}"' in run and "Health · CLB Alfa" in run and SECRET not in run
    refused = client.post(new, {"kind": "share_with_partner", "items": [item.pk], "partner": ""})
    assert refused.status_code == 400
    assert "Name the partner the information is shared with." in refused.content.decode()
    assert not ItemUse.objects.exists()
    response = client.post(new, {"kind": "share_with_partner", "items": [item.pk], "partner": PARTNER})
    assert response.status_code == 302
    use = ItemUse.objects.get()
    assert (use.item, use.partner, use.consent, use.asked_by) == (item, PARTNER, UseConsent.ASKED, cast.alice)


def test_the_decision_lists_its_items_with_each_owners_consent(
    cast, as_user, members, running, agenda, case_a, item, share
):
    officers = add(members, case_a, "officer", text="Bekend bij de politie.")
    decision_services.decision_record(member=members["coordinator"], item=agenda["case_a"], kind="ltf_feedback",
                                      items=[item, officers])  # fmt: skip
    use_answer(member=members["participant"], use=share, consent=True)
    use_record_shared(member=members["coordinator"], use=share)
    use_answer(member=members["officer"], use=ItemUse.objects.get(item=officers), consent=False)
    panel = page(as_user(cast.alice).get(url("meetings:run", pk=running.pk) + f"?item={agenda['case_a'].pk}"))
    detail = page(as_user(cast.bob).get(url("meetings:detail", pk=running.pk)))
    minutes = page(as_user(cast.bob).get(url("meetings:minutes", pk=running.pk)))
    for content in (panel, detail, minutes):
        assert PARTNER in content and "It uses 2 items:" in content and "It uses 1 item:" in content
        assert "Health · CLB Alfa" in content and "Health · Politiezone Alfa" in content
        assert "consent asked" in content and "consent refused" in content and "shared " in content
        assert SECRET not in content  # the decision lists items, never their text


def test_passing_feedback_on_says_how_many_items_went_and_why_the_others_did_not(
    cast, as_user, members, seats, running, agenda, case_a, item
):
    officers = add(members, case_a, "officer", text="Bekend bij de politie.")
    decision = decision_services.decision_record(member=members["coordinator"], item=agenda["case_a"],
                                                 kind="ltf_feedback", items=[item, officers])  # fmt: skip
    for name in ("participant", "coordinator", "mayor", "officer"):
        decision_services.agreement_record(member=members["coordinator"], decision=decision,
                                           participant=seats[name], agrees=True)  # fmt: skip
    use_answer(member=members["participant"], use=ItemUse.objects.get(item=item), consent=True)
    client = as_user(cast.officer)
    detail = url("meetings:detail", pk=running.pk)
    assert "Record as passed on to the Local Taskforce" in page(client.get(detail))
    pass_on = url("meetings:decision_step", pk=running.pk, decision_pk=decision.pk, step="pass_on")
    content = page(client.post(pass_on, {}, follow=True))
    assert (
        "1 item passed on with its owner&#x27;s consent. Not passed on: 1 awaits its owner&#x27;s consent."
        in content
    )
    assert "Record as passed on to the Local Taskforce" not in content  # nothing more to pass on now
    use_answer(member=members["officer"], use=ItemUse.objects.get(item=officers), consent=True)
    assert "Record as passed on to the Local Taskforce" in page(client.get(detail))  # consent came: once more
    content = page(client.post(pass_on, {}, follow=True))
    assert "2 items passed on with their owners&#x27; consent." in content and "Not passed on" not in content


def test_the_informing_page_shows_which_items_may_be_used(
    cast, as_user, members, seats, running, agenda, case_a, item
):
    decision = decision_services.decision_record(member=members["coordinator"], item=agenda["case_a"],
                                                 kind="inform_subject", items=[item])  # fmt: skip
    for name in ("participant", "coordinator", "mayor", "officer"):
        decision_services.agreement_record(member=members["coordinator"], decision=decision,
                                           participant=seats[name], agrees=True)  # fmt: skip
    content = page(as_user(cast.officer).get(url("cases:informing", pk=case_a.pk)))
    assert "Use only the information whose owner consented" in content and "consent asked" in content


# --- The DPO -------------------------------------------------------------------------------------


def test_the_dpo_lists_a_cases_uses_without_any_items_text_and_the_access_is_logged(
    cast, as_user, members, case_a, share
):
    use_answer(member=members["participant"], use=share, consent=True)
    use_record_shared(member=members["coordinator"], use=share)
    content = page(as_user(cast.dpo).get(url("audit:item_uses") + f"?reference={case_a.reference}"))
    assert f"Case {case_a.reference}" in content
    for shown in ("Health", "CLB Alfa", "Shared with a partner", PARTNER, "Consent given", cast.alice.name):
        assert shown in content, shown
    assert SECRET not in content and case_a.subject.pseudonym not in content
    entry = LogEntry.objects.get(action=LogAction.ACCESS, actor=cast.dpo)
    assert (entry.object_pk, entry.additional_data["view"]) == (str(case_a.pk), "audit:item_uses")
    assert list(AccessedCase.objects.filter(entry=entry).values_list("case_pk", flat=True)) == [
        str(case_a.pk)
    ]


def test_an_unknown_reference_says_so_in_the_same_words_whether_another_cell_has_it_or_not(
    cast, as_user, members, seats, case_a
):
    charlie, dries_b = members["charlie"], Membership.objects.get(user=cast.dries, cell=cast.cell_b)
    ParticipantFactory(membership=dries_b)
    references_a = {case_a.reference}
    in_b = make_case({"coordinator": charlie, "participant": dries_b}, pseudonym="Persoon Wilg")
    while in_b.reference in references_a:
        in_b = make_case({"coordinator": charlie, "participant": dries_b}, pseudonym="Persoon Wilg")
    client = as_user(cast.dpo)
    answers = [page(client.get(url("audit:item_uses") + f"?reference={reference}"))
               for reference in (in_b.reference, "1999-9999")]  # fmt: skip
    for content in answers:
        assert "No case with this reference." in content and "Persoon Wilg" not in content
    main = [content.split('<main id="main"', 1)[1].split("</main>", 1)[0] for content in answers]
    assert main[0].replace(in_b.reference, "1999-9999") == main[1]  # the page itself, word for word
    assert as_user(cast.alice).get(url("audit:item_uses")).status_code == 404


def test_the_owner_sees_the_day_of_the_meeting_that_decided_the_use(cast, as_user, case_a, share, running):
    day = date_format(timezone.localtime(running.starts_at).date(), "DATE_FORMAT")
    asked = date_format(timezone.localtime(share.asked_at).date(), "DATE_FORMAT")
    content = page(as_user(cast.bob).get(url("cases:detail", pk=case_a.pk)))
    assert (
        f"decided at the meeting of {day}" in content and f"asked on {asked} by {cast.alice.name}" in content
    )


def test_the_minutes_once_finalised_still_list_the_items(cast, as_user, members, running, share):
    end_and_finalise(members, running)
    running.refresh_from_db()
    assert running.is_locked
    assert "It uses 1 item:" in page(as_user(cast.bob).get(url("meetings:minutes", pk=running.pk)))

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, IdentityRequest, Referral, ReferralStatus, Subject
from livc.audit.models import LogEntry

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"cell_slug": "alfa", **kwargs})


def form(**overrides):
    values = {
        "pseudonym": "Persoon Linde",
        "referred_on": "2026-11-20",
        "signals": "Verheerlijkt aanslagen in de klas.",
        "urgency": "normal",
        "discussed_internally": "on",
    }
    return {**values, **overrides}


def test_a_participant_files_an_anonymous_referral(cast, as_user, seats):
    response = as_user(cast.bob).post(url("referral_new"), form())
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.organisation.name == "CLB Alfa"
    assert not referral.subject.has_identity
    assert referral.subject.pseudonym == "Persoon Linde"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"signals": ""}, "This field is required"),
        ({"referred_on": "2999-01-01"}, "cannot lie in the future"),
        ({"birth_date": "2999-01-01", "first_name": "X"}, "date of birth cannot lie in the future"),
        ({"signals": "x" * 10_001}, "at most 10000 characters"),
        ({"discussed_internally": ""}, "Discuss the signal within your own organisation first"),
        ({"referred_on": "not a date"}, "Enter a valid date"),
    ],
)
def test_bad_referral_input_is_explained_and_the_typed_text_kept(cast, as_user, seats, overrides, message):
    data = form(context="Mijn getypte context.", **overrides)
    response = as_user(cast.bob).post(url("referral_new"), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert "Mijn getypte context." in content
    assert not Referral.objects.exists() and not Subject.objects.exists()


def test_a_minors_identity_waits_for_approval(cast, as_user, seats):
    data = form(subject_is_minor="on", first_name="Kim", last_name="Kleintje", birth_date="2011-03-04")
    response = as_user(cast.bob).post(url("referral_new"), data)
    assert "only with a reason" in response.content.decode()
    as_user(cast.bob).post(
        url("referral_new"), {**data, "identity_reason": "De school moet haar kunnen aanspreken."}
    )
    subject = Subject.objects.get()
    assert subject.is_minor and not subject.has_identity and subject.first_name == ""
    assert IdentityRequest.objects.get().status == IdentityRequest.Status.PENDING


def test_a_birth_date_under_eighteen_makes_a_minor_even_unticked(cast, as_user, seats):
    young = (timezone.localdate() - datetime.timedelta(days=365 * 15)).isoformat()
    as_user(cast.bob).post(
        url("referral_new"), form(first_name="Jo", birth_date=young, identity_reason="Nodig.")
    )
    assert Subject.objects.get().is_minor
    assert IdentityRequest.objects.exists()


def test_the_coordinator_retains_a_referral_and_a_numbered_case_opens(cast, as_user, seats):
    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()
    response = as_user(cast.alice).post(
        url("referral_qualify", pk=referral.pk),
        {"outcome": "retained", "aim_signals": "Verheerlijking van aanslagen.", "consulted_officer": cast.officer.pk,
         "seat_referrer": "on"},
    )  # fmt: skip
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:table", kwargs={"cell_slug": "alfa", "pk": case.pk})
    assert case.reference == f"{timezone.localdate().year}-0001"
    referral.refresh_from_db()
    assert (referral.status, referral.consulted_officer) == (ReferralStatus.RETAINED, cast.officer)
    assert cast.bob.has_perm("cases.view_case", case)  # the referrer was seated


def test_references_count_per_cell(cast, members, seats):
    from tests.cases.conftest import make_case

    first, second = make_case(members), make_case(members, pseudonym="Persoon Twee")
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"{year}-0001", f"{year}-0002")


@pytest.mark.parametrize("outcome", ["not_retained", "redirected"])
def test_not_retaining_needs_a_reason(cast, as_user, seats, outcome):
    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()
    response = as_user(cast.alice).post(
        url("referral_qualify", pk=referral.pk), {"outcome": outcome, "reason": ""}
    )
    assert response.status_code == 400
    assert "it is required when a referral is not retained" in response.content.decode()
    as_user(cast.alice).post(
        url("referral_qualify", pk=referral.pk), {"outcome": outcome, "reason": "Reguliere hulp."}
    )
    referral.refresh_from_db()
    assert referral.status == outcome and not Case.objects.exists()


def test_retaining_needs_the_signals_tied_to_the_aim(cast, as_user, seats):
    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()
    response = as_user(cast.alice).post(url("referral_qualify", pk=referral.pk), {"outcome": "retained"})
    assert "preventing terrorist offences" in response.content.decode()
    assert not Case.objects.exists()


def test_a_case_and_its_qualification_are_written_together_or_not_at_all(cast, as_user, seats, monkeypatch):
    from cases.services import referrals

    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(referrals, "case_open", broken)
    with pytest.raises(RuntimeError):
        as_user(cast.alice).post(
            url("referral_qualify", pk=referral.pk), {"outcome": "retained", "aim_signals": "x"}
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED and not Case.objects.exists()


def test_the_referrer_sees_the_status_but_not_the_case(cast, as_user, seats):
    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()
    as_user(cast.alice).post(
        url("referral_qualify", pk=referral.pk), {"outcome": "retained", "aim_signals": "x"}
    )
    case = Case.objects.get()
    content = as_user(cast.bob).get(url("referrals")).content.decode()
    assert "Retained" in content and case.reference not in content
    detail = as_user(cast.bob).get(url("referral_detail", pk=referral.pk)).content.decode()
    assert case.reference not in detail
    assert (
        as_user(cast.bob)
        .get(reverse("cases:detail", kwargs={"cell_slug": "alfa", "pk": case.pk}))
        .status_code
        == 404
    )


def test_another_participants_referral_is_a_404(cast, as_user, seats, members):
    from tests.factories import MembershipFactory, ParticipantFactory

    other = MembershipFactory(cell=cast.cell_a)
    ParticipantFactory(membership=other)
    from participants.rules import acknowledgement_record

    acknowledgement_record(cell=cast.cell_a, user=other.user)
    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()
    assert as_user(other.user).get(url("referral_detail", pk=referral.pk)).status_code == 404
    assert as_user(cast.charlie).get(url("referral_detail", pk=referral.pk)).status_code == 404


def test_referral_pages_record_access(cast, as_user, seats):
    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()
    as_user(cast.officer).get(url("referral_detail", pk=referral.pk))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk) == (cast.officer, str(referral.pk))


def test_the_coordinator_is_told_about_a_duplicate_without_any_name_in_the_database(
    cast, as_user, seats, members
):
    from tests.cases.conftest import make_case

    make_case(members, first_name="Tom", last_name="Testeling")
    as_user(cast.bob).post(
        url("referral_new"), form(first_name="TOM", last_name="testeling ", birth_date="1999-01-02")
    )
    referral = Referral.objects.filter(status="submitted").get()
    content = as_user(cast.alice).get(url("referral_detail", pk=referral.pk)).content.decode()
    assert "may be known already" in content


def test_adding_the_identity_later_is_an_explicit_logged_step(cast, as_user, seats):
    as_user(cast.bob).post(url("referral_new"), form())
    referral = Referral.objects.get()
    as_user(cast.alice).post(
        url("referral_identity", pk=referral.pk), {"first_name": "Lina", "last_name": "Later"}
    )
    referral.subject.refresh_from_db()
    assert referral.subject.full_name == "Lina Later"
    entry = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, object_pk=str(referral.subject.pk)).get()
    assert "identity_recorded_at" in entry.changes
    assert "Lina" not in str(entry.changes) and "Lina" not in entry.object_repr

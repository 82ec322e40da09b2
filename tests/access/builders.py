"""One world of cell A for the access tests: each object a URL can name, built once, on demand.

`World(cast)` builds nothing by itself; each property builds its object (and what it needs)
the first time it is read. Everyone in the cast has acknowledged the secrecy of the table in
each cell they belong to, so that a refusal is never the acknowledgement page.

In cell A: bob and dries sit at `case`'s table; pia, also a participant of cell A, sits at no
table. In cell B: charlie (coordinator), dries (participant, seated nowhere) and bert
(participant). `URL_KWARGS` names, per URL, the arguments beyond the cell: it is shared by
`tests/access/test_matrix.py` and `tests/audit/test_views_log_access.py`.
"""

import datetime
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.utils import timezone

from livc.cells.models import Membership
from tests.base import Cast
from tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory, UserFactory

# A text of cell A's case that no page of cell B may ever show.
CANARY_PSEUDONYM = "Persoon Eik"


class World:
    def __init__(self, cast: Cast) -> None:
        self.cast = cast

    # --- People ---------------------------------------------------------------------------------

    @cached_property
    def pia(self) -> Any:
        """A participant of cell A who sits at no table."""
        user = UserFactory(email="pia@example.test", name="Pia Pauwels")
        MembershipFactory(cell=self.cast.cell_a, user=user)
        return user

    @cached_property
    def bert(self) -> Any:
        """A participant of cell B."""
        user = UserFactory(email="bert@example.test", name="Bert Baert")
        MembershipFactory(cell=self.cast.cell_b, user=user)
        return user

    @cached_property
    def members(self) -> dict[str, Membership]:
        """Cell A's memberships by part: coordinator, mayor, officer, dpo, participant (bob),
        dries, pia; and cell B's: charlie, dries_b, bert."""
        cast, a, b = self.cast, self.cast.cell_a, self.cast.cell_b
        get = Membership.objects.get
        return {
            "coordinator": get(cell=a, user=cast.alice),
            "mayor": get(cell=a, user=cast.mayor),
            "officer": get(cell=a, user=cast.officer),
            "dpo": get(cell=a, user=cast.dpo),
            "participant": get(cell=a, user=cast.bob),
            "dries": get(cell=a, user=cast.dries),
            "pia": get(cell=a, user=self.pia),
            "charlie": get(cell=b, user=cast.charlie),
            "dries_b": get(cell=b, user=cast.dries),
            "bert": get(cell=b, user=self.bert),
        }

    @cached_property
    def rules(self) -> Any:
        """Rules of procedure in force in cell A, acknowledged by everyone of both cells."""
        from participants.models import RulesOfProcedure, RulesStatus
        from participants.rules import acknowledgement_record

        rules = RulesOfProcedure.objects.create(
            cell=self.cast.cell_a, version=1, text="Regels.", status=RulesStatus.IN_FORCE,
            drafted_by=self.cast.alice, approved_by=self.cast.mayor, approved_at=timezone.now(),
        )  # fmt: skip
        for member in self.members.values():
            acknowledgement_record(cell=member.cell, user=member.user)
        return rules

    @cached_property
    def organisation(self) -> Any:
        return OrganisationFactory(cell=self.cast.cell_a, name="CLB Alfa", type="clb")

    @cached_property
    def profiles(self) -> dict[str, Any]:
        """Seat profiles of everyone who may sit at a table (the DPO never does)."""
        _ = self.rules
        profiles = {
            part: ParticipantFactory(membership=self.members[part], organisation=self.organisation)
            for part in ("participant", "dries", "pia", "coordinator", "mayor", "officer")
        }
        profiles["dries_b"] = ParticipantFactory(membership=self.members["dries_b"])
        profiles["bert"] = ParticipantFactory(membership=self.members["bert"])
        profiles["charlie"] = ParticipantFactory(membership=self.members["charlie"])
        return profiles

    # --- Cases ----------------------------------------------------------------------------------

    @cached_property
    def case(self) -> Any:
        """A case of cell A (referred by bob) with bob and dries at its table."""
        from cases.services.seats import seat_participant
        from tests.cases.conftest import make_case

        profiles = self.profiles
        case = make_case(self.members, pseudonym=CANARY_PSEUDONYM)
        for part in ("participant", "dries"):
            seat_participant(member=self.members["coordinator"], case=case, participant=profiles[part])
        return case

    @cached_property
    def seat(self) -> Any:
        return self.case.seats.get(participant=self.profiles["participant"])

    @cached_property
    def item(self) -> Any:
        from cases.services.items import item_add

        return item_add(member=self.members["participant"], case=self.case, text="Gezien op school.",
                        category="identification", shared_on=timezone.localdate(), consent=True)  # fmt: skip

    @cached_property
    def item_use(self) -> Any:
        """A share of bob's item with a partner, decided at the meeting: bob's consent is asked."""
        from cases.models import ItemUse
        from meetings.services.decisions import decision_record

        decision = decision_record(member=self.members["coordinator"], item=self.meeting_item,
                                   kind="share_with_partner", items=[self.item], partner="Jeugdhulp Alfa")  # fmt: skip
        return ItemUse.objects.get(decision_id=decision.pk)

    @cached_property
    def relation(self) -> Any:
        from cases.services.cases import relation_add

        return relation_add(member=self.members["coordinator"], case=self.case, kind="parent",
                            name="Ouder Testeling", birth_date=None, notes="", is_minor=False)  # fmt: skip

    @cached_property
    def referral(self) -> Any:
        """A referral of cell A by bob, not qualified yet."""
        from cases.services.identity import Identity
        from cases.services.referrals import ReferralData, referral_submit

        _ = self.profiles
        return referral_submit(
            member=self.members["participant"],
            data=ReferralData(
                referred_on=datetime.date(2026, 11, 1), signals="Signalen: verheerlijkt geweld.",
                pseudonym="Persoon Linde", discussed_internally=True, subject_is_minor=False,
                identity=Identity("Lies", "Testeling", datetime.date(2000, 3, 4)),
            ),
        )  # fmt: skip

    @cached_property
    def identity_request(self) -> Any:
        from cases.services.identity import Identity, identity_request

        return identity_request(member=self.members["participant"], subject=self.case.subject,
                                identity=Identity("Tom", "Testeling", None), reason="Nodig aan tafel.")  # fmt: skip

    # --- Invitations ----------------------------------------------------------------------------

    @cached_property
    def invitation(self) -> Any:
        """A draft invitation of cell A, by alice."""
        from tests.factories import InvitationFactory

        return InvitationFactory(
            cell=self.cast.cell_a, proposed_by=self.cast.alice, organisation=self.organisation
        )

    @cached_property
    def invitation_proposed(self) -> Any:
        """An invitation of cell A waiting for the mayor."""
        from participants.services import invitation_propose
        from tests.factories import InvitationFactory

        invitation = InvitationFactory(cell=self.cast.cell_a, proposed_by=self.cast.alice,
                                       organisation=self.organisation, name="Vera Voorgesteld")  # fmt: skip
        return invitation_propose(member=self.members["coordinator"], invitation=invitation)

    @cached_property
    def invitation_token(self) -> str:
        """The e-mailed link of an approved invitation to someone without an account."""
        from participants.services import invitation_approve
        from participants.tokens import make_token

        invitation = invitation_approve(member=self.members["mayor"], invitation=self.invitation_proposed)
        invitation.refresh_from_db()
        return make_token(invitation_id=invitation.pk, nonce=invitation.token_nonce)

    @cached_property
    def invitation_waiting(self) -> Any:
        """Another invitation of cell A waiting for the mayor (`invitation_proposed` is approved
        as soon as `invitation_token` is built)."""
        from participants.services import invitation_propose
        from tests.factories import InvitationFactory

        invitation = InvitationFactory(cell=self.cast.cell_a, proposed_by=self.cast.alice,
                                       organisation=self.organisation, name="Wout Wachtend")  # fmt: skip
        return invitation_propose(member=self.members["coordinator"], invitation=invitation)

    @cached_property
    def rules_draft(self) -> Any:
        """The next version of cell A's rules of procedure, drafted by alice, not in force yet."""
        from participants.rules import rules_draft_save

        _ = self.rules
        return rules_draft_save(member=self.members["coordinator"], text="Regels, versie 2.")

    # --- Meetings -------------------------------------------------------------------------------

    def _meeting(self, *, hours_ago: int, title: str) -> Any:
        """A meeting of cell A, started, with the case on the agenda and everyone present."""
        from meetings.services import meetings as meeting_services

        coordinator = self.members["coordinator"]
        meeting = meeting_services.meeting_create(member=coordinator, kind="operational", title=title,
                                                  starts_at=timezone.now() - datetime.timedelta(hours=hours_ago))  # fmt: skip
        meeting_services.agenda_add_case(member=coordinator, meeting=meeting, case=self.case)
        meeting_services.meeting_advance(member=coordinator, meeting=meeting, other_day_confirmed=True)
        for participant in meeting.cell.participants.all():
            meeting_services.attendance_record(member=coordinator, meeting=meeting, participant=participant,
                                               status="present", acknowledged=True)  # fmt: skip
        return meeting

    @cached_property
    def meeting(self) -> Any:
        """A meeting of cell A in progress."""
        return self._meeting(hours_ago=1, title="Overleg")

    @cached_property
    def planned_meeting(self) -> Any:
        """A meeting of cell A planned for today, not started, its agenda empty."""
        from meetings.services import meetings as meeting_services

        _ = self.profiles
        return meeting_services.meeting_create(member=self.members["coordinator"], kind="operational",
                                               title="Gepland overleg", starts_at=timezone.now())  # fmt: skip

    @cached_property
    def meeting_item(self) -> Any:
        return self.meeting.items.get(case=self.case)

    @cached_property
    def finalised_meeting(self) -> Any:
        """An earlier meeting of cell A, its minutes finalised and everyone's PDF ready."""
        from meetings.models import MinutesDocument
        from meetings.services import meetings as meeting_services

        meeting = self._meeting(hours_ago=49, title="Vorig overleg")
        coordinator = self.members["coordinator"]
        meeting_services.meeting_end(member=coordinator, meeting=meeting)
        meeting_services.meeting_finalise(member=coordinator, meeting=meeting)
        for member in self.cast.cell_a.memberships.all():
            MinutesDocument.objects.create(
                meeting=meeting, recipient=member.user, status="ready", content="JVBERi0="
            )
        return meeting

    @cached_property
    def fixed_representative(self) -> Any:
        """Rita, fixed representative of cell A's youth service (at no table), with Sven, a
        participant of the same service, as her recorded substitute. Neither is a kind of the
        matrix: a stand-in gives Sven nothing the kinds would see."""
        _ = self.rules
        service = OrganisationFactory(cell=self.cast.cell_a, name="Jeugdhulp Alfa", type="youth_service")
        people = {}
        for name, email in (("Sven Stand", "sven@example.test"), ("Rita Rep", "rita@example.test")):
            membership = MembershipFactory(cell=self.cast.cell_a, user=UserFactory(email=email, name=name))
            people[name] = ParticipantFactory(membership=membership, organisation=service)
        representative = people["Rita Rep"]
        representative.is_fixed_representative, representative.substitute = True, people["Sven Stand"]
        representative.save(update_fields=["is_fixed_representative", "substitute"])
        return representative

    @cached_property
    def stand_in(self) -> Any:
        """Sven stands in for Rita at the meeting in progress."""
        from meetings.services.stand_ins import stand_in_name

        return stand_in_name(member=self.members["coordinator"], meeting=self.meeting,
                             representative=self.fixed_representative)  # fmt: skip

    @cached_property
    def proposal(self) -> Any:
        """bob proposes the case for a meeting's agenda; it waits for the coordinator."""
        from meetings.services.proposals import proposal_submit

        return proposal_submit(member=self.members["participant"], case=self.case, reason="Nieuwe signalen.")

    @cached_property
    def addendum(self) -> Any:
        from meetings.services import meetings as meeting_services

        item = self.finalised_meeting.items.get(case=self.case)
        return meeting_services.addendum_add(member=self.members["coordinator"], item=item, text="Correctie.")

    @cached_property
    def decision(self) -> Any:
        """A decision awaiting the agreement of those present."""
        from meetings.services.decisions import decision_record

        return decision_record(member=self.members["coordinator"], item=self.meeting_item,
                               kind="ltf_feedback", text="Terugkoppeling aan de LTF.")  # fmt: skip

    @cached_property
    def action(self) -> Any:
        """A follow-up action of the case, owned by bob."""
        from meetings.services.actions import action_create

        return action_create(member=self.members["coordinator"], case=self.case, description="Huisbezoek.",
                             owner=self.profiles["participant"], due_on=timezone.localdate() + datetime.timedelta(days=7))  # fmt: skip

    @cached_property
    def breach_report(self) -> Any:
        """A suspected breach reported by dries in cell A (he also belongs to cell B)."""
        import uuid

        from dpo.services import breach_report

        _ = self.rules
        return breach_report(cell=self.cast.cell_a, reported_by=self.cast.dries, token=uuid.uuid4(),
                             description="Een lijst lag open.", discovered_at=timezone.now() - datetime.timedelta(hours=1)).breach  # fmt: skip

    @cached_property
    def strategic_meeting(self) -> Any:
        """A strategic meeting of cell A that pia, a participant at no case's table, attended: she
        sits at the strategic table, which reads the statistics."""
        from meetings.services import meetings as meeting_services

        _, coordinator = self.profiles, self.members["coordinator"]
        meeting = meeting_services.meeting_create(member=coordinator, kind="strategic", title="Strategisch overleg",
                                                  starts_at=timezone.now() - datetime.timedelta(days=30))  # fmt: skip
        meeting = meeting_services.meeting_advance(
            member=coordinator, meeting=meeting, other_day_confirmed=True
        )
        meeting_services.attendance_record(member=coordinator, meeting=meeting, participant=self.profiles["pia"],
                                           status="present")  # fmt: skip
        return meeting_services.meeting_advance(member=coordinator, meeting=meeting)  # held

    @cached_property
    def notification(self) -> Any:
        """A notification of alice's in cell A (in the app only), pointing to the referrals."""
        from livc.notifications.models import Delivery, Notification

        return Notification.objects.create(cell=self.cast.cell_a, user=self.cast.alice, kind="urgent_referral",
                                           path="/c/alfa/referrals/", delivery=Delivery.IN_APP)  # fmt: skip

    # --- DPO ------------------------------------------------------------------------------------

    @cached_property
    def breach(self) -> Any:
        from dpo.services import breach_create

        data = {"discovered_at": timezone.now() - datetime.timedelta(hours=1), "description": "x",
                "data_concerned": "y"}  # fmt: skip
        return breach_create(cell=self.cast.cell_a, recorded_by=self.cast.dpo, data=data)

    @cached_property
    def access_request(self) -> Any:
        """A request for access about the case's person (bob's item and the case asked about), open."""
        from dpo.access_requests import request_record

        _ = self.item
        return request_record(member=self.members["dpo"], first_name="Tom", last_name="Testeling",
                              birth_date=datetime.date(1999, 1, 2), language="nl", identity_check="Identiteitskaart.",
                              received_on=timezone.localdate())  # fmt: skip

    @cached_property
    def access_request_answered(self) -> Any:
        """A request for access about nobody the cell holds, answered: its letter can be downloaded."""
        from dpo.access_requests import request_answer, request_record

        nobody = request_record(member=self.members["dpo"], first_name="Nora", last_name="Niemand",
                                birth_date=datetime.date(1990, 5, 6), language="fr", identity_check="Carte d'identité.",
                                received_on=timezone.localdate())  # fmt: skip
        return request_answer(member=self.members["dpo"], request=nobody)

    @cached_property
    def access_question(self) -> Any:
        """bob's question about his item, in `access_request`."""
        from dpo.models import ExceptionQuestion

        return ExceptionQuestion.objects.get(details__request=self.access_request, item=self.item)


def _case(world: World) -> dict[str, Any]:
    return {"pk": world.case.pk}


def _referral(world: World) -> dict[str, Any]:
    return {"pk": world.referral.pk}


def _meeting(world: World) -> dict[str, Any]:
    return {"pk": world.meeting.pk}


def _finalised(world: World) -> dict[str, Any]:
    return {"pk": world.finalised_meeting.pk}


# URL arguments beyond the cell, per URL name. A URL that needs an object names it here.
URL_KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "participants:organisation_edit": lambda w: {"pk": w.organisation.pk},
    "participants:participant_edit": lambda w: {"pk": w.profiles["participant"].pk},
    "participants:participant_revoke": lambda w: {"pk": w.profiles["participant"].pk},
    "participants:invitation_detail": lambda w: {"pk": w.invitation.pk},
    "participants:invitation_edit": lambda w: {"pk": w.invitation.pk},
    "participants:invitation_action": lambda w: {"pk": w.invitation.pk, "action": "propose"},
    "participants:invitation_reject": lambda w: {"pk": w.invitation_proposed.pk},
    "participants:rules_detail": lambda w: {"pk": w.rules.pk},
    "participants:rules_approve": lambda w: {"pk": w.rules.pk},
    "cases:detail": _case,
    "cases:status": _case,
    "cases:close": _case,
    "cases:review": _case,
    "cases:table": _case,
    "cases:unseat": lambda w: {"pk": w.case.pk, "seat_pk": w.seat.pk},
    "cases:invite": _case,
    "cases:item_new": _case,
    "cases:item_withdraw": lambda w: {"pk": w.case.pk, "item_pk": w.item.pk},
    "cases:identity": _case,
    "cases:identity_request": _case,
    "cases:relation_new": _case,
    "cases:relation_delete": lambda w: {"pk": w.case.pk, "relation_pk": w.relation.pk},
    "cases:informing": _case,
    "cases:item_use_answer": lambda w: {"pk": w.case.pk, "use_pk": w.item_use.pk},
    "cases:item_use_shared": lambda w: {"pk": w.case.pk, "use_pk": w.item_use.pk},
    "cases:known_to_service": _case,
    "cases:identity_request_decide": lambda w: {"request_pk": w.identity_request.pk, "decision": "approve"},
    "cases:referral_detail": _referral,
    "cases:referral_qualify": _referral,
    "cases:referral_identity": _referral,
    "meetings:detail": _meeting,
    "meetings:edit": _meeting,
    "meetings:agenda": lambda w: {"pk": w.meeting.pk, "change": "topic"},
    "meetings:attendance": lambda w: {"pk": w.meeting.pk, "participant_pk": w.profiles["participant"].pk},
    "meetings:acknowledge": _meeting,
    "meetings:advance": lambda w: {"pk": w.meeting.pk, "step": "end"},
    "meetings:minutes": _meeting,
    "meetings:addendum": lambda w: {"pk": w.finalised_meeting.pk, "item_pk": w.addendum.item_id},
    "meetings:addendum_approve": lambda w: {"pk": w.finalised_meeting.pk, "addendum_pk": w.addendum.pk},
    "meetings:run": _meeting,
    "meetings:item": lambda w: {"pk": w.meeting.pk, "item_pk": w.meeting_item.pk},
    "meetings:minutes_save": lambda w: {"pk": w.meeting.pk, "item_pk": w.meeting_item.pk},
    "meetings:decision_new": lambda w: {"pk": w.meeting.pk, "item_pk": w.meeting_item.pk},
    "meetings:action_new": lambda w: {"pk": w.meeting.pk, "item_pk": w.meeting_item.pk},
    "meetings:decision_step": lambda w: {"pk": w.meeting.pk, "decision_pk": w.decision.pk, "step": "agree"},
    "meetings:pdf_request": _finalised,
    "meetings:stand_in_name": lambda w: {"pk": w.planned_meeting.pk},
    "meetings:stand_in_withdraw": lambda w: {"pk": w.meeting.pk, "stand_in_pk": w.stand_in.pk},
    "meetings:pdf": _finalised,
    "meetings:publish": _meeting,
    "meetings:cancel": _meeting,
    "meetings:calendar": _meeting,
    "meetings:propose_case": _case,
    "meetings:proposal_decide": lambda w: {"pk": w.proposal.pk, "step": "decline"},
    "meetings:proposal_withdraw": lambda w: {"pk": w.proposal.pk},
    "meetings:action_close": lambda w: {"action_pk": w.action.pk},
    "audit:user_accesses": lambda w: {"user_id": w.cast.bob.pk},
    "audit:breach": lambda w: {"pk": w.breach.pk},
    "audit:breach_edit": lambda w: {"pk": w.breach.pk},
    "audit:breach_report_done": lambda w: {"pk": w.breach_report.pk},
    "audit:access_request": lambda w: {"pk": w.access_request.pk},
    "audit:access_request_extend": lambda w: {"pk": w.access_request.pk},
    "audit:access_request_answer": lambda w: {"pk": w.access_request.pk},
    "audit:access_letter": lambda w: {"pk": w.access_request_answered.pk},
    "audit:access_question_answer": lambda w: {"pk": w.access_question.pk},
    "notifications:open": lambda w: {"pk": w.notification.pk},
    "accounts:password_set": lambda w: {"uidb64": "MQ", "token": "not-a-token"},
    "accounts:passkey_rename": lambda w: {"pk": 999_999_999},  # nobody's: each user's own is tested apart
    "accounts:passkey_remove": lambda w: {"pk": 999_999_999},
    "invitation:respond": lambda w: {"token": w.invitation_token},
    "invitation:decline": lambda w: {"token": w.invitation_token},
    "invitation:accept_with_provider": lambda w: {"token": w.invitation_token, "provider": "nowhere"},
    "invitation:accepted_by_provider": lambda w: {"token": w.invitation_token},
    "accounts:oidc_login": lambda w: {"provider": "nowhere"},
    "accounts:oidc_reauth": lambda w: {"provider": "nowhere"},
    "accounts:oidc_callback": lambda w: {"provider": "nowhere"},
}

# Set-up for URLs that need no argument but do need something to exist first (a list with a row).
SETUP: dict[str, Callable[[World], Any]] = {
    "statistics:report": lambda w: w.strategic_meeting,
    "statistics:csv": lambda w: w.strategic_meeting,
    "statistics:pdf": lambda w: w.strategic_meeting,
    "cases:list": lambda w: w.case,
    "cases:referrals": lambda w: w.referral,
    "cases:identity_requests": lambda w: w.identity_request,
    "meetings:list": lambda w: w.meeting,
    "meetings:actions": lambda w: w.action,
    "meetings:proposals": lambda w: w.proposal,
    "meetings:my_proposals": lambda w: w.proposal,
    "participants:invitations": lambda w: w.invitation,
    "participants:approvals": lambda w: w.invitation_proposed,
    "audit:breaches": lambda w: w.breach,
    "audit:access_requests": lambda w: w.access_request,
    "audit:access_questions": lambda w: w.access_question,
    "notifications:list": lambda w: w.notification,
    "cases:my_item_uses": lambda w: (w.rules, w.item_use),  # the meeting needs its rules first
}

# The least a POST needs to reach the view's own checks, where an empty one stops short.
POST_DATA: dict[str, Callable[[World], dict[str, Any]]] = {
    "meetings:stand_in_name": lambda w: {"representative": w.fixed_representative.pk},
    "meetings:addendum_approve": lambda w: {"at_meeting": w.meeting.pk},
}

# Request headers some views need: the item panel is an htmx fragment.
HEADERS: dict[str, dict[str, str]] = {"meetings:item": {"HTTP_HX_REQUEST": "true"}}

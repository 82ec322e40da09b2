"""Valid POSTs of the URLs someone may post to, for `tests/reliability/test_double_submit.py`.

Every URL whose POST the access matrix (`tests/access/matrix.py`) answers "ok" for some part is
named here once: in `CREATES` (a form whose POST adds a row: it carries a one-time token and
its view is `@once_per_submission`), in `STEPS` (a state change or an edit that writes, posted
twice too: the second post writes nothing) or in `NOT_CREATING` (with the reason; the URLs of
`STEPS` are there as well). A key is a URL name, or a URL name and a variant in brackets when one
URL does several things (`meetings:agenda[topic]`).

Each `Post` says who sends it, from which page (the page that shows the form: the URL itself
unless `page` names another), with what data, and which rows the first POST adds (negative:
removes), per model label. The objects are those of `tests/access/builders.py::World`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.db.models import Model
from django.utils import timezone

from tests.access import matrix
from tests.access.builders import World

Build = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Post:
    user: str | None  # who posts: a user of the stage (`tests/access/test_matrix.py::Stage`); None: anonymous
    data: Build  # what the user types or picks; the form's hidden inputs are taken from the page
    rows: dict[str, int]  # model label → rows the first POST adds (negative: removes)
    kwargs: Build | None = None  # the URL's arguments beyond the cell (default: `URL_KWARGS`)
    page: str | None = None  # the URL name of the page showing the form, when not the URL itself
    page_kwargs: Build | None = None  # its arguments (default: `URL_KWARGS`)
    page_query: Callable[[World], str] | None = None  # e.g. "?item=<pk>"
    setup: Callable[[World], Any] | None = None  # what must be so first (in the test's transaction)
    headers: dict[str, str] = field(default_factory=dict)
    state: Callable[[World], Any] | None = None  # what the POST changes, where the audit log does not say
    why: str = ""


def url_name(key: str) -> str:
    return key.split("[", 1)[0]


# --- Counting rows ----------------------------------------------------------------------------------

PROJECT_PACKAGES = ("livc.", "participants.", "cases.", "meetings.", "retention.", "dpo.")
# Not domain rows: the audit log and what it notes of an access, login failures, the outbox's
# messages, the submission tokens themselves, and the data keys that come with a new person,
# item, relation or minutes PDF on its first save (in the key store, `livc.crypto.datakeys`).
NOT_COUNTED = frozenset(
    {
        "audit.LogEntry", "audit.ChainHead", "audit.AccessedCase", "accounts.PasswordFailure", "outbox.Message",
        "crypto.DataKey",
    }
)  # fmt: skip
NOT_COUNTED_APPS = frozenset({"submissions"})
# Rows that record a step of another object: a state change may add them without being a create form
# (a case closed, a meeting held... counts once in the statistics).
# A notification tells someone of a step (an invitation proposed to the mayor, feedback to pass on).
EVENT_MODELS = frozenset(
    {"participants.InvitationEvent", "statistics.StatEvent", "notifications.Notification"}
)


def counted_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith(PROJECT_PACKAGES)
        and model._meta.label not in NOT_COUNTED
        and model._meta.app_label not in NOT_COUNTED_APPS
        and not model._meta.proxy
    ]


def snapshot() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in counted_models()}


def difference(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {label: after[label] - before[label] for label in after if after[label] != before[label]}


def audit_writes() -> int:
    """Entries of the audit log that record a change or an event (not an access)."""
    from livc.audit.models import LogAction, LogEntry

    return LogEntry.objects.exclude(action=LogAction.ACCESS).count()


# --- The forms of a page -------------------------------------------------------------------------------


@dataclass
class Form:
    action: str  # the path the form posts to
    hidden: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            self.current = Form(urlsplit(attributes.get("action", "")).path or self.page_path)
            self.forms.append(self.current)
        elif tag == "input" and self.current is not None and attributes.get("type") == "hidden":
            self.current.hidden.setdefault(attributes.get("name", ""), attributes.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None


TOKEN_FIELD = "submission_token"
NOT_THE_FORMS_OWN = frozenset({"csrfmiddlewaretoken", TOKEN_FIELD})


def form_posting_to(html: str, page_path: str, path: str, data: dict[str, Any]) -> Form | None:
    """The first form of the page that posts to `path` and whose hidden inputs agree with `data`
    (a page may hold several forms to one address: agree and disagree, informed and deferred)."""
    parser = _FormParser(page_path)
    parser.feed(html)
    for form in parser.forms:
        if form.action != path:
            continue
        if all(str(data[name]) == value for name, value in form.hidden.items()
               if name in data and name not in NOT_THE_FORMS_OWN):  # fmt: skip
            return form
    return None


# --- The URLs someone may post to -----------------------------------------------------------------


def posted_urls() -> set[str]:
    """URL names whose POST the matrix answers "ok" for some part (the admin is not declared there)."""
    names = set()
    for name, declared in matrix.DECLARED.items():
        if isinstance(declared, matrix.Open):
            answers = {declared.post_anonymous or declared.anonymous, declared.post_user or declared.user}
        else:
            answers = {*declared.answers("POST").values(), *declared.overrides.values()}
        if "ok" in answers:
            names.add(name)
    return names


# --- The data ------------------------------------------------------------------------------------------


def _day(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _moment(hours: int = 0) -> str:
    return (timezone.localtime() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def _invitation(w: World) -> dict[str, Any]:
    return {"name": "Nora Nieuw", "email": "nora@example.test", "organisation": w.organisation.pk,
            "function": "Consulent", "kind": "professional", "motivation": "Kent de jongeren van de buurt.",
            "language": "nl"}  # fmt: skip


def _run_item(w: World) -> str:
    return f"?item={w.meeting_item.pk}"


def _item(w: World) -> dict[str, Any]:
    return {"pk": w.meeting.pk, "item_pk": w.meeting_item.pk}


def _new_rules_in_force(w: World) -> None:
    """Rules of procedure of a new version in force: every member acknowledges the secrecy again."""
    from participants.rules import rules_approve

    rules_approve(member=w.members["mayor"], rules=w.rules_draft)


def _planned_meeting_started(w: World) -> None:
    from meetings.services.meetings import meeting_start

    meeting_start(member=w.members["coordinator"], meeting=w.planned_meeting)


def _bob_consents_to_the_share(w: World) -> None:
    from cases.services.uses import use_answer

    use_answer(member=w.members["participant"], use=w.item_use, consent=True)


def _access_questions_answered(w: World) -> None:
    """Every question of the request for access answered, so that the DPO may answer it."""
    from dpo.access_requests import question_answer
    from dpo.models import ExceptionQuestion

    for question in ExceptionQuestion.objects.filter(details__request=w.access_request, applies__isnull=True):
        question_answer(member=question.asked, question=question, applies=False)


def _access_request_status(w: World) -> Any:
    from dpo.models import AccessRequest

    return AccessRequest.objects.get(pk=w.access_request.pk).status


def _notification_choices(w: World) -> dict[str, str]:
    """Alice's choice for every kind her role receives: all as they are (by e-mail), but one."""
    from livc.notifications.selectors import relevant_kinds

    return {
        kind: "digest" if kind == "urgent_referral" else "email" for kind in relevant_kinds(user=w.cast.alice)
    }


def _no_proposal_waits(w: World) -> None:
    from meetings.services.proposals import proposal_withdraw

    proposal_withdraw(member=w.members["participant"], proposal=w.proposal)


def _case_on_the_planned_meeting(w: World) -> None:
    from meetings.services.meetings import agenda_add_case

    agenda_add_case(member=w.members["coordinator"], meeting=w.planned_meeting, case=w.case)


def _no_pdf_for_bob(w: World) -> None:
    from meetings.models import MinutesDocument

    MinutesDocument.objects.filter(meeting=w.finalised_meeting, recipient=w.cast.bob).delete()


# Forms whose POST adds a row. "ok" for the user who sends it, from the page that shows it.
CREATES: dict[str, Post] = {
    "participants:organisations": Post("alice", lambda w: {"name": "CLB Beta", "type": "clb"},
                                       {"participants.Organisation": 1}),
    "participants:invitation_new": Post("alice", _invitation,
                                        {"participants.Invitation": 1, "participants.InvitationEvent": 1}),
    "participants:rules_edit": Post(
        "alice", lambda w: {"text": "Regels, versie 2."}, {"participants.RulesOfProcedure": 1},
        why="the first save of the next version makes its draft; a later one changes the draft",
    ),
    "participants:acknowledge": Post("pia", lambda w: {"acknowledge": "on"},
                                     {"participants.ConfidentialityAcknowledgement": 1}, setup=_new_rules_in_force),
    "invitation:respond": Post(
        None,
        lambda w: {"name": "Ilse Uitgenodigd", "password1": "een lang en goed wachtwoord",
                   "password2": "een lang en goed wachtwoord", "acknowledge": "on"},
        {"accounts.User": 1, "cells.Membership": 1, "participants.Participant": 1,
         "participants.ConfidentialityAcknowledgement": 1, "participants.InvitationEvent": 1},
    ),
    "audit:breach_report": Post("bob", lambda w: {"description": "Een map lag in de trein.",
                                                 "discovered_at": _moment(-1)}, {"dpo.Breach": 1}),
    "audit:breach_new": Post("dpo", lambda w: {"discovered_at": _moment(-2), "description": "Mail aan verkeerd adres.",
                                               "data_concerned": "Een naam.", "authority": ""}, {"dpo.Breach": 1}),
    "audit:access_request_new": Post(
        "dpo",
        lambda w: {"first_name": "Nora", "last_name": "Niemand", "birth_date": "1990-05-06", "language": "fr",
                   "identity_check": "Copie de la carte d'identité.", "received_on": _day(-1)},
        {"dpo.AccessRequest": 1, "dpo.AccessRequestDetails": 1},
        why="a request about nobody the cell holds: nobody is asked",
    ),
    "audit:thresholds": Post(
        "dpo",
        lambda w: {"burst_objects": 30, "burst_minutes": 10, "office_hours_start": 8, "office_hours_end": 18,
                   "exports_per_day": 5},
        {"dpo.AuditSettings": 1},
        why="the cell's one row of thresholds, made by its first save",
    ),
    "audit:chain_extend": Post(
        "dpo", lambda w: {}, {"audit.ChainVerification": 1, "audit.ChainCheckpoint": 1}, page="audit:home",
        why="seals the waiting entries, verifies them and records the run and its checkpoint",
    ),
    "audit:chain_verify_full": Post("dpo", lambda w: {}, {"audit.ChainVerification": 1}, page="audit:home",
                                    why="the run asked for, waiting for its task (in the outbox)"),
    "accounts:notifications": Post("alice", _notification_choices, {"notifications.Preference": 1},
                                   why="a choice is kept as a row once it differs from the default"),
    "retention:settings": Post("alice", lambda w: {"not_retained_days": 150, "warning_days": 20},
                               {"retention.RetentionSettings": 1},
                               why="the cell's one row of periods, made by its first save"),
    # Cases.
    "cases:referral_new": Post(
        "bob",
        lambda w: {"pseudonym": "Persoon Wilg", "referred_on": _day(-1), "signals": "Deelt haatfilmpjes.",
                   "urgency": "normal", "discussed_internally": "on"},
        {"cases.Referral": 1, "cases.Subject": 1, "statistics.StatEvent": 1},
    ),
    "cases:referral_qualify": Post(
        "alice",
        lambda w: {"outcome": "retained", "aim_signals": "Radicalisering richting geweld.", "seat_referrer": "on"},
        {"cases.Case": 1, "cases.Seat": 1, "cases.CaseUserObjectPermission": 1,
         "statistics.StatEvent": 2,  # qualified, and a case opened
         "notifications.Notification": 1},  # bob, the referrer, is told the outcome
        page="cases:referral_detail",
    ),
    "cases:table": Post("alice", lambda w: {"participant": w.profiles["pia"].pk},
                        {"cases.Seat": 1, "cases.CaseUserObjectPermission": 1}),
    "cases:invite": Post("alice", _invitation, {"participants.Invitation": 1, "participants.InvitationEvent": 2,
                                                "cases.CaseInvitation": 1,
                                                "notifications.Notification": 1}),  # the mayor is told
    "cases:item_new": Post(
        "bob",
        lambda w: {"category": "identification", "text": "Woont bij zijn tante.", "shared_on": _day(),
                   "consent": "on"},
        {"cases.InformationItem": 1},
    ),
    "cases:identity_request": Post("bob", lambda w: {"first_name": "Tom", "reason": "Nodig aan tafel."},
                                   {"cases.IdentityRequest": 1}),
    "cases:relation_new": Post("alice", lambda w: {"kind": "parent", "name": "Ouder Twee"},
                               {"cases.Relation": 1}),
    "cases:informing": Post("officer", lambda w: {"kind": "deferred", "deferral_reason": "Lopend onderzoek.",
                                                  "review_on": _day(30)}, {"cases.InformingEntry": 1}),
    "cases:known_to_service": Post("bob", lambda w: {"answer": "known"}, {"cases.KnownToService": 1},
                                   page="cases:detail", why="her first answer; a later one changes it"),
    # Meetings.
    "meetings:new": Post("alice", lambda w: {"kind": "operational", "title": "Volgend overleg",
                                             "starts_at": _moment(24 * 7)}, {"meetings.Meeting": 1}),
    "meetings:agenda[topic]": Post("alice", lambda w: {"topic": "Werking van de cel"}, {"meetings.AgendaItem": 1},
                                   kwargs=lambda w: {"pk": w.meeting.pk, "change": "topic"}, page="meetings:detail",
                                   page_kwargs=lambda w: {"pk": w.meeting.pk}),
    "meetings:agenda[review]": Post("alice", lambda w: {}, {"meetings.AgendaItem": 1},
                                    kwargs=lambda w: {"pk": w.meeting.pk, "change": "review"},
                                    page="meetings:detail", page_kwargs=lambda w: {"pk": w.meeting.pk}),
    "meetings:agenda[case]": Post("alice", lambda w: {"case": w.case.pk}, {"meetings.AgendaItem": 1},
                                  kwargs=lambda w: {"pk": w.planned_meeting.pk, "change": "case"},
                                  page="meetings:detail", page_kwargs=lambda w: {"pk": w.planned_meeting.pk}),
    "meetings:attendance": Post(
        "alice",
        lambda w: {"status": "present"},
        {"meetings.Attendance": 1},
        kwargs=lambda w: {"pk": w.planned_meeting.pk, "participant_pk": w.profiles["participant"].pk},
        page="meetings:detail",
        page_kwargs=lambda w: {"pk": w.planned_meeting.pk},
        why="the first attendance of a participant at a meeting; a later one changes it",
    ),
    "meetings:acknowledge": Post(
        "bob", lambda w: {"acknowledge": "on"}, {"meetings.Attendance": 1}, setup=_planned_meeting_started,
        kwargs=lambda w: {"pk": w.planned_meeting.pk}, page="meetings:detail",
        page_kwargs=lambda w: {"pk": w.planned_meeting.pk},
        why="acknowledging before the coordinator recorded the attendance records it, present",
    ),
    "meetings:decision_new": Post("alice", lambda w: {"kind": "follow_up_plan", "text": "Begeleiding door CLB."},
                                  {"meetings.Decision": 1}, kwargs=_item, page="meetings:run",
                                  page_kwargs=lambda w: {"pk": w.meeting.pk}, page_query=_run_item),
    "meetings:action_new": Post(
        "alice",
        lambda w: {"description": "Gesprek met de school.", "owner": w.profiles["participant"].pk,
                   "due_on": _day(14)},
        {"meetings.Action": 1}, kwargs=_item, page="meetings:run", page_kwargs=lambda w: {"pk": w.meeting.pk},
        page_query=_run_item,
    ),
    "meetings:decision_step[agree]": Post(
        "alice",
        lambda w: {"participant": w.profiles["participant"].pk, "agrees": "yes"},
        {"meetings.Agreement": 1},
        kwargs=lambda w: {"pk": w.meeting.pk, "decision_pk": w.decision.pk, "step": "agree"},
        page="meetings:run", page_kwargs=lambda w: {"pk": w.meeting.pk}, page_query=_run_item,
        why="the coordinator records a present participant's agreement",
    ),
    "meetings:addendum": Post(
        "alice", lambda w: {"text": "Lees: dinsdag."}, {"meetings.Addendum": 1},
        kwargs=lambda w: {"pk": w.finalised_meeting.pk, "item_pk": w.finalised_meeting.items.get(case=w.case).pk},
        page="meetings:minutes", page_kwargs=lambda w: {"pk": w.finalised_meeting.pk},
    ),
    "meetings:stand_in_name": Post(
        "alice", lambda w: {"representative": w.fixed_representative.pk}, {"meetings.StandIn": 1},
        page="meetings:detail", page_kwargs=lambda w: {"pk": w.planned_meeting.pk},
        why="the substitute stands in at the planned meeting (the representative sits at no table: no grant)",
    ),
    "meetings:pdf_request": Post(
        "bob", lambda w: {}, {"meetings.MinutesDocument": 1}, setup=_no_pdf_for_bob,
        page="meetings:detail", page_kwargs=lambda w: {"pk": w.finalised_meeting.pk},
        why="a member's first copy of the minutes; asking again makes the same copy anew",
    ),
    "meetings:propose_case": Post("bob", lambda w: {"reason": "Nieuwe signalen van de school."},
                                  {"meetings.AgendaProposal": 1}, setup=_no_proposal_waits,
                                  why="the case waits once: bob withdrew the proposal of it that waited"),
    "meetings:propose_topic": Post(
        "bob", lambda w: {"topic": "Samenwerking met de jeugdhulp", "reason": "Wie volgt op na de tafel?"},
        {"meetings.AgendaProposal": 1},
    ),
    "meetings:proposal_decide[accept]": Post(
        "alice", lambda w: {"meeting": w.planned_meeting.pk}, {"meetings.AgendaItem": 1},
        kwargs=lambda w: {"pk": w.proposal.pk, "step": "accept"}, page="meetings:proposals",
        why="bob's proposal goes on the planned meeting's agenda: one item; declining it adds nothing",
    ),
}  # fmt: skip


# State changes and edits that write, posted twice with the same token: the second writes nothing.
STEPS: dict[str, Post] = {
    "participants:participant_revoke": Post(
        "alice", lambda w: {"reason": "Vertrokken bij de dienst."}, {},
        kwargs=lambda w: {"pk": w.profiles["pia"].pk}, page="participants:participant_edit",
        page_kwargs=lambda w: {"pk": w.profiles["pia"].pk},
    ),
    "participants:invitation_action[propose]": Post(
        "alice", lambda w: {}, {"participants.InvitationEvent": 1, "notifications.Notification": 1},
        kwargs=lambda w: {"pk": w.invitation.pk, "action": "propose"}, page="participants:invitation_detail",
        page_kwargs=lambda w: {"pk": w.invitation.pk},
    ),
    "participants:invitation_action[resend]": Post(
        "alice", lambda w: {}, {"participants.InvitationEvent": 1},
        kwargs=lambda w: {"pk": w.invitation_proposed.pk, "action": "resend"},
        page="participants:invitation_detail", page_kwargs=lambda w: {"pk": w.invitation_proposed.pk},
    ),
    "participants:invitation_action[withdraw]": Post(
        "alice", lambda w: {}, {"participants.InvitationEvent": 1},
        kwargs=lambda w: {"pk": w.invitation_proposed.pk, "action": "withdraw"},
        page="participants:invitation_detail", page_kwargs=lambda w: {"pk": w.invitation_proposed.pk},
    ),
    "participants:invitation_action[approve]": Post(
        "mayor", lambda w: {"from": "approvals"}, {"participants.InvitationEvent": 1},
        kwargs=lambda w: {"pk": w.invitation_waiting.pk, "action": "approve"}, page="participants:approvals",
    ),
    "participants:invitation_reject": Post(
        "mayor", lambda w: {"reason": "Geen band met de cel."}, {"participants.InvitationEvent": 1},
        kwargs=lambda w: {"pk": w.invitation_waiting.pk}, page="participants:approvals",
    ),
    "participants:invitation_edit": Post("alice", lambda w: {**_invitation(w), "name": "Nora Anders"},
                                         {"participants.InvitationEvent": 1},
                                         page_kwargs=lambda w: {"pk": w.invitation.pk}),
    "participants:rules_approve": Post("mayor", lambda w: {}, {}, kwargs=lambda w: {"pk": w.rules_draft.pk},
                                       page="participants:rules"),
    "participants:organisation_edit": Post("alice", lambda w: {"name": "CLB Alfa-Oost", "type": "clb"}, {}),
    "participants:participant_edit": Post("alice", lambda w: {"function": "Teamleider", "kind": "professional"}, {}),
    "invitation:decline": Post(None, lambda w: {"motivation": "Geen tijd."}, {"participants.InvitationEvent": 1}),
    # Cases.
    "cases:status": Post("alice", lambda w: {"status": "follow_up"}, {}, page="cases:detail"),
    "cases:close": Post("alice", lambda w: {"reason": "Opvolging afgerond."}, {"statistics.StatEvent": 1}),
    "cases:review": Post("alice", lambda w: {"review_on": _day(60)}, {}, page="cases:detail",
                         state=lambda w: type(w.case).objects.get(pk=w.case.pk).review_on),
    "cases:unseat": Post("alice", lambda w: {}, {"cases.Seat": -1, "cases.CaseUserObjectPermission": -1}),
    "cases:item_withdraw": Post("bob", lambda w: {}, {}),
    "cases:item_use_answer": Post("bob", lambda w: {"consent": "yes"}, {}, page="cases:detail"),
    "cases:item_use_shared": Post("alice", lambda w: {}, {}, page="cases:detail", setup=_bob_consents_to_the_share),
    "cases:relation_delete": Post("alice", lambda w: {}, {"cases.Relation": -1}),
    "cases:identity": Post("alice", lambda w: {"first_name": "Tom", "last_name": "Testeling"}, {}),
    "cases:identity_request_decide": Post("alice", lambda w: {}, {}, page="cases:identity_requests"),
    "cases:referral_identity": Post("alice", lambda w: {"first_name": "Lies", "last_name": "Anders"}, {}),
    # Meetings.
    "meetings:edit": Post("alice", lambda w: {"title": "Gepland overleg (verplaatst)", "starts_at": _moment(2)}, {},
                          kwargs=lambda w: {"pk": w.planned_meeting.pk}),
    "meetings:advance[start]": Post("alice", lambda w: {}, {},
                                    kwargs=lambda w: {"pk": w.planned_meeting.pk, "step": "start"},
                                    page="meetings:detail", page_kwargs=lambda w: {"pk": w.planned_meeting.pk}),
    "meetings:advance[end]": Post("alice", lambda w: {}, {"statistics.StatEvent": 1}, page="meetings:detail"),
    "meetings:addendum_approve": Post("alice", lambda w: {"at_meeting": w.planned_meeting.pk}, {},
                                      page="meetings:minutes",
                                      page_kwargs=lambda w: {"pk": w.finalised_meeting.pk}),
    "meetings:minutes_save": Post(
        "alice", lambda w: {"signals": "Signalen besproken.", "assessment": "", "agreements": "Opvolgen."}, {},
        page="meetings:run", page_kwargs=lambda w: {"pk": w.meeting.pk}, page_query=_run_item,
        headers={"HTTP_HX_REQUEST": "true"},
        why="the minutes as typed, saved by the page's script (htmx)",
    ),
    "meetings:action_close": Post("bob", lambda w: {"status": "done"}, {}, page="meetings:actions"),
    "meetings:stand_in_withdraw": Post("alice", lambda w: {}, {}, page="meetings:detail",
                                       page_kwargs=lambda w: {"pk": w.meeting.pk}),
    "meetings:publish": Post(
        "alice", lambda w: {}, {"notifications.Notification": 5}, setup=_case_on_the_planned_meeting,
        kwargs=lambda w: {"pk": w.planned_meeting.pk}, page="meetings:detail",
        page_kwargs=lambda w: {"pk": w.planned_meeting.pk},
        why="those invited are told: the cell-wide roles, and bob and dries, seated at the case on its agenda",
    ),
    "meetings:cancel": Post("alice", lambda w: {}, {}, kwargs=lambda w: {"pk": w.planned_meeting.pk}),
    "meetings:proposal_withdraw": Post("bob", lambda w: {}, {}, page="meetings:my_proposals"),
    "notifications:read": Post("alice", lambda w: {}, {}, page="notifications:list",
                               setup=lambda w: w.notification,
                               state=lambda w: type(w.notification).objects.get(pk=w.notification.pk).read_at),
    "audit:access_request_extend": Post("dpo", lambda w: {"reason": "Veel diensten te bevragen."}, {},
                                        page="audit:access_request"),
    "audit:access_request_answer": Post("dpo", lambda w: {}, {}, page="audit:access_request",
                                        setup=_access_questions_answered, state=_access_request_status),
    "audit:access_question_answer": Post(
        "bob", lambda w: {f"q-{w.access_question.pk}-applies": "no"}, {}, page="audit:access_questions"
    ),
    "audit:breach_edit": Post(
        "dpo",
        lambda w: {"discovered_at": _moment(-1), "description": "x", "data_concerned": "y",
                   "measures": "Adres verbeterd.", "authority": ""},
        {},
    ),
}  # fmt: skip


# Every other URL someone may post to, and why its POST adds no row.
_PAGE = "a page: its POST shows it as a GET would, and changes nothing"
NOT_CREATING: dict[str, str] = {
    "root": "a redirect to the cell picker",
    "cells:pick": _PAGE,
    "cells:home": _PAGE,
    "accounts:login": "logging in: a session, not a row of the project's (axes and the audit log note it)",
    "accounts:verify": "the second factor: marks the session verified",
    "accounts:setup": "confirms the authenticator being set up and renews the backup codes (django-otp's rows)",
    "accounts:session_renew": "renews the session",
    "accounts:security": "new backup codes replace the old ones (django-otp's rows): sending it again "
    "replaces them again, which is what the button says",
    "accounts:confirm_password": "marks the session's password as given again",
    "accounts:language": "stores the chosen language on the user",
    "accounts:password_set": "sets the password; the link stops working once it is used",
    # Passkeys: each ceremony's "begin" keeps a challenge in the session, its "complete" takes the
    # challenge out before it checks the answer: sent again, it finds the challenge spent.
    "accounts:passkey_login_begin": "a passkey ceremony's options: a challenge kept in the session",
    "accounts:passkey_login_complete": "logging in with a passkey: a session (the passkey's last use is "
    "noted on its row); sent again, the challenge is spent",
    "accounts:passkey_verify_begin": "a passkey ceremony's options: a challenge kept in the session",
    "accounts:passkey_verify_complete": "the second factor with a passkey: marks the session verified",
    "accounts:passkey_confirm_begin": "a passkey ceremony's options: a challenge kept in the session",
    "accounts:passkey_confirm_complete": "marks the session's confirmation as given again",
    "accounts:passkey_setup_done": "shows the backup codes made with a first passkey once; then the "
    "security page",
    "accounts:passkey_remove": "removes a passkey (a row of django-otp-webauthn's); sent again, it says "
    "the passkey is already gone",
    "participants:rules": _PAGE,
    "participants:rules_detail": _PAGE,
    "participants:participants": _PAGE,
    "participants:invitations": _PAGE,
    "participants:invitation_detail": _PAGE,
    "participants:approvals": _PAGE,
    "audit:breach_report_done": _PAGE,
    "cases:list": _PAGE,
    "cases:search": "a search: by a person's name and date of birth it is sent by POST, so that they stay out "
    "of the address and the server's logs; it writes only the audit event that notes the search",
    "cases:detail": _PAGE,
    "cases:identity_requests": _PAGE,
    "cases:my_item_uses": _PAGE,
    "cases:referrals": _PAGE,
    "cases:referral_detail": _PAGE,
    "meetings:list": _PAGE,
    "meetings:detail": _PAGE,
    "meetings:minutes": _PAGE,
    "meetings:run": _PAGE,
    "meetings:item": "an htmx fragment: its POST shows it as a GET would",
    "meetings:pdf": "the download of one's PDF: its POST downloads it as a GET would",
    "meetings:actions": _PAGE,
    "meetings:proposals": _PAGE,
    "meetings:my_proposals": _PAGE,
    "audit:home": _PAGE,
    "audit:log": _PAGE,
    "audit:log_csv": "an export: its POST exports as a GET would (the audit log notes it)",
    "audit:log_pdf": "an export: its POST exports as a GET would (the audit log notes it)",
    "audit:user_accesses": _PAGE,
    "audit:object_accesses": _PAGE,
    "audit:minutes_copy": _PAGE,
    "audit:item_uses": _PAGE,
    "audit:people": _PAGE,
    "audit:people_pdf": "an export: its POST exports as a GET would (the audit log notes it)",
    "statistics:report": _PAGE,
    "statistics:csv": "a download of counts: its POST answers as a GET would, and changes nothing",
    "statistics:pdf": "a download of counts: its POST answers as a GET would, and changes nothing",
    "audit:unusual": _PAGE,
    "audit:breaches": _PAGE,
    "audit:breach": _PAGE,
    "notifications:list": _PAGE,
    # State changes and edits, posted twice in `STEPS`.
    "participants:participant_revoke": "ends a participant's access; a second time is refused",
    "participants:invitation_action": "proposes, withdraws, sends again or approves an invitation (an event)",
    "participants:invitation_reject": "rejects an invitation (an event); a second time is refused",
    "participants:invitation_edit": "changes a draft invitation",
    "participants:rules_approve": "puts a draft in force; a second time is refused",
    "participants:organisation_edit": "changes an organisation",
    "participants:participant_edit": "changes a participant's function and seat",
    "invitation:decline": "the invitee declines (an event); the link stops working once it is used",
    "cases:status": "changes the case's status",
    "cases:close": "closes the case",
    "cases:review": "sets the review date",
    "cases:unseat": "removes someone from the table (a row fewer)",
    "cases:item_withdraw": "erases one's information",
    "cases:item_use_answer": "the owner's answer to a use of her item; the same answer again changes nothing",
    "cases:item_use_shared": "records that an item was shared with the partner; recorded again, nothing changes",
    "cases:relation_delete": "removes a relation (a row fewer)",
    "cases:identity": "records the subject's identity on its row",
    "cases:identity_request_decide": "decides a request; a second time is refused",
    "cases:referral_identity": "records the identity of a referral's subject on its row",
    "meetings:edit": "changes a planned meeting",
    "meetings:advance": "starts, ends or finalises a meeting",
    "meetings:addendum_approve": "approves a correction at a later meeting",
    "meetings:minutes_save": "saves the minutes of an item, with the version it started from",
    "meetings:action_close": "closes an action",
    "meetings:stand_in_withdraw": "ends a substitute's stand-in (kept on record); a second time is refused",
    "meetings:publish": "publishes a planned meeting's agenda and tells those invited (notifications)",
    "meetings:cancel": "cancels a planned meeting; a second time is refused",
    "meetings:proposal_withdraw": "withdraws one's waiting proposal; a second time is refused",
    "notifications:read": "marks one's notifications read; a second time none is left unread",
    "audit:breach_edit": "changes an entry of the breach register",
    "audit:access_request_extend": "extends a request's deadline; a second time is refused",
    "audit:access_request_answer": "answers a request; a second time is refused",
    "audit:access_question_answer": "a member's answer to a question about a request for access, which "
    "they may change until the request is answered",
}

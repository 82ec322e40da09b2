"""The declared access matrix: for every URL name, who gets which answer, for a GET and a POST.

A new URL must be declared here, or `tests/access/test_matrix.py::test_every_url_is_declared`
fails. A URL under `/c/<cell>/` is declared with `Cell(get=..., post=...)`; each side is a
short sentence of parts of cell A, each part getting the answer written before it ("ok" until
another answer is named):

    Cell(get="coordinator mayor officer seated", post="coordinator 403: mayor officer seated")

reads: a GET is answered (ok) for the coordinator, the mayor, the information officer and bob
(seated at the case); everyone else of the cell gets 404. A POST is answered for the
coordinator; the mayor, the officer and bob get 403; the others 404.

The parts: coordinator, mayor, officer, dpo, seated (bob, and dries under cell A's address),
unseated (pia, a participant of cell A at no table). Groups: `cellwide` = coordinator mayor
officer (they see every case), `readers` = cellwide + seated, `all` = every part.
The answers: ok (anything but 404, 403, 401, 405, a redirect to the login or to the
acknowledgement page, and never 500), 404, 403, 405, login. Everything else follows from the
part:

- anonymous: login (a `Cell` may say otherwise with `anonymous=`);
- logged in without a membership, and any member of cell B under cell A's address: 404;
- a member of cell B under cell B's address, with cell A's object ids in the URL: 404;
  without object ids (a list, a form), the answer of their part in their own cell (charlie
  as coordinator, bert and dries as unseated participants);
- dries under cell A's address: as bob (seated).

A URL outside the cells is declared with `Open(anonymous=..., user=...)` (one answer for
everyone logged in, with a verified second factor), GET and POST alike unless `post_*` says
otherwise. The admin namespace is declared as a whole (`admin_expected`); static files and
media are served outside the URL list, and no debug URL is installed.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

PARTS = ("coordinator", "mayor", "officer", "dpo", "seated", "unseated")
GROUPS = {
    "cellwide": ("coordinator", "mayor", "officer"),
    "readers": ("coordinator", "mayor", "officer", "seated"),
    "all": PARTS,
}
ANSWERS = ("ok", "404", "403", "405", "login", "401", "verify")
# URL arguments that choose a step or a change rather than name an object.
NOT_OBJECTS = frozenset({"cell_slug", "action", "change", "step", "decision"})


def parse(sentence: str) -> dict[str, str]:
    answers: dict[str, str] = {}
    current = "ok"
    for word in sentence.split():
        if word.endswith(":"):
            current = word[:-1]
            assert current in ANSWERS, f"unknown answer {current!r} in {sentence!r}"
            continue
        parts = GROUPS.get(word, (word,))
        for part in parts:
            assert part in PARTS, f"unknown part {part!r} in {sentence!r}"
            answers[part] = current
    return answers


@dataclass(frozen=True)
class Cell:
    get: str
    post: str
    anonymous: str = "login"
    # Kinds that answer otherwise than their part, by "user@address" (e.g. "dries@a": bob
    # referred the referral and owns the item, dries only sits at the case's table).
    overrides: dict[str, str] = field(default_factory=dict)
    why: str = ""

    def answers(self, method: str) -> dict[str, str]:
        return parse(self.get if method == "GET" else self.post)


@dataclass(frozen=True)
class Open:
    anonymous: str
    user: str
    post_anonymous: str | None = None
    post_user: str | None = None
    why: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    user: str | None  # a key of the stage's sessions; None for anonymous
    address: str  # "a" or "b": the cell in the URL
    part: str  # the declared part this kind of user is, in the cell of the address
    blind: bool = field(default=False)  # may never see cell A's case, whatever the answer


KINDS = (
    Kind("anonymous", None, "a", "anonymous", blind=True),
    Kind("no membership", "stranger", "a", "stranger", blind=True),
    Kind("coordinator A", "alice", "a", "coordinator"),
    Kind("mayor A", "mayor", "a", "mayor"),
    Kind("officer A", "officer", "a", "officer"),
    Kind("DPO A", "dpo", "a", "dpo"),
    Kind("participant A seated (bob)", "bob", "a", "seated"),
    Kind("participant A not seated (pia)", "pia", "a", "unseated", blind=True),
    Kind("two cells, at A (dries)", "dries", "a", "seated"),
    Kind("two cells, at B with A's ids (dries)", "dries", "b", "unseated", blind=True),
    Kind("coordinator B at A (charlie)", "charlie", "a", "outsider", blind=True),
    Kind("coordinator B at B with A's ids (charlie)", "charlie", "b", "coordinator", blind=True),
    Kind("participant B at A (bert)", "bert", "a", "outsider", blind=True),
    Kind("participant B at B with A's ids (bert)", "bert", "b", "unseated", blind=True),
)


def expected(name: str, kind: Kind, method: str) -> str:
    declared = DECLARED[name]
    if isinstance(declared, Open):
        if kind.user is None:
            return (method == "POST" and declared.post_anonymous) or declared.anonymous
        return (method == "POST" and declared.post_user) or declared.user
    if kind.user is None:
        return declared.anonymous
    if kind.part in ("stranger", "outsider"):
        return "404"
    answers = declared.answers(method)
    if f"{kind.user}@{kind.address}" in declared.overrides:
        return declared.overrides[f"{kind.user}@{kind.address}"]
    if kind.address == "b" and has_objects(name):
        # Another cell's object does not exist here; a method no one may use is refused first.
        return "405" if set(answers.values()) == {"405"} and len(answers) == len(PARTS) else "404"
    return answers.get(kind.part, "404")


def has_objects(name: str) -> bool:
    """Whether the URL names an object (a case, a meeting, ...) beyond the cell."""
    return bool(set(arguments(ROUTES[name])) - NOT_OBJECTS)


def arguments(route: str) -> list[str]:
    return [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]


def all_urls(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(namespaced name, route) of every URL the resolver knows, the first route of each name."""
    if patterns is None:
        seen: set[str] = set()
        for name, route in all_urls(get_resolver().url_patterns):
            if name not in seen:
                seen.add(name)
                yield name, route
        return
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            space = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_urls(pattern.url_patterns, route, space)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or f'<unnamed {route}>'}", route


class _Routes(dict[str, str]):
    """Route of each URL name, read from the resolver when first asked."""

    def __missing__(self, name: str) -> str:
        self.update(dict(all_urls()))
        return dict.__getitem__(self, name)


ROUTES = _Routes()


# --- The admin --------------------------------------------------------------------------------------


def admin_url(route: str, staff: Any) -> str:
    """An admin URL with made-up arguments (the staff user's own id for an object), built from its
    route so that unnamed routes work too: an object that does not exist is the admin's own answer."""

    def value(argument: str, pattern: str = "") -> str:
        if argument == "app_label":
            return pattern.split("|")[0]
        if argument == "content_type_id":  # the user's: a model without a page on the site
            return str(ContentType.objects.get_for_model(type(staff)).pk)
        if argument == "url":
            return "nowhere/"
        return str(staff.pk)

    path = re.sub(r"\(\?P<(\w+)>([^)]*)\)", lambda m: value(m.group(1), m.group(2)), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: value(m.group(1)), path)
    return "/" + path.replace("^", "").replace("$", "")


def admin_expected(name: str, who: str, method: str) -> str:
    """Staff with a verified second factor reach the admin; anonymous and members who are not
    staff are sent to the login, staff without the second factor to the second-factor page."""
    if (name, who, method) in ADMIN_EXCEPTIONS:
        return ADMIN_EXCEPTIONS[name, who, method]
    if name == "admin:login":
        return "login"  # the admin's own login form is not offered (livc/urls.py)
    return {"staff": "ok", "staff without second factor": "verify"}.get(who, "login")


# Where the admin answers otherwise, and why: (name, who, method) → answer.
ADMIN_EXCEPTIONS: dict[tuple[str, str, str], str] = {
    # Logging out is Django's: a GET is refused, a POST ends the session; for anyone who is not
    # staff it redirects to the admin's index, which sends them to the login.
    ("admin:logout", "staff", "GET"): "405",
    ("admin:logout", "staff", "POST"): "login",
    ("admin:logout", "alice", "GET"): "ok",
    ("admin:logout", "alice", "POST"): "ok",
    # "View on site" for a user: users have no page on the site.
    ("admin:view_on_site", "staff", "GET"): "404",
    ("admin:view_on_site", "staff", "POST"): "404",
    # Django's own pages that take one method only, or need a query.
    ("admin:password_change_done", "staff", "POST"): "405",
    ("admin:jsi18n", "staff", "POST"): "405",
    ("admin:autocomplete", "staff", "GET"): "403",
    ("admin:autocomplete", "staff", "POST"): "405",
    # A made-up object or path: the admin's 404.
    ("admin:<unnamed admin/(?P<url>.*)$>", "staff", "GET"): "404",
    ("admin:<unnamed admin/(?P<url>.*)$>", "staff", "POST"): "404",
}
# django-axes' records and the outbox are read-only in the admin: nobody adds one there (403).
# The audit log is not in the admin at all (livc/audit/admin.py): it is the DPO's, in the console.
for _name, _methods in {
    "admin:axes_accessattempt_add": ("GET", "POST"),
    "admin:axes_accesslog_add": ("GET", "POST"),
    "admin:axes_accessfailurelog_add": ("GET", "POST"),
    "admin:accounts_user_delete": ("GET", "POST"),
    # The outbox is read-only: its messages are written by the application, done or given up.
    "admin:outbox_message_add": ("GET", "POST"),
    "admin:outbox_message_delete": ("GET", "POST"),
    "admin:outbox_message_change": ("POST",),
}.items():
    for _method in _methods:
        ADMIN_EXCEPTIONS[_name, "staff", _method] = "403"
# Nobody reads or sets a password hash in the admin: the page does not exist, for anyone who
# gets past the login and the second factor.
for _who in ("alice", "staff"):
    for _method in ("GET", "POST"):
        ADMIN_EXCEPTIONS["admin:accounts_user_password_change", _who, _method] = "404"


# --- The declarations -------------------------------------------------------------------------------

# URL names that are not the app's pages: none so far (static files are served by WhiteNoise
# outside the URL list; there is no debug toolbar or media URL).
EXCLUDED: dict[str, str] = {}

# Shorthands for the sentences that recur.
CASE_MANAGER = "coordinator 403: mayor officer seated"  # the coordinator changes; other readers 403
CHAIR = "coordinator 403: mayor officer seated unseated"  # the coordinator chairs; other members 403
NO_GET = "405: all"
BOB_ONLY = {"dries@a": "404"}  # bob referred the referral; dries, also at the table, did not
STRATEGIC_TABLE = {"pia@a": "ok"}  # of the participants, pia alone sat at a strategic meeting

DECLARED: dict[str, Cell | Open] = {
    # Outside the cells.
    "root": Open(anonymous="login", user="ok"),
    "health_live": Open(anonymous="ok", user="ok", post_anonymous="405", post_user="405"),
    "health_ready": Open(anonymous="ok", user="ok", post_anonymous="405", post_user="405"),
    "admin_login": Open(anonymous="login", user="login", why="the admin logs in through accounts:login"),
    "accounts:login": Open(anonymous="ok", user="ok"),
    "accounts:logout": Open(anonymous="login", user="405", post_user="login"),
    "accounts:verify": Open(anonymous="login", user="ok"),
    "accounts:setup": Open(anonymous="login", user="ok"),
    "accounts:session_status": Open(anonymous="ok", user="ok", post_anonymous="405", post_user="405"),
    "accounts:session_renew": Open(anonymous="login", user="405", post_user="ok"),
    "accounts:security": Open(anonymous="login", user="ok"),
    "accounts:notifications": Open(anonymous="login", user="ok"),
    "accounts:confirm_password": Open(anonymous="login", user="ok"),
    "accounts:language": Open(anonymous="405", user="405", post_anonymous="ok", post_user="ok"),
    "accounts:password_set": Open(anonymous="ok", user="ok", why="a bad link says so, to anyone"),
    # Passkeys: JSON endpoints for static/js/passkeys.js (POST only), the pages around them.
    "accounts:passkey_login_begin": Open(anonymous="405", user="405", post_anonymous="ok", post_user="ok"),
    "accounts:passkey_login_complete": Open(
        anonymous="405",
        user="405",
        post_anonymous="ok",
        post_user="ok",
        why="a refusal is JSON with a message",
    ),
    "accounts:passkey_verify_begin": Open(anonymous="login", user="405", post_user="ok"),
    "accounts:passkey_verify_complete": Open(anonymous="login", user="405", post_user="ok"),
    "accounts:passkey_confirm_begin": Open(anonymous="login", user="405", post_user="ok"),
    "accounts:passkey_confirm_complete": Open(anonymous="login", user="405", post_user="ok"),
    "accounts:passkey_register_begin": Open(
        anonymous="login", user="405", post_user="403", why="the password was not confirmed just now"
    ),
    "accounts:passkey_register_complete": Open(
        anonymous="login", user="405", post_user="403", why="the password was not confirmed just now"
    ),
    "accounts:passkey_add": Open(anonymous="login", user="ok", post_user="405"),
    "accounts:passkey_setup_done": Open(anonymous="login", user="ok"),
    "accounts:passkey_rename": Open(anonymous="login", user="405", post_user="404", why="nobody's passkey"),
    "accounts:passkey_remove": Open(
        anonymous="login", user="404", post_user="ok", why="nobody's passkey; a POST says it is gone already"
    ),
    # Identity providers (OpenID Connect): none is configured here, so a provider's key is a 404.
    "accounts:oidc_login": Open(anonymous="405", user="405", post_anonymous="404", post_user="404"),
    "accounts:oidc_reauth": Open(anonymous="login", user="405", post_user="404"),
    "accounts:oidc_callback": Open(anonymous="404", user="404", post_anonymous="405", post_user="405"),
    "cells:pick": Open(anonymous="login", user="ok"),
    "invitation:respond": Open(
        anonymous="ok", user="403", why="the link is for its invitee, not for an account"
    ),
    "invitation:decline": Open(anonymous="ok", user="ok"),
    "invitation:accept_with_provider": Open(
        anonymous="405", user="405", post_anonymous="404", post_user="404", why="no provider is configured"
    ),
    "invitation:accepted_by_provider": Open(
        anonymous="403", user="403", post_anonymous="405", post_user="405", why="no provider's proof here"
    ),
    # Cell pages for every member.
    "cells:home": Cell(get="all", post="all"),
    "participants:rules": Cell(get="all", post="all"),
    "participants:rules_detail": Cell(get="all", post="all"),
    "participants:acknowledge": Cell(get="all", post="all"),
    "audit:breach_report": Cell(get="all", post="all"),
    "audit:breach_report_done": Cell(
        get="", post="", overrides={"dries@a": "ok"}, why="the reporter's alone"
    ),
    # Participants, invitations, rules: the coordinator and the mayor.
    "participants:organisations": Cell(get="coordinator mayor", post="coordinator"),
    "participants:organisation_edit": Cell(get="coordinator", post="coordinator"),
    "participants:participants": Cell(get="coordinator mayor", post="coordinator mayor"),
    "participants:participant_edit": Cell(get="coordinator mayor", post="coordinator"),
    "participants:participant_revoke": Cell(get=NO_GET, post="coordinator mayor"),
    "participants:invitations": Cell(get="coordinator mayor", post="coordinator mayor"),
    "participants:invitation_new": Cell(get="coordinator", post="coordinator"),
    "participants:invitation_detail": Cell(get="coordinator mayor", post="coordinator mayor"),
    "participants:invitation_edit": Cell(get="coordinator", post="coordinator"),
    "participants:invitation_action": Cell(get=NO_GET, post="coordinator 403: mayor"),
    "participants:approvals": Cell(get="mayor", post="mayor"),
    "participants:invitation_reject": Cell(get=NO_GET, post="mayor"),
    "participants:rules_edit": Cell(get="coordinator", post="coordinator"),
    "participants:rules_approve": Cell(get=NO_GET, post="mayor"),
    # Cases: read by those who see the case (rule 8), changed by the coordinator.
    "cases:list": Cell(get="readers unseated", post="readers unseated"),
    "cases:search": Cell(get="readers unseated", post="readers unseated"),
    "cases:detail": Cell(get="readers", post="readers"),
    "cases:status": Cell(get=NO_GET, post=CASE_MANAGER),
    "cases:close": Cell(get=CASE_MANAGER, post=CASE_MANAGER),
    "cases:review": Cell(get=NO_GET, post=CASE_MANAGER),
    "cases:table": Cell(get="readers", post=CASE_MANAGER),
    "cases:unseat": Cell(get=CASE_MANAGER, post=CASE_MANAGER),
    "cases:invite": Cell(get=CASE_MANAGER, post=CASE_MANAGER),
    "cases:item_new": Cell(get="readers", post="readers"),
    "cases:item_withdraw": Cell(
        get="seated 403: cellwide",
        post="seated 403: cellwide",
        overrides={"dries@a": "403"},
        why="only the item's owner (bob) withdraws it",
    ),
    "cases:identity": Cell(get=CASE_MANAGER, post=CASE_MANAGER),
    "cases:identity_request": Cell(get="readers", post="readers"),
    "cases:relation_new": Cell(get=CASE_MANAGER, post=CASE_MANAGER),
    "cases:relation_delete": Cell(get=CASE_MANAGER, post=CASE_MANAGER),
    "cases:informing": Cell(get="readers", post="coordinator officer 403: mayor seated"),
    "cases:known_to_service": Cell(
        get=NO_GET, post="seated 403: cellwide", why="each seated participant answers for her own service"
    ),
    "cases:item_use_answer": Cell(
        get="seated 403: cellwide",
        post="seated 403: cellwide",
        overrides={"dries@a": "403"},
        why="only the item's owner (bob) answers for it; a GET is sent to the case page",
    ),
    "cases:item_use_shared": Cell(
        get="coordinator seated 403: mayor officer",
        post="coordinator seated 403: mayor officer",
        overrides={"dries@a": "403"},
        why="the coordinator or the item's owner (bob) records the share; a GET is sent to the case page",
    ),
    "cases:my_item_uses": Cell(get="readers unseated", post="readers unseated"),
    "cases:identity_requests": Cell(get="coordinator mayor", post="coordinator mayor"),
    "cases:identity_request_decide": Cell(get=NO_GET, post="coordinator mayor"),
    # Referrals: the queue roles see every one, anyone else their own (bob's).
    "cases:referrals": Cell(get="readers unseated", post="readers unseated"),
    "cases:referral_new": Cell(get="readers unseated", post="readers unseated"),
    "cases:referral_detail": Cell(get="readers", post="readers", overrides=BOB_ONLY),
    "cases:referral_qualify": Cell(get=CASE_MANAGER, post=CASE_MANAGER, overrides=BOB_ONLY),
    "cases:referral_identity": Cell(get=CASE_MANAGER, post=CASE_MANAGER, overrides=BOB_ONLY),
    # Meetings: every member but the DPO; the coordinator chairs.
    "meetings:list": Cell(get="readers unseated", post="readers unseated"),
    "meetings:new": Cell(get=CHAIR, post=CHAIR),
    "meetings:detail": Cell(get="readers unseated", post="readers unseated"),
    "meetings:edit": Cell(get=CHAIR, post=CHAIR),
    "meetings:agenda": Cell(get=NO_GET, post=CHAIR),
    "meetings:attendance": Cell(get=NO_GET, post=CHAIR),
    "meetings:acknowledge": Cell(get=NO_GET, post="readers unseated"),
    "meetings:advance": Cell(get=CHAIR, post=CHAIR),
    "meetings:minutes": Cell(get="readers unseated", post="readers unseated"),
    "meetings:addendum": Cell(get=NO_GET, post=CHAIR),
    "meetings:addendum_approve": Cell(get=NO_GET, post=CHAIR),
    "meetings:run": Cell(get=CHAIR, post=CHAIR),
    "meetings:item": Cell(
        get=CHAIR, post=CHAIR, anonymous="401", why="an htmx fragment: 401, not the login page"
    ),
    "meetings:minutes_save": Cell(get=NO_GET, post=CHAIR),
    "meetings:decision_new": Cell(get=NO_GET, post=CHAIR),
    "meetings:action_new": Cell(get=NO_GET, post=CHAIR),
    "meetings:decision_step": Cell(get=NO_GET, post="readers"),
    "meetings:pdf_request": Cell(get=NO_GET, post="readers unseated"),
    # A substitute standing in: named and withdrawn by the coordinator or the fixed representative
    # herself (none of the kinds is one: `World.fixed_representative`); anyone else gets 404.
    "meetings:stand_in_name": Cell(get=NO_GET, post="coordinator"),
    "meetings:stand_in_withdraw": Cell(get=NO_GET, post="coordinator"),
    "meetings:pdf": Cell(get="readers unseated", post="readers unseated"),
    # The invitation: the coordinator publishes and cancels (after a confirmation); those invited
    # (at the meeting in progress: the cell-wide roles and those seated at its case) download the .ics.
    "meetings:publish": Cell(get=NO_GET, post=CHAIR),
    "meetings:cancel": Cell(get=CHAIR, post=CHAIR),
    "meetings:calendar": Cell(get="readers", post=NO_GET),
    # Agenda proposals: a case by those who see it, a topic by every member but the DPO; the
    # coordinator decides (a page for her only); bob withdraws his own.
    "meetings:propose_case": Cell(get="readers", post="readers"),
    "meetings:propose_topic": Cell(get="readers unseated", post="readers unseated"),
    "meetings:my_proposals": Cell(get="readers unseated", post="readers unseated"),
    "meetings:proposals": Cell(get="coordinator", post="coordinator"),
    "meetings:proposal_decide": Cell(get=NO_GET, post="coordinator"),
    "meetings:proposal_withdraw": Cell(
        get="405: seated", post="seated", overrides=BOB_ONLY, why="bob's proposal: anyone else's is not found"
    ),
    "meetings:actions": Cell(get="readers unseated", post="readers unseated"),
    "meetings:action_close": Cell(get=NO_GET, post="readers"),
    # Retention: the coordinator's.
    "retention:upcoming": Cell(get="coordinator", post=NO_GET),
    "retention:settings": Cell(get="coordinator", post="coordinator"),
    # The DPO's console.
    "audit:home": Cell(get="dpo", post="dpo"),
    "audit:chain_extend": Cell(get=NO_GET, post="dpo"),
    "audit:chain_verify_full": Cell(get=NO_GET, post="dpo"),
    "audit:log": Cell(get="dpo", post="dpo"),
    "audit:log_csv": Cell(get="dpo", post="dpo"),
    "audit:log_pdf": Cell(get="dpo", post="dpo"),
    "audit:user_accesses": Cell(get="dpo", post="dpo"),
    "audit:object_accesses": Cell(get="dpo", post="dpo"),
    "audit:minutes_copy": Cell(get="dpo", post="dpo"),
    "audit:item_uses": Cell(get="dpo", post="dpo"),
    "audit:people": Cell(get="dpo", post="dpo"),
    "audit:people_pdf": Cell(get="dpo", post="dpo"),
    "audit:unusual": Cell(get="dpo", post="dpo"),
    "audit:thresholds": Cell(get="dpo", post="dpo"),
    "audit:breaches": Cell(get="dpo", post="dpo"),
    "audit:breach_new": Cell(get="dpo", post="dpo"),
    "audit:breach": Cell(get="dpo", post="dpo"),
    "audit:breach_edit": Cell(get="dpo", post="dpo"),
    "audit:access_requests": Cell(get="dpo", post=NO_GET),
    "audit:access_request_new": Cell(get="dpo", post="dpo"),
    "audit:access_request": Cell(get="dpo", post=NO_GET),
    "audit:access_request_extend": Cell(get=NO_GET, post="dpo"),
    "audit:access_request_answer": Cell(get=NO_GET, post="dpo"),
    "audit:access_letter": Cell(get="dpo", post=NO_GET),
    # The questions about a request for access: each member's own (the page is empty for most).
    "audit:access_questions": Cell(get="all", post=NO_GET),
    "audit:access_question_answer": Cell(
        get="seated", post="seated", overrides={"dries@a": "404"}, why="bob's question, about his own item"
    ),
    "audit:retention_records": Cell(get="dpo", post=NO_GET),
    # Notifications: each member's own (the list is empty for most); the one opened is alice's.
    "notifications:list": Cell(get="all", post="all"),
    "notifications:read": Cell(get=NO_GET, post="all"),
    "notifications:open": Cell(get="coordinator", post=NO_GET, why="alice's notification: nobody else's"),
    "audit:retention_report": Cell(get="dpo", post=NO_GET),
    # Statistics: the mayor, the coordinator and the strategic table (pia attended a strategic meeting).
    "statistics:report": Cell(get="coordinator mayor", post="coordinator mayor", overrides=STRATEGIC_TABLE),
    "statistics:csv": Cell(get="coordinator mayor", post="coordinator mayor", overrides=STRATEGIC_TABLE),
    "statistics:pdf": Cell(get="coordinator mayor", post="coordinator mayor", overrides=STRATEGIC_TABLE),
}

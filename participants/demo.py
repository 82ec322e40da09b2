"""Invented demo organisations, seats, rules of procedure and invitations in every state. The
German-speaking cell Hochwalden has German organisations and seats, and rules of procedure in
German that list its own data categories (a cell under the federal law only: livc/legal.py)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from livc import legal
from livc.accounts.models import User
from livc.cells.demo import (
    CELL_FOUNDED_DAYS_AGO,
    INVITED_MEMBER_DAYS_AGO,
    RULES_IN_FORCE_DAYS_AGO,
    Demo,
    days_ago,
)
from livc.cells.models import Cell, Membership, Role
from participants.models import (
    ConfidentialityAcknowledgement,
    Invitation,
    InvitationEvent,
    InvitationStatus,
    Organisation,
    OrganisationType,
    Participant,
    RulesOfProcedure,
    RulesStatus,
)
from participants.tokens import make_token, new_nonce

T = OrganisationType
ORGANISATIONS = {
    "demostad": [
        ("Kabinet van de burgemeester", T.OTHER),
        ("Preventiedienst Demostad", T.PREVENTION_SERVICE),
        ("Politiezone Demo-Noord", T.LOCAL_POLICE),
        ("CLB Demostad", T.CLB),
        ("Jeugddienst Demostad", T.YOUTH_SERVICE),
        ("Sportclub De Vlieger", T.CLUB),
        ("Federale gerechtelijke politie", T.FEDERAL_POLICE),
    ],
    "kempenheide": [
        ("Kabinet van de burgemeester", T.OTHER),
        ("Preventiedienst Kempenheide", T.PREVENTION_SERVICE),
        ("Politiezone Demo-Noord", T.LOCAL_POLICE),
        ("OCMW Heidebeek", T.SOCIAL_SERVICE),
        ("Justitiehuis Demo", T.JUSTICE_HOUSE),
    ],
    "hochwalden": [
        ("Kabinett der Bürgermeisterin", T.OTHER),
        ("Präventionsdienst Hochwalden", T.PREVENTION_SERVICE),
        ("Polizeizone Hochwalden", T.LOCAL_POLICE),
        ("Sekundarschule Hochwalden", T.SCHOOL),
        ("ÖSHZ Hochwalden", T.SOCIAL_SERVICE),
    ],
}
SEATS: dict[str, tuple[str, str]] = {  # role -> (organisation, function)
    Role.MAYOR: ("Kabinet van de burgemeester", "Burgemeester"),
    Role.COORDINATOR: ("Preventiedienst", "LIVC-coördinator"),
    Role.INFORMATION_OFFICER: ("Politiezone Demo-Noord", "Information officer"),
}
# The seats of a cell whose members read another language than Dutch.
CELL_SEATS: dict[str, dict[str, tuple[str, str]]] = {
    "hochwalden": {
        Role.MAYOR: ("Kabinett der Bürgermeisterin", "Bürgermeisterin"),
        Role.COORDINATOR: ("Präventionsdienst", "LISZ-Koordinator"),
        Role.INFORMATION_OFFICER: ("Polizeizone Hochwalden", "Information Officer"),
    },
}
PARTICIPANT_SEATS = {
    "clb@demostad.example": ("CLB Demostad", "Directeur", True),
    "clb-vervanger@demostad.example": ("CLB Demostad", "Leerlingbegeleider", False),
    "ocmw@kempenheide.example": ("OCMW Heidebeek", "Maatschappelijk werker", False),
    "schulpsychologie@hochwalden.example": ("Sekundarschule Hochwalden", "Schulpsychologin", True),
}
# The fixed representative's recorded substitute (same organisation).
SUBSTITUTES = {"clb@demostad.example": "clb-vervanger@demostad.example"}
RULES_TEXT = (
    "1. Doel. De LIVC-R bespreekt personen die signalen van radicalisering vertonen, met als enig doel "
    "terroristische misdrijven te voorkomen via een geïndividualiseerd opvolgingstraject.\n\n"
    "2. Deelnemers. Burgemeester (voorzitter van de cel), coördinator (voorzitter van de operationele "
    "tafel), information officer van de lokale politie, en wie de burgemeester uitnodigt omwille van "
    "de bijdrage vanuit zijn of haar functie.\n\n"
    "3. Werking. Casusoverleg op uitnodiging; elke deelnemer ziet enkel de casussen aan wiens tafel hij "
    "of zij zit. Informatie blijft eigendom van wie ze inbrengt.\n\n"
    "4. Geheim. Alle deelnemers zijn gebonden door het gedeeld beroepsgeheim (art. 458ter Sw.)."
)
GERMAN_RULES_TEXT = (
    "1. Zweck. Die LISZ-R bespricht Personen, die Anzeichen einer Radikalisierung zeigen, mit dem "
    "einzigen Ziel, terroristischen Straftaten durch eine individuelle, fallbezogene Begleitung "
    "vorzubeugen (Gesetz vom 30. Juli 2018).\n\n"
    "2. Teilnehmer. Die Bürgermeisterin (Vorsitz der Zelle), der Koordinator (Vorsitz des operativen "
    "Tisches), der Information Officer der lokalen Polizei und wer von der Bürgermeisterin aufgrund "
    "seiner oder ihrer Funktion eingeladen wird.\n\n"
    "3. Arbeitsweise. Fallbesprechung auf Einladung; jeder Teilnehmer sieht nur die Fälle, an deren "
    "Tisch er oder sie sitzt. Informationen bleiben Eigentum derer, die sie einbringen.\n\n"
    "4. Daten. Geteilt werden nur Daten der folgenden Kategorien, und nur soweit der Zweck sie "
    "erfordert; andere Daten nur mit einer schriftlichen Begründung.\n\n"
    "5. Geheimnis. Alle Teilnehmer sind an das geteilte Berufsgeheimnis gebunden (Art. 458ter "
    "Strafgesetzbuch)."
)
# The data categories of the rules in force of a cell under the federal law only, each with the
# purpose it serves (participants/selectors.py::rules_categories); one is a special category.
GERMAN_CATEGORIES = [
    {"key": "c-identitaet", "name": "Identifikations- und Kontaktdaten", "special": False,
     "purpose": "Die Person eindeutig erkennen und die Begleitung mit ihr und ihrer Familie abstimmen."},
    {"key": "c-schule", "name": "Schule und Ausbildung", "special": False,
     "purpose": "Die Begleitung mit der Schule oder dem Ausbildungsort abstimmen."},
    {"key": "c-umfeld", "name": "Familiäres und soziales Umfeld", "special": False,
     "purpose": "Schutzfaktoren und Risiken im Umfeld der Person erkennen."},
    {"key": "c-verhalten", "name": "Verhalten und Risikosignale", "special": False,
     "purpose": "Einschätzen, ob und wie stark die Person zu Gewalt neigt."},
    {"key": "c-hilfen", "name": "Laufende Hilfen und Begleitungen", "special": False,
     "purpose": "Die passende Hilfe wählen, ohne dass Dienste nebeneinander her arbeiten."},
    {"key": "c-gesundheit", "name": "Psychische Gesundheit", "special": True,
     "purpose": "Nur soweit eine psychische Belastung die Wahl der Begleitung bestimmt."},
]  # fmt: skip
# (text, data categories) of the rules of procedure in force, per cell (Dutch, none of its own).
RULES: dict[str, tuple[str, list[dict[str, object]]]] = {"hochwalden": (GERMAN_RULES_TEXT, GERMAN_CATEGORIES)}
REJECTION = "Een stagiair kan geen structurele bijdrage leveren; nodig de jeugdconsulent uit."
DECLINE = "Ik kan mijn vertrouwensrelatie met de jongeren niet combineren met deze tafel."
YOUTH, CLUB = "Jeugddienst Demostad", "Sportclub De Vlieger"
# (e-mail, name, organisation, function, status, note) for the demo cell Demostad
INVITATIONS = [
    (
        "l.kastanjedreef@demostad.example",
        "Lucas Kastanjedreef",
        YOUTH,
        "Jeugdconsulent",
        InvitationStatus.DRAFT,
        "",
    ),
    (
        "v.eikenlaan@demostad.example",
        "Vera Eikenlaan",
        CLUB,
        "Trainer (vrijwilliger)",
        InvitationStatus.PENDING,
        "",
    ),
    ("b.populier@demostad.example", "Bram Populier", YOUTH, "Stagiair", InvitationStatus.REJECTED, REJECTION),
    ("i.hazelaar@demostad.example", "Ines Hazelaar", YOUTH, "Straathoekwerker", InvitationStatus.SENT, ""),
    (
        "d.berkenrode@demostad.example",
        "Dries Berkenrode",
        YOUTH,
        "Diensthoofd",
        InvitationStatus.DECLINED,
        DECLINE,
    ),
    ("k.lindeboom@demostad.example", "Kato Lindeboom", CLUB, "Voorzitter", InvitationStatus.EXPIRED, ""),
    (
        "m.essenhout@demostad.example",
        "Mats Essenhout",
        YOUTH,
        "Jeugdwerker",
        InvitationStatus.WITHDRAWN,
        "Van dienst.",
    ),
    ("clb@demostad.example", "Sara Wilgendaal", "CLB Demostad", "Directeur", InvitationStatus.ACCEPTED, ""),
]
# What happened to each demo invitation, and how many days ago (livc/cells/demo.py, the timeline):
# an invitation link is valid LIVC_INVITATION_VALID_DAYS (14) days after it is sent; the accepted
# one made the participant who refers the demo cases, long before the first referral.
ACCEPTED_DAYS_AGO = INVITED_MEMBER_DAYS_AGO
HISTORY: dict[str, list[tuple[str, int]]] = {
    InvitationStatus.DRAFT: [("drafted", 3)],
    InvitationStatus.PENDING: [("drafted", 9), ("proposed", 8)],
    InvitationStatus.REJECTED: [("drafted", 30), ("proposed", 29), ("rejected", 27)],
    InvitationStatus.SENT: [("drafted", 8), ("proposed", 7), ("approved", 5)],
    InvitationStatus.DECLINED: [("drafted", 32), ("proposed", 30), ("approved", 28), ("declined", 24)],
    InvitationStatus.EXPIRED: [("drafted", 44), ("proposed", 42), ("approved", 40), ("expired", 26)],
    InvitationStatus.WITHDRAWN: [("drafted", 20), ("proposed", 19), ("withdrawn", 15)],
    InvitationStatus.ACCEPTED: [
        ("drafted", ACCEPTED_DAYS_AGO + 6),
        ("proposed", ACCEPTED_DAYS_AGO + 5),
        ("approved", ACCEPTED_DAYS_AGO + 3),
        ("accepted", ACCEPTED_DAYS_AGO),
    ],
}


def _when(status: str, action: str) -> datetime.datetime | None:
    """When the demo invitation in `status` took the step `action`, or None if it never did."""
    return next((days_ago(days) for step, days in HISTORY[status] if step == action), None)


@transaction.atomic
def seed(demo: Demo) -> None:
    for slug, cell in demo.cells.items():
        organisations = {
            name: Organisation.objects.update_or_create(cell=cell, name=name, defaults={"type": kind})[0]
            for name, kind in ORGANISATIONS[slug]
        }
        _seats(cell, organisations)
        rules = _rules(cell)
        Organisation.objects.filter(cell=cell).update(created_at=days_ago(CELL_FOUNDED_DAYS_AGO))
        for membership in Membership.objects.filter(cell=cell).exclude(role=Role.DPO):
            acknowledgement, _ = ConfidentialityAcknowledgement.objects.get_or_create(
                cell=cell,
                user=membership.user,
                rules=rules,
                statement_version=legal.secrecy_statement(cell).version,
            )
            # Founders acknowledge the day the rules come into force, a newcomer the day they join.
            joined = (
                INVITED_MEMBER_DAYS_AGO if membership.role == Role.PARTICIPANT else RULES_IN_FORCE_DAYS_AGO
            )
            ConfidentialityAcknowledgement.objects.filter(pk=acknowledgement.pk).update(
                acknowledged_at=days_ago(joined)
            )
    _invitations(demo)


def _seats(cell: Cell, organisations: dict[str, Organisation]) -> None:
    for membership in Membership.objects.filter(cell=cell).select_related("user"):
        if membership.role in SEATS:
            prefix, function = CELL_SEATS.get(cell.slug, SEATS)[membership.role]
            organisation = next(o for name, o in organisations.items() if name.startswith(prefix))
            fixed = False
        elif membership.user.email in PARTICIPANT_SEATS:
            name, function, fixed = PARTICIPANT_SEATS[membership.user.email]
            organisation = organisations[name]
        else:
            continue
        participant, _ = Participant.objects.update_or_create(
            membership=membership,
            defaults={
                "cell": cell,
                "organisation": organisation,
                "function": function,
                "is_fixed_representative": fixed,
            },
        )
        Participant.objects.filter(pk=participant.pk).update(created_at=membership.created_at)
    for representative, substitute in SUBSTITUTES.items():  # named for one meeting: meetings/demo.py
        Participant.objects.filter(cell=cell, membership__user__email=representative).update(
            substitute=Participant.objects.filter(cell=cell, membership__user__email=substitute).first()
        )


def _rules(cell: Cell) -> RulesOfProcedure:
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR).user
    mayor = Membership.objects.get(cell=cell, role=Role.MAYOR).user
    text, categories = RULES.get(cell.slug, (RULES_TEXT, []))
    rules, _ = RulesOfProcedure.objects.update_or_create(
        cell=cell,
        version=1,
        defaults={
            "text": text,
            "data_categories": categories,
            "status": RulesStatus.IN_FORCE,
            "drafted_by": coordinator,
            "approved_by": mayor,
            "approved_at": days_ago(RULES_IN_FORCE_DAYS_AGO),
        },
    )
    RulesOfProcedure.objects.filter(pk=rules.pk).update(created_at=days_ago(RULES_IN_FORCE_DAYS_AGO + 5))
    return rules


def _invitations(demo: Demo) -> None:
    cell = demo.cells["demostad"]
    coordinator = Membership.objects.get(cell=cell, role=Role.COORDINATOR).user
    mayor = Membership.objects.get(cell=cell, role=Role.MAYOR).user
    valid = datetime.timedelta(days=settings.LIVC_INVITATION_VALID_DAYS)
    for email, name, organisation_name, function, status, note in INVITATIONS:
        organisation = Organisation.objects.get(cell=cell, name=organisation_name)
        decided = _when(status, "approved") or _when(status, "rejected")
        sent = _when(status, "approved")  # the link goes out when the mayor approves
        responded = _when(status, "accepted") or _when(status, "declined")
        accepted = status == InvitationStatus.ACCEPTED
        invitation, _ = Invitation.objects.update_or_create(
            cell=cell,
            email=email,
            defaults={
                "name": name,
                "organisation": organisation,
                "function": function,
                "kind": "volunteer" if organisation.type == T.CLUB else "professional",
                "motivation": f"Als {function.lower()} kent {name.split()[0]} de jongeren in de gemeente.",
                "language": "nl",
                "status": status,
                "proposed_by": coordinator,
                "decided_by": mayor if decided else None,
                "decided_at": decided,
                "rejection_reason": note if status == InvitationStatus.REJECTED else "",
                "decline_motivation": note if status == InvitationStatus.DECLINED else "",
                "token_nonce": new_nonce()
                if status in (InvitationStatus.SENT, InvitationStatus.EXPIRED)
                else "",
                "sent_at": sent,
                "expires_at": sent + valid if sent else None,
                "as_fixed_representative": accepted,
                "membership": Membership.objects.get(cell=cell, user__email=email) if accepted else None,
                "responded_at": responded,
            },
        )
        Invitation.objects.filter(pk=invitation.pk).update(created_at=_when(status, "drafted"))
        invitation.events.all().delete()  # the history follows the dates just set
        _history(invitation, status, coordinator, mayor, note)
        if status == InvitationStatus.SENT:
            token = make_token(invitation_id=invitation.pk, nonce=invitation.token_nonce)
            link = settings.LIVC_BASE_URL + reverse("invitation:respond", kwargs={"token": token})
            demo.notes.append(f"\nAn open invitation for {name} ({email}), to try accepting it:\n  {link}")


def _history(invitation: Invitation, status: str, coordinator: User, mayor: User, note: str) -> None:
    invitee = invitation.membership.user if invitation.membership else None
    actors: dict[str, User | None] = {
        "drafted": coordinator,
        "proposed": coordinator,
        "withdrawn": coordinator,
        "approved": mayor,
        "rejected": mayor,
        "accepted": invitee,
    }
    steps = HISTORY[status]
    for index, (action, days) in enumerate(steps):
        InvitationEvent.objects.create(
            invitation=invitation,
            action=action,
            actor=actors.get(action),
            at=days_ago(days),
            note=note if index == len(steps) - 1 else "",
        )

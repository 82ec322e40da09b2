"""Invented demo data: three cells with a user for every role. No real person appears here.

Two Flemish cells (federal law and Flemish decree): Demostad, a single municipality, and
Kempenheide, three municipalities together. A third, Hochwalden, lies in the German-speaking
Community: it works under the federal law only (livc/legal.py), its members read German and its
rules of procedure list its own data categories.

Municipalities use NIS codes from 99001 up, which no Belgian municipality has, and names
made up for the demo. Later apps add their own demo data through `seed_demo(demo)` on
their AppConfig, called in INSTALLED_APPS order with the `Demo` built here.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from livc.accounts.models import User
from livc.accounts.otp import backup_codes_renew
from livc.cells.models import Cell, ClearanceLevel, Membership, Municipality, Role
from livc.legal import LegalFramework

# The demo's one timeline, in days before the day it is seeded; every app's demo data keeps to it
# so that no date contradicts another: the cell set up, then members, then referrals and cases,
# then meetings, with reviews and deadlines after today.
CELL_FOUNDED_DAYS_AGO = 210  # founding members join; the rules of procedure come into force soon after
RULES_IN_FORCE_DAYS_AGO = 200
INVITED_MEMBER_DAYS_AGO = 184  # the participant who joined through an invitation (clb@demostad)
EARLIEST_REFERRAL_DAYS_AGO = 130  # no referral or case before this: every referrer is a member by then


def days_ago(days: int) -> datetime.datetime:
    """A moment `days` days before now (the demo's timeline; never in the future for days >= 0)."""
    return timezone.now() - datetime.timedelta(days=days)


DEMO_PASSWORD = "demo-livc-2026"  # noqa: S105 - printed for newcomers; demo only
DEMO_BACKUP_CODES = 5

# (NIS code, name in Dutch, in French, in German): a municipality of the German-speaking
# Community bears its German name in the three languages, as Eupen does.
MUNICIPALITIES = [
    ("99001", "Demostad", "Démoville", ""),
    ("99002", "Heidebeek", "Heidebeek", ""),
    ("99003", "Lindelaar", "Lindelaar", ""),
    ("99004", "Vennebroek", "Vennebroek", ""),
    ("99005", "Hochwalden", "Hochwalden", "Hochwalden"),
]

# (slug, name, municipalities, legal framework)
CELLS = [
    ("demostad", "LIVC-R Demostad", ["99001"], LegalFramework.FLEMISH),
    ("kempenheide", "Bovenlokale LIVC-R Kempenheide", ["99002", "99003", "99004"], LegalFramework.FLEMISH),
    ("hochwalden", "LISZ-R Hochwalden", ["99005"], LegalFramework.FEDERAL),
]

# (e-mail, name, language, [(cell slug, role)])
PEOPLE = [
    ("burgemeester@demostad.example", "Marleen Torfsveld", "nl", [("demostad", Role.MAYOR)]),
    ("coordinator@demostad.example", "Jonas Beukenhof", "nl", [("demostad", Role.COORDINATOR)]),
    ("clb@demostad.example", "Sara Wilgendaal", "nl", [("demostad", Role.PARTICIPANT)]),
    ("clb-vervanger@demostad.example", "Jana Olmenhof", "nl", [("demostad", Role.PARTICIPANT)]),
    ("dpo@demostad.example", "Pieter Meidoorn", "nl", [("demostad", Role.DPO)]),
    ("bourgmestre@kempenheide.example", "Claire Dumoulin-Essart", "fr", [("kempenheide", Role.MAYOR)]),
    ("coordinator@kempenheide.example", "Youssef Zandakker", "nl", [("kempenheide", Role.COORDINATOR)]),
    ("ocmw@kempenheide.example", "Lien Heidevelde", "nl", [("kempenheide", Role.PARTICIPANT)]),
    ("dpo@kempenheide.example", "Thomas Vlierbos", "en", [("kempenheide", Role.DPO)]),
    # One information officer of a police zone that covers both cells: shows the cell picker.
    (
        "io@pz-demo.example",
        "Ruben Lindenhout",
        "nl",
        [("demostad", Role.INFORMATION_OFFICER), ("kempenheide", Role.INFORMATION_OFFICER)],
    ),
    # The German-speaking cell, under the federal law only; its police zone has its own officer.
    ("buergermeisterin@hochwalden.example", "Margit Holunderbach", "de", [("hochwalden", Role.MAYOR)]),
    ("koordination@hochwalden.example", "Lukas Eichenwalder", "de", [("hochwalden", Role.COORDINATOR)]),
    ("schulpsychologie@hochwalden.example", "Katrin Birkenhain", "de", [("hochwalden", Role.PARTICIPANT)]),
    ("dsb@hochwalden.example", "Stefan Ahornweg", "de", [("hochwalden", Role.DPO)]),
    ("io@hochwalden.example", "Dieter Lärchenfeld", "de", [("hochwalden", Role.INFORMATION_OFFICER)]),
]

# Manages cells and municipalities in /admin/; holds no role in any cell.
PLATFORM_ADMIN = "beheer@platform.example"


@dataclass
class Demo:
    cells: dict[str, Cell] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    backup_codes: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # lines the apps want printed


@transaction.atomic
def seed() -> Demo:
    demo = Demo()
    municipalities = {}
    for nis_code, name_nl, name_fr, name_de in MUNICIPALITIES:
        municipalities[nis_code], _ = Municipality.objects.update_or_create(
            nis_code=nis_code, defaults={"name_nl": name_nl, "name_fr": name_fr, "name_de": name_de}
        )
    for slug, name, codes, framework in CELLS:
        cell, _ = Cell.objects.update_or_create(
            slug=slug, defaults={"name": name, "legal_framework": framework}
        )
        cell.municipalities.set(municipalities[code] for code in codes)
        demo.cells[slug] = cell
    clearance_until = timezone.localdate() + datetime.timedelta(days=730)
    for email, name, language, roles in PEOPLE:
        user, _ = User.objects.update_or_create(email=email, defaults={"name": name, "language": language})
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        demo.users[email] = user
        demo.backup_codes[email] = backup_codes_renew(user=user, count=DEMO_BACKUP_CODES)
        for slug, role in roles:
            clearance = (
                {"clearance_level": ClearanceLevel.SECRET, "clearance_expires_on": clearance_until}
                if role == Role.INFORMATION_OFFICER
                else {}
            )
            membership, _ = Membership.objects.update_or_create(
                cell=demo.cells[slug], user=user, defaults={"role": role, "is_active": True, **clearance}
            )
            # Participants join through an invitation later; everyone else founded the cell.
            since = INVITED_MEMBER_DAYS_AGO if role == Role.PARTICIPANT else CELL_FOUNDED_DAYS_AGO
            Membership.objects.filter(pk=membership.pk).update(created_at=days_ago(since))
            User.objects.filter(pk=user.pk, date_joined__gt=days_ago(since)).update(
                date_joined=days_ago(since)
            )
    admin, _ = User.objects.update_or_create(
        email=PLATFORM_ADMIN,
        defaults={"name": "Platformbeheer Demo", "language": "nl", "is_staff": True, "is_superuser": True},
    )
    admin.set_password(DEMO_PASSWORD)
    admin.save(update_fields=["password"])
    demo.users[PLATFORM_ADMIN] = admin
    demo.backup_codes[PLATFORM_ADMIN] = backup_codes_renew(user=admin, count=DEMO_BACKUP_CODES)
    return demo

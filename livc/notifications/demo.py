"""Invented demo notifications and choices, seeded before the other apps' demo data (whose
services then notify as they would: the referrer told of her referral's outcome, the mayor of an
invitation proposed):

- Demostad's coordinator takes the actions due in her daily digest; the school counsellor reads
  the outcome of her referrals in the app only, and a meeting's news in her daily digest;
- Demostad's mayor read, half a year ago, that an invitation waited (the counsellor's own, since
  accepted); the counsellor has not yet read the news of the next meeting.
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from livc.cells.demo import Demo
from livc.notifications.models import Delivery, Notification, NotificationKind, Preference

PREFERENCES = [
    ("coordinator@demostad.example", NotificationKind.ACTION_DUE, Delivery.DIGEST),
    ("clb@demostad.example", NotificationKind.REFERRAL_QUALIFIED, Delivery.IN_APP),
    ("clb@demostad.example", NotificationKind.AGENDA_PUBLISHED, Delivery.DIGEST),
]

# (e-mail, cell, kind, URL name of the page, days ago, read)
NOTIFICATIONS = [
    ("burgemeester@demostad.example", "demostad", NotificationKind.INVITATION_WAITING,
     "participants:approvals", 190, True),
    ("clb@demostad.example", "demostad", NotificationKind.AGENDA_PUBLISHED, "meetings:list", 2, False),
]  # fmt: skip


@transaction.atomic
def seed(demo: Demo) -> None:
    users = demo.users
    if Preference.objects.filter(user=users[PREFERENCES[0][0]]).exists():
        return  # seeded already: keep what the demo users changed since
    for email, kind, delivery in PREFERENCES:
        Preference.objects.create(user=users[email], kind=kind, delivery=delivery)
    now = timezone.now()
    for email, slug, kind, page, days_ago, read in NOTIFICATIONS:
        at = now - datetime.timedelta(days=days_ago)
        Notification.objects.create(
            cell=demo.cells[slug], user=users[email], kind=kind,
            path=reverse(page, kwargs={"cell_slug": slug}), created_at=at, delivery=Delivery.IN_APP,
            read_at=at + datetime.timedelta(hours=2) if read else None,
        )  # fmt: skip

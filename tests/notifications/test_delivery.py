"""How a notification reaches its person, by her preference for the kind: always in the app; by
e-mail at once through the outbox (sent once); or in one digest a day listing them all. The
e-mail says the kind's sentence, the reference and the link, in her language, and nothing else."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from livc.notifications import attachments
from livc.notifications.models import DEFAULT_DELIVERY, Delivery, Notification, NotificationKind, Preference
from livc.notifications.services import notify
from livc.notifications.tasks import send_digest, send_digests, send_notification
from livc.outbox.models import Message
from tests.factories import UserFactory
from tests.notifications.conftest import assert_nothing_personal, mail_texts, notification_mails

pytestmark = pytest.mark.django_db

REFERRALS = "/c/alfa/referrals/"


def _notify(cast, users, kind=NotificationKind.LTF_FEEDBACK, reference="2026-0001", cell=None):
    return notify(users=users, cell=cell or cast.cell_a, kind=kind, path=REFERRALS, reference=reference)


def _prefer(user, delivery, kind=NotificationKind.LTF_FEEDBACK):
    Preference.objects.create(user=user, kind=kind, delivery=delivery)


def test_by_default_a_notification_is_mailed_at_once_after_the_commit(
    cast, django_capture_on_commit_callbacks
):
    assert DEFAULT_DELIVERY == Delivery.EMAIL
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _notify(cast, [cast.officer])
        assert mail.outbox == []  # not before the commit
    [message] = mail.outbox
    assert message.to == [cast.officer.email]
    subject, body, html = mail_texts(message)
    assert subject == "LIVC-R Alfa: Feedback waits to be passed on to the Local Taskforce."
    link = settings.LIVC_BASE_URL + REFERRALS  # absolute: the site's address
    for text in (body, html):
        assert "Feedback waits to be passed on to the Local Taskforce." in text
        assert "Reference: 2026-0001" in text and link in text
    assert message.attachments == []
    notification.refresh_from_db()
    assert notification.mailed_at is not None and notification.read_at is None


def test_the_mail_is_sent_once_even_if_its_task_runs_twice(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _notify(cast, [cast.officer])
    [message] = notification_mails()
    assert message.done_at is not None
    send_notification.delay(notification_id=str(notification.pk), cell_id=cast.cell_a.pk).get()  # again
    assert len(mail.outbox) == 1


def test_in_the_app_only_no_mail_is_written(cast, django_capture_on_commit_callbacks):
    _prefer(cast.officer, Delivery.IN_APP)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = _notify(cast, [cast.officer])
    assert notification.delivery == Delivery.IN_APP
    assert notification_mails() == [] and mail.outbox == []


def test_the_choice_is_per_kind(cast, django_capture_on_commit_callbacks):
    _prefer(cast.alice, Delivery.IN_APP, kind=NotificationKind.URGENT_REFERRAL)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast, [cast.alice], kind=NotificationKind.URGENT_REFERRAL)
        _notify(cast, [cast.alice], kind=NotificationKind.ACTION_DUE)
    assert [message.subject for message in mail.outbox] == ["LIVC-R Alfa: An action you own is due."]


def test_one_notification_per_distinct_member_of_the_cell(cast):
    stranger = UserFactory(email="vreemde@example.test")  # no membership of cell A
    made = _notify(cast, [cast.alice, cast.alice, cast.charlie, cast.bob, stranger])
    assert sorted(n.user.email for n in made) == [cast.alice.email, cast.bob.email]
    assert Notification.objects.count() == 2


def test_a_member_who_left_before_the_mail_went_gets_none(cast, django_capture_on_commit_callbacks):
    [notification] = _notify(cast, [cast.officer])
    cast.officer.is_active = False
    cast.officer.save()
    send_notification.delay(notification_id=str(notification.pk), cell_id=cast.cell_a.pk).get()
    assert mail.outbox == []


def test_the_mail_is_in_the_persons_language(cast, django_capture_on_commit_callbacks):
    cast.officer.language = "fr"
    cast.officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast, [cast.officer])
    assert '<html lang="fr">' in mail_texts(mail.outbox[0])[2]


def test_a_notification_and_its_mail_carry_nothing_personal(world, cast, django_capture_on_commit_callbacks):
    """The real emitters, around a case of a named, pseudonymised person: nothing of them goes out."""
    from cases.services.referrals import QualificationData, referral_qualify

    with django_capture_on_commit_callbacks(execute=True):
        referral = world.referral
        referral_qualify(member=world.members["coordinator"], referral=referral,
                         data=QualificationData(outcome="retained", aim_signals="Geweld."))  # fmt: skip
    assert len(mail.outbox) == 1
    for message in mail.outbox:
        assert_nothing_personal(*mail_texts(message))
    for notification in Notification.objects.all():
        assert_nothing_personal(notification.reference, notification.path, notification.target)


def test_the_attachment_registered_for_a_kind_goes_with_its_mail(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(attachments, "_providers", {})
    seen = []

    def calendar(notification):
        seen.append(notification.pk)
        return attachments.Attachment("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")

    attachments.register(NotificationKind.AGENDA_PUBLISHED, calendar)
    with django_capture_on_commit_callbacks(execute=True):
        [published] = _notify(cast, [cast.bob], kind=NotificationKind.AGENDA_PUBLISHED)
        _notify(cast, [cast.bob], kind=NotificationKind.ACTION_DUE)
    by_subject = {message.subject: message for message in mail.outbox}
    meeting = by_subject[
        "LIVC-R Alfa: News about a meeting you are invited to: its agenda, a change or its cancellation."
    ]
    assert meeting.attachments == [("meeting.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")]
    assert by_subject["LIVC-R Alfa: An action you own is due."].attachments == []
    assert seen == [published.pk]


def test_a_provider_that_gives_nothing_leaves_the_mail_without_attachment(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(attachments, "_providers", {})
    attachments.register(NotificationKind.AGENDA_PUBLISHED, lambda notification: None)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast, [cast.bob], kind=NotificationKind.AGENDA_PUBLISHED)
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments == []


# --- The daily digest ---------------------------------------------------------------------------


def test_the_digest_lists_a_days_notifications_in_one_mail_sent_once(
    cast, django_capture_on_commit_callbacks
):
    _prefer(cast.alice, Delivery.DIGEST, kind=NotificationKind.URGENT_REFERRAL)
    _prefer(cast.alice, Delivery.DIGEST, kind=NotificationKind.ACTION_DUE)
    _prefer(cast.bob, Delivery.DIGEST, kind=NotificationKind.ACTION_DUE)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(cast, [cast.alice], kind=NotificationKind.URGENT_REFERRAL, reference="")
        _notify(cast, [cast.alice, cast.bob], kind=NotificationKind.ACTION_DUE, reference="2026-0007")
        _notify(cast, [cast.alice], kind=NotificationKind.LTF_FEEDBACK)  # her choice for it: e-mail
    assert [message.to for message in mail.outbox] == [[cast.alice.email]]  # only the e-mailed one
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.delay().get() == 2  # alice and bob
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.delay().get() == 0  # the beat ran twice today: written once per person
    assert sorted(message.to[0] for message in mail.outbox) == [cast.alice.email, cast.bob.email]
    alices = next(message for message in mail.outbox if message.to == [cast.alice.email])
    subject, body, html = mail_texts(alices)
    assert subject.startswith("Your daily digest of ") and subject.endswith(": 2 notifications")
    for text in (body, html):
        assert "An urgent referral waits for qualification." in text
        assert "An action you own is due." in text and "(2026-0007)" in text
        assert "Feedback waits" not in text  # mailed at once already
        assert "/c/alfa/referrals/" in text
    assert not Notification.objects.filter(delivery=Delivery.DIGEST, mailed_at=None).exists()
    assert send_digest.delay(user_id=cast.alice.pk).get() == 0  # the task itself, again: nothing left


def test_the_digest_spans_the_persons_cells(cast, django_capture_on_commit_callbacks):
    for kind in (NotificationKind.ACTION_DUE, NotificationKind.AGENDA_PUBLISHED):
        _prefer(cast.dries, Delivery.DIGEST, kind=kind)
    _notify(cast, [cast.dries], kind=NotificationKind.ACTION_DUE)
    _notify(cast, [cast.dries], kind=NotificationKind.AGENDA_PUBLISHED, cell=cast.cell_b, reference="")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.delay().get() == 1
    [message] = mail.outbox
    assert "LIVC-R Alfa" in message.body and "LIVC-R Bravo" in message.body


def test_a_new_day_has_its_own_digest(cast, time_machine, django_capture_on_commit_callbacks):
    _prefer(cast.bob, Delivery.DIGEST, kind=NotificationKind.ACTION_DUE)
    _notify(cast, [cast.bob], kind=NotificationKind.ACTION_DUE)
    with django_capture_on_commit_callbacks(execute=True):
        send_digests.delay().get()
    time_machine.move_to(timezone.now() + datetime.timedelta(days=1), tick=False)
    _notify(cast, [cast.bob], kind=NotificationKind.ACTION_DUE, reference="2026-0099")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.delay().get() == 1
    assert (
        len(mail.outbox) == 2
        and "2026-0099" in mail.outbox[1].body
        and "2026-0001" not in mail.outbox[1].body
    )
    assert Message.objects.filter(task="livc.notifications.tasks.send_digest").count() == 2


def test_no_digest_for_a_member_who_left_the_cell(cast, django_capture_on_commit_callbacks):
    _prefer(cast.bob, Delivery.DIGEST, kind=NotificationKind.ACTION_DUE)
    _notify(cast, [cast.bob], kind=NotificationKind.ACTION_DUE)
    cast.bob.memberships.update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.delay().get() == 0
    assert mail.outbox == []


def test_the_digest_is_in_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"livc.notifications.tasks.send_digests", "meetings.tasks.notify_actions_due",
            "dpo.tasks.notify_breach_deadlines"} <= tasks  # fmt: skip


def test_a_path_must_be_inside_the_site(cast):
    for path in ("https://elders.example/", "//elders.example/", "referrals/"):
        with pytest.raises(ValueError):
            notify(users=[cast.alice], cell=cast.cell_a, kind=NotificationKind.ACTION_DUE, path=path)
    with pytest.raises(ValueError):
        notify(users=[cast.alice], cell=cast.cell_a, kind="unknown", path=REFERRALS)
    with pytest.raises(ValueError):  # a reference, not a text
        notify(users=[cast.alice], cell=cast.cell_a, kind=NotificationKind.ACTION_DUE, path=REFERRALS,
               reference="x" * 41)  # fmt: skip
    assert reverse("cases:referrals", kwargs={"cell_slug": "alfa"}) == REFERRALS

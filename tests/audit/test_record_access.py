import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from django.urls import reverse

from livc.audit.access import record_access
from livc.audit.models import AccessKind, LogEntry

pytestmark = pytest.mark.django_db


@override_settings(LIVC_TRUSTED_PROXY_COUNT=1)
def test_the_access_entry_records_the_client_behind_the_trusted_proxy(cast, as_user):
    as_user(cast.alice).get(
        reverse("cells:home", kwargs={"cell_slug": "alfa"}),
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.20",
    )
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.remote_addr == "198.51.100.20"
    assert entry.remote_port is None


def test_recording_access_to_an_unregistered_model_fails_loudly(cast):
    request = RequestFactory().get("/")
    request.cell = cast.cell_a
    request.resolver_match = None
    with pytest.raises(ImproperlyConfigured):
        record_access(request, Session(session_key="x"))


def test_each_kind_of_access_is_recorded_as_such(cast):
    request = RequestFactory().get("/")
    request.cell = cast.cell_a
    request.resolver_match = None
    record_access(request, cast.cell_a, kind=AccessKind.EXPORT)
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.access_kind == AccessKind.EXPORT
    assert entry.cell == cast.cell_a


def test_changes_to_memberships_are_logged_with_the_cell_and_without_names(cast):
    membership = cast.alice.memberships.get()
    membership.is_active = False
    membership.save()
    entry = LogEntry.objects.filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.cell == cast.cell_a
    assert entry.changes == {"is_active": [True, False]}
    assert "Alice" not in entry.object_repr

import pytest
from django.test import RequestFactory, override_settings

from livc.audit.client import client_ip

rf = RequestFactory()


def request(remote: str = "10.0.0.5", forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return rf.get("/", REMOTE_ADDR=remote, **headers)


@override_settings(LIVC_TRUSTED_PROXY_COUNT=0)
def test_without_a_trusted_proxy_the_header_is_ignored():
    assert client_ip(request(forwarded="203.0.113.9")) == "10.0.0.5"


@override_settings(LIVC_TRUSTED_PROXY_COUNT=1)
def test_with_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote():
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.9")) == "203.0.113.9"


@override_settings(LIVC_TRUSTED_PROXY_COUNT=2)
def test_with_two_proxies_the_second_entry_from_the_right_is_the_client():
    assert client_ip(request(forwarded="6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


@override_settings(LIVC_TRUSTED_PROXY_COUNT=2)
def test_too_few_entries_fall_back_to_the_connection_address():
    assert client_ip(request(forwarded="203.0.113.9")) == "10.0.0.5"


@override_settings(LIVC_TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("203.0.113.9:4711", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::2", "2001:db8::2"),
        ("garbage", "10.0.0.5"),
    ],
)
def test_ports_are_dropped_and_garbage_is_not_recorded(header, expected):
    assert client_ip(request(forwarded=header)) == expected

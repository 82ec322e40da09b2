"""Shared steps for browser journeys."""

from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from playwright.sync_api import Browser, BrowserContext

from livc.accounts.models import User
from tests.base import login_verified


def logged_in_context(browser: Browser, live_server_url: str, user: User) -> BrowserContext:
    """A browser context already past password and second factor (the login itself is tested elsewhere)."""
    client = login_verified(Client(), user)
    context = browser.new_context(locale="en-GB")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server_url}])
    return context


def current_totp(device: object) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)  # type: ignore[attr-defined]
    return f"{totp.token():06d}"

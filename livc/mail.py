"""Sending one of our e-mails: a subject, a text and an HTML part from three templates, written in
the recipient's language. Callers decide who gets what; a mail never carries case content."""

from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(
    *,
    template: str,
    context: dict[str, Any],
    to: str,
    language: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> None:
    """Send `<template>_subject.txt`, `<template>.txt` and `<template>.html` to one address, with
    the given files (file name, content, MIME type)."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()

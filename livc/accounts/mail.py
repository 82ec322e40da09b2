"""The e-mail with a link to choose a password, sent when a platform administrator asks.

The administrator never sees the link: it goes to the account's own address only. The task
takes the account's id (nothing personal passes through Redis) and makes the link itself; the
link works until the password is chosen, or for `PASSWORD_RESET_TIMEOUT` (3 days).
"""

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from livc.accounts.models import User
from livc.mail import send_templated_mail


def password_link(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_set", kwargs={"uidb64": uidb64, "token": token})
    return settings.LIVC_BASE_URL + path


@shared_task
def send_password_link(*, user_id: int) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return  # deactivated before the mail went out
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    context = {"user": user, "link": password_link(user), "valid_days": days}
    send_templated_mail(
        template="accounts/emails/password_link", context=context, to=user.email, language=user.language
    )

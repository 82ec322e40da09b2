"""The invitation e-mail, sent in the background once the invitation's transaction commits.
Arguments are ids only: nothing personal passes through Redis."""

from celery import shared_task
from django.conf import settings
from django.urls import reverse

from livc.mail import send_templated_mail
from participants.models import Invitation, InvitationStatus
from participants.tokens import make_token


@shared_task
def send_invitation_email(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("cell", "organisation").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != InvitationStatus.SENT or not invitation.token_nonce:
        return  # withdrawn, answered or purged before the mail went out
    token = make_token(invitation_id=invitation.pk, nonce=invitation.token_nonce)
    link = settings.LIVC_BASE_URL + reverse("invitation:respond", kwargs={"token": token})
    context = {"invitation": invitation, "link": link, "valid_days": settings.LIVC_INVITATION_VALID_DAYS}
    send_templated_mail(
        template="emails/invitation", context=context, to=invitation.email, language=invitation.language
    )

"""The invitee's side: the e-mailed link, to accept (with a new account if needed) or decline.

Reachable without a cell membership and, for someone without an account, without logging
in: the signed single-use link is the proof of being invited. Someone with an account logs
in (password and second factor) before accepting, so that nobody accepts in their name.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from livc.accounts import oidc
from livc.accounts.models import User
from livc.accounts.oidc_views import refused
from livc.database.tenancy import enter_cell_of_link
from livc.forms import add_service_errors
from participants import selectors, services
from participants.forms import AcknowledgeForm, DeclineForm, NewAccountForm
from participants.models import Invitation, ParticipantKind
from participants.tokens import BadLink, read_token


def _invitation_or_problem(request: HttpRequest, token: str) -> tuple[Invitation | None, HttpResponse | None]:
    try:
        link = read_token(token)  # its signature holds: the database may tell the invitation's cell
        enter_cell_of_link(Invitation, link.invitation_id)
        invitation = Invitation.objects.select_related("cell", "organisation").get(pk=link.invitation_id)
    except (BadLink, Invitation.DoesNotExist):
        return None, render(
            request, "participants/invitee/link_problem.html", {"problem": "invalid"}, status=400
        )
    try:
        services.invitation_check_link(invitation, link.nonce)
    except services.LinkProblem as problem:
        return None, _link_problem(request, invitation, problem)
    return invitation, None


def _link_problem(
    request: HttpRequest, invitation: Invitation, problem: services.LinkProblem
) -> HttpResponse:
    if problem.reason == "expired":
        services.invitations_expire()  # record it now rather than at the next hourly run
    context = {"problem": problem.reason, "invitation": invitation}
    return render(request, "participants/invitee/link_problem.html", context, status=410)


@never_cache
@login_not_required
def respond(request: HttpRequest, token: str) -> HttpResponse:
    invitation, problem = _invitation_or_problem(request, token)
    if problem is not None:
        return problem
    assert invitation is not None
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    if has_account and not request.user.is_authenticated:
        return render(request, "participants/invitee/log_in_first.html", _context(invitation, token))
    if request.user.is_authenticated and request.user.email.lower() != invitation.email.lower():
        return render(
            request, "participants/invitee/wrong_account.html", _context(invitation, token), status=403
        )
    form_class = AcknowledgeForm if has_account else NewAccountForm
    initial = {"name": invitation.name}
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _accept(request, invitation, token, form)
    return _respond_page(request, invitation, token, form=form)


def _respond_page(
    request: HttpRequest,
    invitation: Invitation,
    token: str,
    *,
    form: AcknowledgeForm,
    provider_form: AcknowledgeForm | None = None,
) -> HttpResponse:
    """The invitation with its forms: a password for a new account, or an identity provider's login."""
    context = {
        **_context(invitation, token),
        "form": form,
        "provider_form": provider_form or AcknowledgeForm(prefix="provider"),
        "providers": [] if request.user.is_authenticated else oidc.providers_for_cell(invitation.cell.slug),
    }
    return render(request, "participants/invitee/respond.html", context)


@never_cache
@require_POST
@login_not_required
def accept_with_provider(request: HttpRequest, token: str, provider: str) -> HttpResponse:
    """Accept with a new account whose address an identity provider proves (no password).

    The acknowledgement is ticked here; the provider's login follows, and its callback
    (`livc/accounts/oidc_views.py`) sends the browser on to `accepted_by_provider`.
    """
    invitation, problem = _invitation_or_problem(request, token)
    if problem is not None:
        return problem
    assert invitation is not None
    found = oidc.provider_get(provider)
    if found is None or not found.allows_cell(invitation.cell.slug):
        raise Http404("No such identity provider for this cell.")
    if request.user.is_authenticated or User.objects.filter(email__iexact=invitation.email).exists():
        return redirect("invitation:respond", token=token)  # an existing account logs in first
    provider_form = AcknowledgeForm(request.POST, prefix="provider")
    if not provider_form.is_valid():
        return _respond_page(
            request,
            invitation,
            token,
            form=NewAccountForm(initial={"name": invitation.name}),
            provider_form=provider_form,
        )
    finish = reverse("invitation:accepted_by_provider", kwargs={"token": token})
    try:
        return oidc.start(request, found, purpose=oidc.INVITATION, next_url=finish)
    except oidc.Refusal as refusal:
        return refused(
            request, found, refusal.reason, back=reverse("invitation:respond", kwargs={"token": token})
        )


@never_cache
@require_GET
@login_not_required
def accepted_by_provider(request: HttpRequest, token: str) -> HttpResponse:
    """Back from the provider: the proven address must be the invited one; then the account is made.

    The proof (`oidc.take_proof`) is read once and only for a few minutes. A different address
    makes nothing and leaves the invitation open.
    """
    invitation, problem = _invitation_or_problem(request, token)
    if problem is not None:
        return problem
    assert invitation is not None
    back = reverse("invitation:respond", kwargs={"token": token})
    proof = oidc.take_proof(request.session)
    found = oidc.provider_get(proof["provider"]) if proof else None
    if proof is None or found is None or not found.allows_cell(invitation.cell.slug):
        return refused(request, found, "proof_missing", back=back)
    if proof["email"] != invitation.email.strip().lower():
        return refused(request, found, "wrong_address", back=back)
    try:
        membership = services.invitation_accept(
            invitation=invitation,
            nonce=read_token(token).nonce,
            user=None,
            new_account=services.NewAccount(name=invitation.name, password=None),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect(back)
    except services.LinkProblem as answered:  # answered meanwhile, e.g. in another tab
        return _link_problem(request, invitation, answered)
    verified = oidc.log_in(request, membership.user, provider=found.key, mfa=proof["mfa"])
    oidc.remember_login(request.session, provider=found.key, id_token=proof["id_token"])
    home = reverse("cells:home", kwargs={"cell_slug": membership.cell.slug})
    if verified:
        messages.success(request, _("Welcome to %(cell)s.") % {"cell": membership.cell.name})
        return redirect(home)
    messages.success(request, _("Welcome. Set up your second factor to enter the cell."))
    return redirect(f"{reverse('accounts:setup')}?next={home}")


def _accept(request: HttpRequest, invitation: Invitation, token: str, form: AcknowledgeForm) -> HttpResponse:
    new_account = None
    if isinstance(form, NewAccountForm):
        new_account = services.NewAccount(
            name=form.cleaned_data["name"], password=form.cleaned_data["password1"]
        )
    user = request.user if request.user.is_authenticated else None
    try:
        membership = services.invitation_accept(
            invitation=invitation,
            nonce=read_token(token).nonce,
            user=user,
            new_account=new_account,
        )
    except ValidationError as error:
        add_service_errors(form, _password_errors_on_field(error))
        return _respond_page(request, invitation, token, form=form)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("invitation:respond", token=token)
    except services.LinkProblem as answered:  # answered meanwhile, e.g. in another tab
        return _link_problem(request, invitation, answered)
    home = reverse("cells:home", kwargs={"cell_slug": membership.cell.slug})
    if user is None:
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome. Set up your second factor to enter the cell."))
        return redirect(f"{reverse('accounts:setup')}?next={home}")
    messages.success(request, _("Welcome to %(cell)s.") % {"cell": membership.cell.name})
    return redirect(home)


def _password_errors_on_field(error: ValidationError) -> ValidationError:
    """Password validators raise plain errors; show them on the password field."""
    if hasattr(error, "error_dict"):
        return error
    return ValidationError({"password1": error.error_list})


@never_cache
@login_not_required
def decline(request: HttpRequest, token: str) -> HttpResponse:
    invitation, problem = _invitation_or_problem(request, token)
    if problem is not None:
        return problem
    assert invitation is not None
    form = DeclineForm(
        request.POST if request.method == "POST" else None,
        professional=invitation.kind == ParticipantKind.PROFESSIONAL,
    )
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            services.invitation_decline(
                invitation=invitation,
                nonce=read_token(token).nonce,
                motivation=form.cleaned_data["motivation"],
                user=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except services.LinkProblem as answered:  # answered meanwhile, e.g. in another tab
            return _link_problem(request, invitation, answered)
        else:
            return render(request, "participants/invitee/declined.html", {"invitation": invitation})
    return render(request, "participants/invitee/decline.html", {**_context(invitation, token), "form": form})


def _context(invitation: Invitation, token: str) -> dict[str, object]:
    return {
        "invitation": invitation,
        "token": token,
        "rules": selectors.rules_in_force(cell=invitation.cell),
        "login_url": reverse("accounts:login")
        + "?next="
        + reverse("invitation:respond", kwargs={"token": token}),
    }

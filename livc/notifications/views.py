"""One's notifications in a cell (list, open, mark all read) and the choice of how each kind
reaches one (an account page, outside the cells: the choice is the person's, in every cell)."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from livc.http import AuthenticatedRequest, CellRequest
from livc.notifications import selectors, services
from livc.notifications.forms import PreferencesForm
from livc.pagination import BoundedPaginator
from livc.submissions.decorators import once_per_submission

PAGE_SIZE = 50


def notification_list(request: CellRequest) -> HttpResponse:
    """The member's notifications in this cell, newest first; the unread ones marked."""
    notifications = selectors.notification_list(user=request.user, cell=request.cell)
    page = BoundedPaginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "notifications": list(page.object_list), "filters": ""}
    return render(request, "notifications/list.html", context)


@require_GET
def notification_open(request: CellRequest, pk: str) -> HttpResponse:
    """Mark one's notification read and go to the page it points to."""
    notification = selectors.notification_get(user=request.user, cell=request.cell, pk=pk)
    services.notification_open(notification=notification)
    path = notification.path
    if not url_has_allowed_host_and_scheme(path, allowed_hosts=None):  # made by our code: never
        path = reverse("notifications:list", kwargs={"cell_slug": request.cell.slug})
    return HttpResponseRedirect(path)


@require_POST
@once_per_submission
def notifications_read(request: CellRequest) -> HttpResponse:
    """Mark all of one's notifications in the cell read (sent twice: nothing is left to mark)."""
    services.notifications_mark_all_read(user=request.user, cell=request.cell)
    messages.success(request, _("All your notifications are marked read."))
    return HttpResponseRedirect(reverse("notifications:list", kwargs={"cell_slug": request.cell.slug}))


@never_cache
@once_per_submission
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    """For each kind the person may receive, how it reaches her: in the app only, by e-mail at
    once, or in a daily digest."""
    kinds = selectors.relevant_kinds(user=request.user)
    current = selectors.deliveries_of(user=request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=request.user, deliveries=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return HttpResponseRedirect(reverse("accounts:notifications"))
    return render(request, "notifications/preferences.html", {"form": form, "kinds": kinds})

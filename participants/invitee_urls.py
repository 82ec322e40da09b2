from django.urls import path

from participants import invitee_views

app_name = "invitation"

urlpatterns = [
    path("<str:token>/", invitee_views.respond, name="respond"),
    path("<str:token>/decline/", invitee_views.decline, name="decline"),
    path(
        "<str:token>/provider/<slug:provider>/",
        invitee_views.accept_with_provider,
        name="accept_with_provider",
    ),
    path("<str:token>/provider/", invitee_views.accepted_by_provider, name="accepted_by_provider"),
]

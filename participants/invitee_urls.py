from django.urls import path

from participants import invitee_views

app_name = "invitation"

urlpatterns = [
    path("<str:token>/", invitee_views.respond, name="respond"),
    path("<str:token>/decline/", invitee_views.decline, name="decline"),
]

from django.urls import path

from livc.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notifications_read, name="read"),
    path("notifications/<uuid:pk>/", views.notification_open, name="open"),
]

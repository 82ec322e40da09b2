from django.urls import path

from livc.cells import views

app_name = "cells"

urlpatterns = [
    path("", views.pick, name="pick"),
    path("<slug:cell_slug>/", views.home, name="home"),
]

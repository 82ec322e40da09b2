from django.urls import path

from livc.statistics import views

app_name = "statistics"

urlpatterns = [
    path("statistics/", views.report, name="report"),
    path("statistics/report.csv", views.report_csv_download, name="csv"),
    path("statistics/report.pdf", views.report_pdf_download, name="pdf"),
]

from django.urls import path

from . import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("<int:contract_id>/", views.contract_statement, name="statement"),
    path("<int:contract_id>/statement.csv", views.contract_statement_csv, name="statement_csv"),
    path("<int:contract_id>/terms/", views.contract_terms, name="terms"),
]

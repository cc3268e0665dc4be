from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "wraparound.fhir"
    label = "fhir"
    verbose_name = "FHIR R4 API"

"""The organisations of a place, their teams and the alliance they form."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

latitude_validators = [MinValueValidator(-90), MaxValueValidator(90)]
longitude_validators = [MinValueValidator(-180), MaxValueValidator(180)]

ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,8}$", "ODS code must be 3 to 8 capital letters or digits"
)


class Place(models.Model):
    """A local area (a town or borough) within an integrated care system."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """30-50,000 people served by a primary care network and a neighbourhood team."""

    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="neighbourhoods")
    name = models.CharField(max_length=120)
    code = models.SlugField(max_length=40, unique=True)
    population = models.PositiveIntegerField(default=0)
    centre_latitude = models.FloatField(validators=latitude_validators)
    centre_longitude = models.FloatField(validators=longitude_validators)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["place", "name"], name="neighbourhood_name_unique_in_place"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    COMMUNITY_TRUST = "community_trust", "Community trust"
    ACUTE_TRUST = "acute_trust", "Acute trust"
    MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health trust"
    AMBULANCE_TRUST = "ambulance_trust", "Ambulance trust"
    GP_PRACTICE = "gp_practice", "GP practice"
    PRIMARY_CARE_NETWORK = "primary_care_network", "Primary care network"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY_ORGANISATION = "voluntary_organisation", "Voluntary organisation"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"


class Organisation(models.Model):
    """A provider or commissioner, identified by an ODS-style code."""

    ods_code = models.CharField(
        "ODS code", max_length=8, unique=True, validators=[ods_code_validator]
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="organisations", null=True, blank=True
    )
    # A GP practice belongs to a primary care network.
    network = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="member_practices",
        null=True,
        blank=True,
        limit_choices_to={"kind": OrganisationKind.PRIMARY_CARE_NETWORK},
    )
    latitude = models.FloatField(null=True, blank=True, validators=latitude_validators)
    longitude = models.FloatField(null=True, blank=True, validators=longitude_validators)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(network__isnull=True) | models.Q(kind="gp_practice"),
                name="only_gp_practices_belong_to_a_network",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class ServiceKind(models.TextChoices):
    NEIGHBOURHOOD_NURSING = "neighbourhood_nursing", "Neighbourhood (district) nursing"
    URGENT_COMMUNITY_RESPONSE = "urgent_community_response", "Urgent community response"
    THERAPY_AND_REABLEMENT = "therapy_and_reablement", "Therapy and reablement"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    VIRTUAL_WARD = "virtual_ward", "Virtual ward"
    PALLIATIVE_CARE = "palliative_care", "Palliative care"
    SOCIAL_CARE = "social_care", "Social care"
    MENTAL_HEALTH = "mental_health", "Mental health"
    GENERAL_PRACTICE = "general_practice", "General practice"
    VOLUNTARY_SUPPORT = "voluntary_support", "Voluntary support"
    HOSPITAL = "hospital", "Hospital"
    AMBULANCE = "ambulance", "Ambulance"


class Team(models.Model):
    """A team of an organisation, covering neighbourhoods from a base."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=60, unique=True)
    service_kind = models.CharField(max_length=40, choices=ServiceKind.choices)
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="teams", blank=True)
    base_name = models.CharField(max_length=200, blank=True)
    base_latitude = models.FloatField(validators=latitude_validators)
    base_longitude = models.FloatField(validators=longitude_validators)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_kind__in=ServiceKind.values),
                name="team_service_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Alliance(models.Model):
    """Organisations that agree to manage one caseload together."""

    name = models.CharField(max_length=200, unique=True)
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="alliances")
    members = models.ManyToManyField(Organisation, related_name="alliances")

    def __str__(self) -> str:
        return self.name

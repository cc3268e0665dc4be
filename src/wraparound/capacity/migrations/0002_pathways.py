"""The virtual-ward pathways NHS England's framework names first; others are added as data."""

from django.db import migrations

PATHWAYS = (
    ("frailty", "Frailty"),
    ("acute-respiratory-infection", "Acute respiratory infection"),
    ("heart-failure", "Heart failure"),
)


def add_pathways(apps, schema_editor):
    Pathway = apps.get_model("capacity", "Pathway")
    for code, name in PATHWAYS:
        Pathway.objects.get_or_create(code=code, defaults={"name": name})


def remove_pathways(apps, schema_editor):
    apps.get_model("capacity", "Pathway").objects.filter(code__in=[c for c, _ in PATHWAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("capacity", "0001_initial")]
    operations = [migrations.RunPython(add_pathways, remove_pathways)]

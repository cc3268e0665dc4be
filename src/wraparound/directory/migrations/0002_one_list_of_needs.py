"""The directory's needs become the one list the referral form uses (``wraparound.needs``).

Eight codes are renamed to the referral form's code for the same need; the rest were already
shared or are new to the form. Service profiles and recorded gaps are rewritten in place.
"""

from django.db import migrations, models

# Frozen here: a migration must not follow later edits of the application's code.
RENAMED = {
    "fall_no_injury": "fall",
    "crisis_at_home": "frailty_decompensation",
    "delirium": "confusion_delirium",
    "diabetes_support": "urgent_diabetes",
    "palliative_support": "palliative_crisis",
    "rehabilitation": "reduced_function",
    "social_care": "social_support",
    "medicines": "medication_support",
}


def _rename(apps, mapping):
    ServiceNeed = apps.get_model("directory", "ServiceNeed")
    Gap = apps.get_model("directory", "Gap")
    for old, new in mapping.items():
        ServiceNeed.objects.filter(need=old).update(need=new)
    for gap in Gap.objects.all().iterator():
        renamed = [mapping.get(need, need) for need in gap.needs]
        if renamed != gap.needs:
            gap.needs = renamed
            gap.save(update_fields=["needs"])


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='serviceneed',
            name='service_need_valid',
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name='serviceneed',
            name='need',
            field=models.CharField(choices=[('fall', 'Fall with no apparent serious injury'), ('frailty_decompensation', 'Decompensation of frailty'), ('reduced_function', 'Reduced function, deconditioning or mobility'), ('palliative_crisis', 'Palliative or end-of-life crisis'), ('urgent_equipment', 'Urgent equipment'), ('confusion_delirium', 'Confusion or delirium'), ('urgent_catheter', 'Urgent catheter care'), ('urgent_diabetes', 'Urgent diabetes support'), ('carer_breakdown', 'Unpaid carer breakdown'), ('breathlessness', 'Breathlessness'), ('mental_health_crisis', 'Mental health crisis'), ('reablement', 'Reablement to regain independence at home'), ('remote_monitoring', 'Hospital-level care at home (monitoring)'), ('unable_to_manage', 'Unable to manage at home'), ('wound_care', 'Wound care'), ('medication_support', 'Medication support'), ('continence', 'Continence assessment'), ('long_term_condition', 'Long-term condition review'), ('social_support', 'Social or practical support'), ('loneliness', 'Loneliness and isolation'), ('other', 'Other (described in the summary)')], max_length=40),
        ),
        migrations.AddConstraint(
            model_name='serviceneed',
            constraint=models.CheckConstraint(condition=models.Q(('need__in', ['fall', 'frailty_decompensation', 'reduced_function', 'palliative_crisis', 'urgent_equipment', 'confusion_delirium', 'urgent_catheter', 'urgent_diabetes', 'carer_breakdown', 'breathlessness', 'mental_health_crisis', 'reablement', 'remote_monitoring', 'unable_to_manage', 'wound_care', 'medication_support', 'continence', 'long_term_condition', 'social_support', 'loneliness', 'other'])), name='service_need_valid'),
        ),
    ]

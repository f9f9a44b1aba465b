from django.db import migrations

# GBVIMS-compatible bands: children (0–11, 12–17) and adults (18–59, 60 and over).
BANDS = [
    ("0-11", "0 à 11 ans", "0 to 11 years", 0, 11, True, 1),
    ("12-17", "12 à 17 ans", "12 to 17 years", 12, 17, True, 2),
    ("18-59", "18 à 59 ans", "18 to 59 years", 18, 59, False, 3),
    ("60-plus", "60 ans et plus", "60 years and over", 60, None, False, 4),
]


def bands_load(apps, schema_editor):
    AgeBand = apps.get_model("protection", "AgeBand")
    for code, fr, en, low, high, child, order in BANDS:
        AgeBand.objects.update_or_create(
            code=code,
            defaults={
                "name_fr": fr,
                "name_en": en,
                "min_age": low,
                "max_age": high,
                "is_child": child,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_initial")]
    operations = [migrations.RunPython(bands_load, migrations.RunPython.noop)]

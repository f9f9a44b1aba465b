"""Themes can be sensitive: their activities are never listed on the public pages (issue 9,
item 18). Gender-based violence (GBV/SGBV, code `gbv`) is, in databases made before."""

from typing import Any

from django.db import migrations, models


def gbv_is_sensitive(apps: Any, schema_editor: Any) -> None:
    apps.get_model("activities", "Theme").objects.filter(code="gbv").update(is_sensitive=True)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_text_length_limits"),
    ]

    operations = [
        migrations.AddField(
            model_name="theme",
            name="is_sensitive",
            field=models.BooleanField(
                default=False,
                help_text="Activities with a sensitive theme are never listed on the public pages.",
                verbose_name="sensitive",
            ),
        ),
        migrations.RunPython(gbv_is_sensitive, migrations.RunPython.noop),
    ]

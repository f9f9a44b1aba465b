"""What the public pages may show: an indicator's figure (`is_public`) and the list of the
activities behind it (`lists_public`), two decisions of the unit admin (issue 9, item 18).
In databases made before, the headline figures stay published (they were the public
page's figures); no activity list is published until the unit admin says so."""

from typing import Any

from django.db import migrations, models


def headline_figures_stay_public(apps: Any, schema_editor: Any) -> None:
    apps.get_model("indicators", "Indicator").objects.filter(is_headline=True).update(
        is_public=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="is_public",
            field=models.BooleanField(
                default=False,
                help_text="Its value and definition are shown to anyone, without signing in.",
                verbose_name="published on the public pages",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="lists_public",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "The activities behind its figure are listed to anyone (never those with "
                    "a sensitive theme). Only for a published indicator."
                ),
                verbose_name="its activities listed on the public pages",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("lists_public", False), ("is_public", True), _connector="OR"),
                name="indicator_lists_public_only_if_public",
                violation_error_message=(
                    "Its activities can be listed publicly only if the indicator is published."
                ),
            ),
        ),
        migrations.RunPython(headline_figures_stay_public, migrations.RunPython.noop),
    ]

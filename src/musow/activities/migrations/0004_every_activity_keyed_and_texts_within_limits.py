"""Before the length limits of 0005: every activity gets a key, and texts over the limits
stop the migration with the activities to shorten (nothing is ever cut).

An activity entered in the web form or the admin had source "web"/"admin" and no key, so
importing an export of it created a copy. It now gets a random key that never changes
(and the source "musow" when it had none), as new ones do (activities.services).
"""

import uuid

from django.db import migrations
from django.db.models.functions import Length

# The limits of 0005 (activities.models.ACTIVITY_TEXT_MAX, MEDIA_TEXT_MAX) as they were
# when this migration was written.
ACTIVITY_LIMITS = {
    "title": 300,
    "description": 10_000,
    "source": 200,
    "source_key": 200,
    "origin": 500,
    "review_comment": 2_000,
}
MEDIA_LIMITS = {"outlet": 200, "method": 2_000}


def texts_within_limits(apps, schema_editor):
    too_long = []
    for model_name, limits in (("Activity", ACTIVITY_LIMITS), ("MediaReach", MEDIA_LIMITS)):
        model = apps.get_model("activities", model_name)
        for name, limit in limits.items():
            rows = (
                model.objects.annotate(n=Length(name))
                .filter(n__gt=limit)
                .values_list("activity_id" if model_name == "MediaReach" else "pk", "n")
            )
            too_long += [
                f"activity {pk}: {model_name.lower()} {name} has {n} characters (at most {limit})"
                for pk, n in rows[:50]
            ]
    if too_long:
        raise RuntimeError(
            "Some texts are longer than musow now stores; shorten them (Django admin or the "
            "activity's page, with the previous version of musow), then migrate again. "
            "Nothing was changed.\n" + "\n".join(too_long)
        )


def key_every_activity(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    pending = list(Activity.objects.filter(source_key="").values_list("pk", "source"))
    for start in range(0, len(pending), 1000):
        rows = []
        for pk, source in pending[start : start + 1000]:
            rows.append(Activity(pk=pk, source=source or "musow", source_key=uuid.uuid4().hex))
        Activity.objects.bulk_update(rows, ["source", "source_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_workflow_versions_soft_delete_origin"),
    ]

    operations = [
        migrations.RunPython(texts_within_limits, migrations.RunPython.noop),
        migrations.RunPython(key_every_activity, migrations.RunPython.noop),
    ]

import uuid

from django.db import migrations, models


def create_state(apps, schema_editor):
    State = apps.get_model("analytics", "State")
    State.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"register_id": str(uuid.uuid4()), "generation": 0}
    )


class Migration(migrations.Migration):
    """The outbox the register's triggers write (musow/analytics/triggers.py creates the
    triggers after every migrate) and the register's identity for the analytics store."""

    initial = True

    dependencies = [
        ("activities", "0003_workflow_versions_soft_delete_origin"),
        ("indicators", "0001_initial"),
        ("geo", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Change",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("activity_id", models.BigIntegerField(null=True)),
                ("claimed", models.BooleanField(default=False)),
            ],
            options={"db_table": "analytics_change"},
        ),
        migrations.AddConstraint(
            model_name="change",
            constraint=models.UniqueConstraint(
                condition=models.Q(("claimed", False)),
                fields=("activity_id",),
                name="analytics_change_pending_once",
            ),
        ),
        migrations.CreateModel(
            name="State",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("register_id", models.CharField(max_length=36)),
                ("generation", models.BigIntegerField(default=0)),
            ],
            options={"db_table": "analytics_state"},
        ),
        migrations.RunPython(create_state, migrations.RunPython.noop),
    ]

"""Text length limits in the database: one CHECK per table (activities.models.ACTIVITY_TEXT_MAX,
MEDIA_TEXT_MAX), so that no door can store a text longer than the write path accepts."""

import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0004_every_activity_keyed_and_texts_within_limits'),
        ('geo', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='activity',
            name='description',
            field=models.TextField(blank=True, max_length=10000, verbose_name='description'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='review_comment',
            field=models.TextField(blank=True, db_default='', max_length=2000, verbose_name='review comment'),
        ),
        migrations.AlterField(
            model_name='mediareach',
            name='method',
            field=models.TextField(blank=True, max_length=2000, verbose_name='how it was estimated'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=models.Q(django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('title'), 300), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('description'), 10000), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('source'), 200), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('source_key'), 200), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('origin'), 500), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('review_comment'), 2000)), name='activity_text_lengths'),
        ),
        migrations.AddConstraint(
            model_name='mediareach',
            constraint=models.CheckConstraint(condition=models.Q(django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('outlet'), 200), django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('method'), 2000)), name='mediareach_text_lengths'),
        ),
    ]

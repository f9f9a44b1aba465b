"""The shapes the API reads and writes, for validation and for the OpenAPI description.

An activity is written and read in the shape of `activities/records.py`'s records
(codes for every vocabulary, a P-code for the place): what a client reads back it can
change and send again with its `version`. Attendance is given by participant code (or
by its pseudonymous key) and read back as keys only: never a name.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from musow.activities.models import Activity, MediaReach, Sex

SEXES = [(s.value, s.label) for s in Sex]
CODE = {"max_length": 60, "allow_blank": False}


class ParticipationSerializer(serializers.Serializer):
    audience = serializers.CharField(help_text=_("Audience code"), **CODE)
    sex = serializers.ChoiceField(choices=SEXES, help_text=_("f, m or u"))
    age = serializers.CharField(help_text=_("Age group code"), **CODE)
    count = serializers.IntegerField(min_value=0, max_value=2_147_483_647)


class MediaSerializer(serializers.Serializer):
    medium = serializers.ChoiceField(choices=MediaReach.Medium.choices)
    outlet = serializers.CharField(max_length=200, required=False, allow_blank=True)
    audience = serializers.IntegerField(
        min_value=0, max_value=2_147_483_647, help_text=_("Estimated audience")
    )
    method = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class AttendanceInSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=200,
        required=False,
        help_text=_("Participant code: musow keeps only its pseudonymous key"),
    )
    key = serializers.RegexField(
        r"^[0-9a-f]{64}$", required=False, help_text=_("Pseudonymous key, as read back")
    )
    sex = serializers.ChoiceField(choices=SEXES, required=False)
    audience = serializers.CharField(required=False, allow_null=True, **CODE)
    age = serializers.CharField(required=False, allow_null=True, **CODE)

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("code") and not attrs.get("key"):
            raise serializers.ValidationError(
                {"code": _("Each attendee needs a participant code.")}
            )
        return attrs


class AttendanceOutSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Pseudonymous key"))
    sex = serializers.ChoiceField(choices=SEXES)
    audience = serializers.CharField(allow_null=True)
    age = serializers.CharField(allow_null=True)


class ActivityInSerializer(serializers.Serializer):
    """What a client sends to create or replace an activity."""

    key = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=_("Your own stable key for the activity (unique among the API's)"),
    )
    type = serializers.CharField(help_text=_("Activity type code"), **CODE)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    start = serializers.DateField()
    end = serializers.DateField(required=False)
    place = serializers.CharField(max_length=20, help_text=_("P-code of the place"))
    themes = serializers.ListField(
        child=serializers.CharField(**CODE), required=False, max_length=50
    )
    campaign = serializers.CharField(required=False, allow_null=True, **CODE)
    project = serializers.CharField(required=False, allow_null=True, **CODE)
    organiser = serializers.CharField(required=False, allow_null=True, **CODE)
    partners = serializers.ListField(
        child=serializers.CharField(**CODE), required=False, max_length=50
    )
    objectives = serializers.ListField(
        child=serializers.CharField(**CODE), required=False, max_length=50
    )
    total = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=2_147_483_647,
        help_text=_("Declared total, checked against the breakdown"),
    )
    participation = ParticipationSerializer(many=True, required=False, max_length=500)
    media = MediaSerializer(many=True, required=False, max_length=100)
    attendance = AttendanceInSerializer(many=True, required=False, max_length=5000)


class ActivityUpdateSerializer(ActivityInSerializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        help_text=_("The version read: a stale one answers 409"),
    )


class ActivitySummarySerializer(serializers.Serializer):
    """An activity in a list."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Activity.Status.choices)
    key = serializers.CharField()
    type = serializers.CharField()
    title = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    place = serializers.CharField()
    place_name = serializers.CharField()
    region = serializers.CharField(allow_null=True)
    organiser = serializers.CharField(allow_null=True)
    themes = serializers.ListField(child=serializers.CharField())
    total = serializers.IntegerField()


class ActivitySerializer(ActivitySummarySerializer):
    """An activity read whole."""

    description = serializers.CharField()
    campaign = serializers.CharField(allow_null=True)
    project = serializers.CharField(allow_null=True)
    partners = serializers.ListField(child=serializers.CharField())
    objectives = serializers.ListField(child=serializers.CharField())
    participation = ParticipationSerializer(many=True)
    media = MediaSerializer(many=True)
    attendance = AttendanceOutSerializer(many=True)
    review_comment = serializers.CharField()
    source = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    validated_at = serializers.DateTimeField(allow_null=True)
    audit = serializers.CharField(help_text=_("Where its audit trail is"))


class ActivityPageSerializer(serializers.Serializer):
    results = ActivitySummarySerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text=_("The next page (older)"))
    previous = serializers.CharField(allow_null=True, help_text=_("The previous page (newer)"))


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, help_text=_("Why it is returned"))


class AuditEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    changes = serializers.DictField()
    comment = serializers.CharField()


class ActivityFilterSerializer(serializers.Serializer):
    """The web list's filters (GET parameters), and the cursors."""

    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
    period = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=30,
        help_text=_("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30"),
    )
    region = serializers.CharField(required=False, allow_blank=True, max_length=20)
    type = serializers.CharField(required=False, allow_blank=True, max_length=60)
    theme = serializers.CharField(required=False, allow_blank=True, max_length=60)
    campaign = serializers.CharField(required=False, allow_blank=True, max_length=60)
    project = serializers.CharField(required=False, allow_blank=True, max_length=60)
    organiser = serializers.CharField(required=False, allow_blank=True, max_length=60)
    status = serializers.ChoiceField(
        choices=Activity.Status.choices, required=False, allow_blank=True
    )
    indicator = serializers.CharField(required=False, allow_blank=True, max_length=80)
    provisional = serializers.BooleanField(required=False, default=False)
    after = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=_("Cursor")
    )
    before = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=_("Cursor")
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500, default=25)


class ProblemEntrySerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_("The field or parameter at fault"))
    pointer = serializers.CharField(help_text=_("JSON pointer into the request body"))
    detail = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = ProblemEntrySerializer(many=True, required=False)

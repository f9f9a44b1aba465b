"""The activity register's back office.

An activity, its participation and its media reach are written through
`activity_save`, like every other door: the admin form and its inline formsets
only collect the values; `activity_validate_input` checks them (with the same
messages as for an import), and nothing is written while anything is wrong.
Status changes go through `activity_submit` / `activity_validate` (admin actions).
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.forms.formsets import DELETION_FIELD_NAME, BaseFormSet
from django.forms.models import BaseInlineFormSet, construct_instance
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from musow.accounts import scopes
from musow.activities.models import (
    Activity,
    ActivityType,
    AgeGroup,
    Attendance,
    Attendee,
    Audience,
    Campaign,
    CampaignSeries,
    MediaReach,
    Objective,
    Organisation,
    Participation,
    Project,
    Theme,
)
from musow.activities.services import (
    DELETED_ACTIVITY,
    STALE_EDIT,
    ActivityInput,
    AttendanceEntry,
    MediaEstimate,
    ParticipationCount,
    activity_delete,
    activity_restore,
    activity_save,
    activity_submit,
    activity_validate,
    activity_validate_input,
)
from musow.geo.admin import RegionListFilter
from musow.lib.models import Term

ADMIN_SOURCE = "admin"
# An activity being edited knows its admin form, so that the participation
# formset can check the whole activity (dates, declared total, rows) at once.
_FORM_ATTR = "_musow_admin_form"
_ROW_KEY = re.compile(r"^participation\[(\d+)\]\.(\w+)$")
_FORMSET_KEYS = ("participation", "participants_total", "attendance", "media_reach")


def _service_errors(data: ActivityInput) -> dict[str, list[str]]:
    """`activity_validate_input`'s verdict as {key: messages}; empty when all is well."""
    try:
        activity_validate_input(data)
    except ValidationError as exc:
        return exc.message_dict
    return {}


# -- vocabularies and reference tables ---------------------------------------


class TermAdmin(admin.ModelAdmin):
    list_display = ["localized_name", "code", "name_fr", "name_en", "order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_fr", "name_en"]
    ordering = ("order", "code")

    @admin.display(description=_("name"), ordering="name_fr")
    def localized_name(self, obj: Term) -> str:
        return obj.name


admin.site.register(ActivityType, TermAdmin)


@admin.register(Theme)
class ThemeAdmin(TermAdmin):
    # A sensitive theme's activities are never listed on the public pages.
    list_display = [*TermAdmin.list_display, "is_sensitive"]
    list_filter = ["is_active", "is_sensitive"]


admin.site.register(CampaignSeries, TermAdmin)


@admin.register(Audience)
class AudienceAdmin(TermAdmin):
    list_display = ["localized_name", "code", "parent", "order", "is_active"]
    list_filter = ["is_active", "parent"]


@admin.register(AgeGroup)
class AgeGroupAdmin(TermAdmin):
    list_display = ["localized_name", "code", "min_age", "max_age", "order", "is_active"]


@admin.register(Objective)
class ObjectiveAdmin(TermAdmin):
    list_display = ["code", "localized_name", "order", "is_active"]
    search_fields = ["code", "name_fr", "name_en", "text_fr", "text_en"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("localized_name", "code", "series", "start_date", "end_date")
    list_filter = ("series",)
    date_hierarchy = "start_date"
    search_fields = ("code", "name_fr", "name_en")
    list_select_related = ("series",)

    @admin.display(description=_("name"), ordering="name_fr")
    def localized_name(self, obj: Campaign) -> str:
        return obj.name


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("localized_name", "code", "start_date", "end_date")
    search_fields = ("code", "name_fr", "name_en", "description_fr", "description_en")

    @admin.display(description=_("name"), ordering="name_fr")
    def localized_name(self, obj: Project) -> str:
        return obj.name


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "acronym", "kind", "place")
    list_filter = ("kind",)
    search_fields = ("code", "name", "acronym")
    list_select_related = ("place",)
    autocomplete_fields = ("place",)


# -- the activity form and its inlines ---------------------------------------


class ActivityAdminForm(forms.ModelForm):
    participants_total = forms.IntegerField(
        label=_("declared total number of participants"),
        required=False,
        help_text=_("Optional. When given, it must equal the sum of the participation rows below."),
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Activity
        fields = (
            "title",
            "activity_type",
            "themes",
            "description",
            "start_date",
            "end_date",
            "place",
            "campaign",
            "project",
            "organiser",
            "partners",
            "objectives",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        setattr(self.instance, _FORM_ATTR, self)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None

    def _post_clean(self) -> None:
        """Copy the values onto the activity, without the model's own checks: the
        activity is checked by `activity_validate_input` (in `clean` and in the
        participation formset) and written by `activity_save`, as from any door."""
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as exc:
            self.add_error(None, exc)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk:
            stored = Activity.objects.filter(pk=self.instance.pk).values_list("version", "status")
            version, status = stored.get()
            if status == Activity.Status.DELETED:
                self.add_error(None, str(DELETED_ACTIVITY))
            elif cleaned.get("version") != version:
                self.add_error(None, str(STALE_EDIT))
        for key, found in _service_errors(self.activity_input()).items():
            field = key if key in self.fields else None
            if field is None or field not in self.errors:  # not twice for one field
                self.add_error(field, found)
        return cleaned

    def activity_input(
        self,
        *,
        participation: Sequence[ParticipationCount] = (),
        participants_total: int | None = None,
        media_reach: Sequence[MediaEstimate] = (),
        attendance: Sequence[AttendanceEntry] = (),
    ) -> ActivityInput:
        """The activity as the service sees it; the rows come from the inlines."""
        data: dict[str, Any] = getattr(self, "cleaned_data", {})

        def value(name: str) -> Any:  # None where the form reports a problem
            return data.get(name)

        activity = self.instance
        return ActivityInput(
            activity_type=value("activity_type"),
            title=data.get("title") or "",
            description=data.get("description") or "",
            start_date=value("start_date"),
            end_date=value("end_date"),
            place=value("place"),
            themes=list(data.get("themes") or []),
            campaign=data.get("campaign"),
            project=data.get("project"),
            organiser=data.get("organiser"),
            partners=list(data.get("partners") or []),
            objectives=list(data.get("objectives") or []),
            participation=participation,
            participants_total=participants_total,
            media_reach=media_reach,
            attendance=attendance,
            status=activity.status or Activity.Status.DRAFT,
            review_comment=activity.review_comment if activity.pk else "",
            source=activity.source if activity.pk else ADMIN_SOURCE,
            source_key=activity.source_key,
        )


def _admin_form(activity: Activity) -> ActivityAdminForm | None:
    form = getattr(activity, _FORM_ATTR, None)
    return form if isinstance(form, ActivityAdminForm) else None


def _attendance_of(activity: Activity) -> list[AttendanceEntry]:
    """The activity's attendance list as it is: the admin shows it, never edits it."""
    if activity.pk is None:
        return []
    rows = Attendance.objects.filter(activity=activity).select_related("attendee")
    return [
        AttendanceEntry(
            key=a.attendee.key, sex=a.attendee.sex, audience=a.audience, age_group=a.age_group
        )
        for a in rows
    ]


def _deleted(form: forms.BaseForm) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME))


def _kept_rows(formset: BaseInlineFormSet) -> list[tuple[forms.BaseForm, dict[str, Any]]]:
    """Forms that were filled in, are valid and are not marked for deletion."""
    kept = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or form.errors or _deleted(form):
            continue
        kept.append((form, data))
    return kept


class ParticipationForm(forms.ModelForm):
    # No minimum here: a negative count is reported by the service, in its words.
    count = forms.IntegerField(label=_("number of participants"))

    class Meta:
        model = Participation
        fields = ("audience", "sex", "age_group", "count")

    def _post_clean(self) -> None:
        """No model checks: the rows are checked together by `activity_validate_input`."""
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields)
        except ValidationError as exc:
            self.add_error(None, exc)


class ParticipationFormSet(BaseInlineFormSet):
    def rows(self) -> list[tuple[forms.BaseForm, ParticipationCount]]:
        return [
            (form, ParticipationCount(d["audience"], d["sex"], d["age_group"], d["count"]))
            for form, d in _kept_rows(self)
        ]

    def clean(self) -> None:
        """Check the whole activity with `activity_validate_input`.

        Not `super().clean()`: its uniqueness check would say again, in other words,
        what the service says about a cell given twice.
        """
        form = _admin_form(self.instance)
        if form is None:
            return
        rows = self.rows()
        complete = not any(f.errors for f in self.forms if not _deleted(f))
        data = form.activity_input(
            participation=[p for _form, p in rows],
            # A total is compared with the breakdown only when every row could be read.
            participants_total=form.cleaned_data.get("participants_total") if complete else None,
            attendance=_attendance_of(self.instance),
        )
        general: list[str] = []
        for key, found in _service_errors(data).items():
            if m := _ROW_KEY.match(key):
                row_form = rows[int(m[1]) - 1][0]
                row_form.add_error(m[2] if m[2] in row_form.fields else None, found)
            elif key.startswith(_FORMSET_KEYS):
                general.extend(found)
            # Any other key is about the activity itself: its form reports it.
        if general:
            raise ValidationError(general)


class ParticipationInline(admin.TabularInline):
    model = Participation
    form = ParticipationForm
    formset = ParticipationFormSet
    fields = ("audience", "sex", "age_group", "count")
    extra = 2


class MediaReachInline(admin.TabularInline):
    model = MediaReach
    fields = ("medium", "outlet", "estimated_audience", "method")
    extra = 0


class AttendanceInline(admin.TabularInline):
    """The attendance list, read-only: pseudonymous key prefix, sex, audience, age group."""

    model = Attendance
    fields = ("attendee_key", "attendee_sex", "audience", "age_group")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Attendance]:
        return super().get_queryset(request).select_related("attendee", "audience", "age_group")

    @admin.display(description=_("attendee"))
    def attendee_key(self, obj: Attendance) -> str:
        return _key_prefix(obj.attendee)

    @admin.display(description=_("sex"))
    def attendee_sex(self, obj: Attendance) -> str:
        return str(obj.attendee.get_sex_display())


def _key_prefix(attendee: Attendee) -> str:
    return f"{attendee.key[:12]}…"


# -- the activity admin ---------------------------------------------------------


class ActivityRegionFilter(RegionListFilter):
    region_field = "place__region"


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityAdminForm
    inlines = (ParticipationInline, MediaReachInline, AttendanceInline)
    list_display = (
        "title",
        "activity_type",
        "start_date",
        "place",
        "place__region",
        "status",
        "participants",
    )
    list_filter = (
        "status",
        "activity_type",
        "themes",
        "campaign",
        "project",
        ActivityRegionFilter,
    )
    list_select_related = ("activity_type", "place", "place__region")
    date_hierarchy = "start_date"
    search_fields = (
        "title",
        "description",
        "place__name_fr",
        "place__name_en",
        "place__pcode",
        "source_key",
    )
    autocomplete_fields = ("place", "organiser", "partners")
    filter_horizontal = ("themes", "objectives")
    readonly_fields = (
        "status",
        "source",
        "source_key",
        "created_by",
        "created_at",
        "updated_at",
        "validated_by",
        "validated_at",
        "origin",
        "review_comment",
        "deleted_at",
        "deleted_by",
    )
    fieldsets = (
        (None, {"fields": ("title", "activity_type", "themes", "description")}),
        (_("When and where"), {"fields": ("start_date", "end_date", "place", "campaign")}),
        (_("Who and why"), {"fields": ("organiser", "partners", "project", "objectives")}),
        (_("Participants"), {"fields": ("participants_total",)}),
        (
            _("Record"),
            {
                "fields": (
                    "status",
                    "review_comment",
                    "origin",
                    ("source", "source_key"),
                    ("created_by", "created_at", "updated_at"),
                    ("validated_by", "validated_at"),
                    ("deleted_by", "deleted_at"),
                ),
                "classes": ("collapse",),
            },
        ),
    )
    actions = (
        "submit_activities",
        "validate_activities",
        "delete_activities",
        "restore_activities",
    )
    show_full_result_count = False  # a count(*) of a large register on every page is costly
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        total = (
            Participation.objects.filter(activity=OuterRef("pk"))
            .values("activity")
            .annotate(total=Sum("count"))
            .values("total")
        )
        return super().get_queryset(request).annotate(participants=Subquery(total))

    @admin.display(description=_("participants"), ordering="participants")
    def participants(self, obj: Activity) -> int:
        return int(getattr(obj, "participants", None) or 0)

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        inlines = super().get_inline_instances(request, obj)
        if obj is None:  # a new activity has no attendance list to show
            inlines = [i for i in inlines if not isinstance(i, AttendanceInline)]
        return inlines

    # Writing: one `activity_save` for the activity and its rows.

    def save_model(self, request: HttpRequest, obj: Activity, form: Any, change: bool) -> None:
        """Nothing is written here: `save_related` writes everything in one `activity_save`."""
        if not change and getattr(request.user, "pk", None):
            obj.created_by = request.user  # type: ignore[assignment]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        participation = next(fs for fs in formsets if isinstance(fs, ParticipationFormSet))
        media = next(fs for fs in formsets if fs.model is MediaReach)
        data = form.activity_input(
            participation=[p for _form, p in participation.rows()],
            participants_total=form.cleaned_data.get("participants_total"),
            media_reach=[
                MediaEstimate(d["medium"], d["estimated_audience"], d["outlet"], d["method"])
                for _form, d in _kept_rows(media)
            ],
            attendance=_attendance_of(form.instance),
        )
        activity_save(
            data=data,
            activity=form.instance,
            user=request.user,
            expected_version=form.cleaned_data.get("version") if change else None,
        )

    def construct_change_message(
        self,
        request: HttpRequest,
        form: forms.Form,
        formsets: "Iterable[BaseFormSet[Any]]",
        add: bool = False,
    ) -> list[dict[str, dict[str, list[str]]]]:
        """The inlines are not saved by their formsets: say which of them changed."""
        message = construct_change_message(form, [], add)
        changed = [
            str(fs.model._meta.verbose_name_plural)
            for fs in formsets
            if isinstance(fs, BaseInlineFormSet) and fs.has_changed()
        ]
        if changed and not add:
            message.append({"changed": {"fields": changed}})
        return message

    # Status changes.

    @admin.action(
        description=_("Submit the selected drafts for validation"), permissions=["change"]
    )
    def submit_activities(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        done = self._step(request, queryset, activity_submit, scopes.may_submit)
        if done:
            self.message_user(
                request,
                ngettext("%(n)s activity submitted.", "%(n)s activities submitted.", done)
                % {"n": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Validate the selected activities"), permissions=["validate"])
    def validate_activities(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        done = self._step(request, queryset, activity_validate, scopes.may_validate)
        if done:
            self.message_user(
                request,
                ngettext("%(n)s activity validated.", "%(n)s activities validated.", done)
                % {"n": done},
                messages.SUCCESS,
            )

    @admin.action(
        description=_("Delete the selected activities (a unit admin can restore them)"),
        permissions=["change"],
    )
    def delete_activities(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        done = self._step(request, queryset, activity_delete, scopes.may_delete)
        if done:
            self.message_user(
                request,
                ngettext("%(n)s activity deleted.", "%(n)s activities deleted.", done)
                % {"n": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Restore the selected deleted activities"), permissions=["restore"])
    def restore_activities(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        done = self._step(request, queryset, activity_restore, scopes.may_restore)
        if done:
            self.message_user(
                request,
                ngettext("%(n)s activity restored.", "%(n)s activities restored.", done)
                % {"n": done},
                messages.SUCCESS,
            )

    # Who may do what is accounts.scopes' answer, as on the site.

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A deleted activity is shown, not edited (a unit admin restores it first)."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or scopes.may_edit(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nothing is hard-deleted: the "delete" action withdraws, a unit admin restores."""
        return False

    def has_restore_permission(self, request: HttpRequest) -> bool:
        return scopes.may_restore(request.user)

    def has_validate_permission(self, request: HttpRequest) -> bool:
        """Unit admins and gender officers validate (docs/architecture.md's roles table)."""
        return scopes.can_validate(request.user)

    def _step(
        self,
        request: HttpRequest,
        queryset: QuerySet[Activity],
        step: Callable[..., Activity],
        allowed: Callable[[Any, Activity], bool],
    ) -> int:
        done = 0
        for activity in queryset:
            if not allowed(request.user, activity):
                self.message_user(
                    request,
                    f"{activity}: {_('You may not do this to this activity.')}",
                    messages.WARNING,
                )
                continue
            try:
                step(activity=activity, user=request.user)
            except ValidationError as exc:
                self.message_user(
                    request, f"{activity}: {' '.join(exc.messages)}", messages.WARNING
                )
                continue
            self.log_change(request, activity, [{"changed": {"fields": ["status"]}}])
            done += 1
        return done


# -- rows of activities, browsable on their own, written only through the activity -----


class ReadOnlyAdmin(admin.ModelAdmin):
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ("activity", "audience", "sex", "age_group", "count")
    list_filter = ("sex", "audience", "age_group", "activity__status")
    list_select_related = ("activity", "audience", "age_group")
    search_fields = ("activity__title",)


@admin.register(MediaReach)
class MediaReachAdmin(ReadOnlyAdmin):
    list_display = ("activity", "medium", "outlet", "estimated_audience")
    list_filter = ("medium",)
    list_select_related = ("activity",)
    search_fields = ("activity__title", "outlet")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("activity", "attendee_key", "attendee_sex", "audience", "age_group")
    list_filter = ("attendee__sex", "audience", "age_group")
    list_select_related = ("activity", "attendee", "audience", "age_group")
    search_fields = ("activity__title",)
    fields = ("activity", "attendee_key", "attendee_sex", "audience", "age_group")
    readonly_fields = fields

    @admin.display(description=_("attendee"))
    def attendee_key(self, obj: Attendance) -> str:
        return _key_prefix(obj.attendee)

    @admin.display(description=_("sex"), ordering="attendee__sex")
    def attendee_sex(self, obj: Attendance) -> str:
        return str(obj.attendee.get_sex_display())


@admin.register(Attendee)
class AttendeeAdmin(admin.ModelAdmin):
    """Attendees are pseudonymous keys: shown by prefix, never typed in nor edited."""

    list_display = ("key_prefix", "sex", "created_at")
    list_filter = ("sex",)
    search_fields = ("^key",)
    fields = ("key_prefix", "sex", "created_at")
    readonly_fields = ("key_prefix", "created_at")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # attendees come from attendance lists

    @admin.display(description=_("pseudonymous key"))
    def key_prefix(self, obj: Attendee) -> str:
        return _key_prefix(obj)

"""/api/v1/activities: the web list's filters and keyset pages, read, create, replace
(with the version read: a stale one answers 409), the workflow actions, and each
activity's participation, media reach, attendance (keys only) and audit trail.

Every write goes through musow.activities.services, in one transaction, as the web
pages' do; who may do what is musow.accounts.scopes'."""

from collections import defaultdict
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from musow.accounts import scopes
from musow.activities import services
from musow.activities.models import (
    Activity,
    ActivityType,
    Attendance,
    Campaign,
    Organisation,
    Project,
    Theme,
)
from musow.activities.records import activity_input_from_record
from musow.api import serializers as s
from musow.api.permissions import Enters, Manages, ReadsOrEnters, SeesRecords, Validates
from musow.api.problems import PROBLEM, Conflict, Invalid, django_errors
from musow.api.renderers import CSVRenderer
from musow.audit.models import Entry
from musow.geo.models import Place
from musow.indicators.models import Indicator
from musow.indicators.periods import Period, PeriodError
from musow.web import listing

API_SOURCE = "api"
PROBLEMS: dict[Any, Any] = {
    (code, PROBLEM): OpenApiResponse(s.ProblemSerializer, description="RFC 9457")
    for code in (400, 401, 403, 404, 409, 429)
}
SUMMARY_COLUMNS = [
    ("id", "#activity+id+musow"),
    ("key", "#activity+code"),
    ("status", "#status"),
    ("type", "#activity+type+code"),
    ("title", "#activity+name"),
    ("start", "#date+start"),
    ("end", "#date+end"),
    ("place", "#loc+code"),
    ("place_name", "#loc+name"),
    ("region", "#adm1+code"),
    ("organiser", "#org+organiser+code"),
    ("themes", "#sector+theme+code"),
    ("total", "#reached+total"),
    ("version", "#meta+version"),
]


def _code(obj: Any) -> str | None:
    return obj.code if obj is not None else None


def activity_url(request: Request, pk: int) -> str:
    return request.build_absolute_uri(reverse("api:activity", args=[pk]))


def summary(request: Request, a: Activity, total: int, themes: list[str]) -> dict[str, Any]:
    region = a.place.region if a.place.region_id else None
    return {
        "id": a.pk,
        "url": activity_url(request, a.pk),
        "version": a.version,
        "status": a.status,
        "key": a.source_key if a.source == API_SOURCE else "",
        "type": a.activity_type.code,
        "title": a.title,
        "start": a.start_date.isoformat(),
        "end": a.end_date.isoformat(),
        "place": a.place.pcode,
        "place_name": a.place.name,
        "region": region.pcode if region is not None else None,
        "organiser": _code(a.organiser),
        "themes": themes,
        "total": total,
    }


def summaries(request: Request, activities: list[Activity]) -> list[dict[str, Any]]:
    """Rows of a page: two queries for the totals and themes of all its activities."""
    ids = [a.pk for a in activities]
    totals = dict(
        Activity.objects.filter(pk__in=ids)
        .values("pk")
        .annotate(total=Sum("participation__count"))
        .values_list("pk", "total")
    )
    themes: dict[int, list[str]] = defaultdict(list)
    for activity_id, code in Activity.themes.through.objects.filter(
        activity_id__in=ids
    ).values_list("activity_id", "theme__code"):
        themes[activity_id].append(code)
    return [summary(request, a, totals.get(a.pk) or 0, sorted(themes[a.pk])) for a in activities]


def detail(request: Request, a: Activity) -> dict[str, Any]:
    participation: list[dict[str, Any]] = [
        {"audience": p.audience.code, "sex": p.sex, "age": p.age_group.code, "count": p.count}
        for p in a.participation.select_related("audience", "age_group").order_by("pk")
    ]
    body = summary(
        request,
        a,
        sum(p["count"] for p in participation),
        sorted(a.themes.values_list("code", flat=True)),
    )
    body.update(
        description=a.description,
        campaign=_code(a.campaign),
        project=_code(a.project),
        partners=sorted(a.partners.values_list("code", flat=True)),
        objectives=sorted(a.objectives.values_list("code", flat=True)),
        participation=participation,
        media=media_of(a),
        attendance=attendance_of(a),
        review_comment=a.review_comment,
        source=a.source,
        created_at=a.created_at.isoformat(),
        updated_at=a.updated_at.isoformat(),
        validated_at=a.validated_at.isoformat() if a.validated_at else None,
        audit=request.build_absolute_uri(reverse("api:activity-audit", args=[a.pk])),
    )
    return body


def media_of(a: Activity) -> list[dict[str, Any]]:
    return [
        {
            "medium": m.medium,
            "outlet": m.outlet,
            "audience": m.estimated_audience,
            "method": m.method,
        }
        for m in a.media_reach.order_by("pk")
    ]


def attendance_of(a: Activity) -> list[dict[str, Any]]:
    rows = Attendance.objects.filter(activity=a).select_related("attendee", "audience", "age_group")
    return [
        {
            "key": row.attendee.key,
            "sex": row.attendee.sex,
            "audience": _code(row.audience),
            "age": _code(row.age_group),
        }
        for row in rows.order_by("pk")
    ]


def in_scope(request: Request, pk: int, *, include_deleted: bool = False) -> Activity:
    """The activity if the user may see it; 404 otherwise (never a hint that it exists)."""
    qs = scopes.activities_for(request.user, include_deleted=include_deleted)
    qs = qs.select_related(
        "activity_type", "place", "place__region", "campaign", "project", "organiser"
    ).defer("place__boundary", "place__region__boundary")
    return get_object_or_404(qs, pk=pk)


# --- the list -------------------------------------------------------------------------


def clean_filters(request: Request) -> dict[str, Any]:
    """The list's filters, each checked; every problem named by its parameter."""
    given = s.ActivityFilterSerializer(data=request.query_params)
    given.is_valid(raise_exception=True)
    data = dict(given.validated_data)
    errors: dict[str, list[str]] = {}
    if text := (data.get("period") or "").strip():
        try:
            data["period"] = Period.parse(text)
        except PeriodError as exc:
            errors["period"] = [str(exc)]
    else:
        data["period"] = None
    known = {
        "region": Place.objects.filter(level=Place.Level.REGION),
        "type": ActivityType.objects.all(),
        "theme": Theme.objects.all(),
        "campaign": Campaign.objects.all(),
        "project": Project.objects.all(),
        "organiser": Organisation.objects.all(),
    }
    for name, qs in known.items():
        code = (data.get(name) or "").strip()
        field = "pcode" if name == "region" else "code"
        if code and not qs.filter(**{field: code}).exists():
            errors[name] = [_("Unknown code “%(code)s”.") % {"code": code}]
    if data.get("status") == Activity.Status.DELETED and not scopes.can_manage(request.user):
        errors["status"] = [_("Only a unit admin sees deleted activities.")]
    code = (data.get("indicator") or "").strip()
    data["indicator"] = None
    if code:
        data["indicator"] = Indicator.objects.filter(code=code).first()
        if data["indicator"] is None:
            errors["indicator"] = [_("Unknown indicator “%(code)s”.") % {"code": code}]
        elif data["period"] is None and "period" not in errors:
            errors["period"] = [_("Give the period of the figure.")]
    if errors:
        raise Invalid(errors)
    return data


def _page_link(request: Request, **cursor: str | None) -> str | None:
    value = next(iter(cursor.values()))
    if value is None:
        return None
    params = request.query_params.copy()
    params.pop("after", None)
    params.pop("before", None)
    params.update(cursor)
    return request.build_absolute_uri(request.path) + "?" + urlencode(params)


def _record(data: dict[str, Any]) -> dict[str, Any]:
    """The serializer's validated data as an activities.records record."""
    record = dict(data)
    record["attendance"] = [dict(row) for row in data.get("attendance") or []]
    record["participation"] = [dict(row) for row in data.get("participation") or []]
    record["media"] = [dict(row) for row in data.get("media") or []]
    record.pop("version", None)
    return record


def _write(
    request: Request, serializer: type[s.ActivityInSerializer], activity: Activity | None
) -> Activity:
    """Validate, check the scope, save through the service: all or nothing."""
    given = serializer(data=request.data)
    given.is_valid(raise_exception=True)
    user = request.user
    try:
        data = activity_input_from_record(_record(given.validated_data), source=API_SOURCE)
    except ValidationError as exc:
        raise Invalid(django_errors(exc)) from None
    if activity is not None:  # a replacement keeps its status, source and key
        data = replace(
            data, status=activity.status, source=activity.source, source_key=activity.source_key
        )
    if not scopes.may_write(user, data):
        raise exceptions.PermissionDenied(
            _("You may only enter activities of your region or organisation.")
        )
    try:
        with transaction.atomic():
            return services.activity_save(
                data=data,
                activity=activity,
                user=user,
                expected_version=given.validated_data["version"] if activity else None,
                origin=""
                if activity
                else _("entered through the API by %(user)s") % {"user": user.get_username()},
            )
    except ValidationError as exc:
        if getattr(exc, "code", None) in ("stale", "deleted"):
            raise Conflict(exc.messages[0]) from None
        raise Invalid(django_errors(exc)) from None


class ActivityList(APIView):
    permission_classes = [ReadsOrEnters]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    csv_name = "activites"

    @extend_schema(
        operation_id="activities_list",
        summary="Activities (the web list's filters, newest first, keyset pages)",
        description="Activités : les filtres de la liste du site, les plus récentes "
        "d'abord, par pages (curseurs after/before). ?format=csv : CSV avec une ligne HXL.",
        parameters=[s.ActivityFilterSerializer],
        responses={
            (200, "application/json"): s.ActivityPageSerializer,
            (200, "text/csv"): OpenApiTypes.STR,
            **PROBLEMS,
        },
    )
    def get(self, request: Request) -> Response:
        filters = clean_filters(request)
        qs = listing.activities_matching(request.user, filters)
        page = listing.keyset_page(
            qs, after=filters.get("after"), before=filters.get("before"), per_page=filters["limit"]
        )
        return Response(
            {
                "results": summaries(request, page.activities),
                "next": _page_link(request, after=page.next_cursor),
                "previous": _page_link(request, before=page.previous_cursor),
            }
        )

    def csv_table(self, data: dict[str, Any]) -> tuple[list[str], list[str], list[list[Any]]]:
        # A page of the list, or the one activity a POST created.
        found = data["results"] if "results" in data else [data]
        rows = [[row.get(name) for name, _tag in SUMMARY_COLUMNS] for row in found]
        return [n for n, _t in SUMMARY_COLUMNS], [t for _n, t in SUMMARY_COLUMNS], rows

    @extend_schema(
        operation_id="activities_create",
        summary="Create an activity (a draft)",
        description="Créer une activité (brouillon) : mêmes contrôles que la saisie du site.",
        request=s.ActivityInSerializer,
        responses={201: s.ActivitySerializer, **PROBLEMS},
    )
    def post(self, request: Request) -> Response:
        activity = _write(request, s.ActivityInSerializer, None)
        saved = in_scope(request, activity.pk)
        return Response(
            detail(request, saved),
            status=status.HTTP_201_CREATED,
            headers={"Location": activity_url(request, saved.pk)},
        )


class ActivityDetail(APIView):
    permission_classes = [ReadsOrEnters]

    @extend_schema(
        operation_id="activities_read",
        summary="An activity, whole",
        description="Une activité, entière (présences : clés pseudonymes seulement).",
        responses={200: s.ActivitySerializer, **PROBLEMS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(detail(request, in_scope(request, pk, include_deleted=True)))

    @extend_schema(
        operation_id="activities_replace",
        summary="Replace an activity's content (give the version you read)",
        description="Remplacer le contenu d'une activité ; une version périmée répond 409.",
        request=s.ActivityUpdateSerializer,
        responses={200: s.ActivitySerializer, **PROBLEMS},
    )
    def put(self, request: Request, pk: int) -> Response:
        activity = in_scope(request, pk)
        if not scopes.may_edit(request.user, activity):
            raise _refusal(request, activity)
        _write(request, s.ActivityUpdateSerializer, activity)
        return Response(detail(request, in_scope(request, pk)))


def _refusal(request: Request, activity: Activity) -> exceptions.PermissionDenied:
    """403, saying why in scopes.py's words (someone else's draft, a submitted activity);
    a deleted one gets the default words (only a restore applies to it)."""
    why = None
    if activity.status != Activity.Status.DELETED:
        why = scopes.edit_refusal(
            request.user, status=activity.status, author_id=activity.created_by_id
        )
    return exceptions.PermissionDenied(why)


def _transition(request: Request, pk: int, allowed: Any, action: Any, **kwargs: Any) -> Response:
    """The web page's transition: 404 outside the scope, 403 where scopes.py refuses,
    409 where the activity's state does not allow the step."""
    activity = in_scope(request, pk, include_deleted=True)
    if not allowed(request.user, activity):
        raise _refusal(request, activity)
    try:
        action(activity=activity, user=request.user, **kwargs)
    except ValidationError as exc:
        errors = django_errors(exc)
        if isinstance(errors, dict) and "status" in errors:
            raise Conflict(errors["status"][0]) from None
        raise Invalid(errors) from None
    # Read back as it now is (a partner no longer sees it in its list once deleted).
    return Response(detail(request, Activity.objects.get(pk=activity.pk)))


ACTION: Any = {"responses": {200: s.ActivitySerializer, **PROBLEMS}, "request": None}


class ActivitySubmit(APIView):
    permission_classes = [Enters]

    @extend_schema(
        operation_id="activities_submit",
        summary="Submit for validation",
        description="Soumettre pour validation.",
        **ACTION,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _transition(request, pk, scopes.may_submit, services.activity_submit)


class ActivityValidate(APIView):
    permission_classes = [Validates]

    @extend_schema(
        operation_id="activities_validate",
        summary="Validate: it counts in official figures",
        description="Valider : l'activité compte dans les chiffres officiels.",
        **ACTION,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _transition(request, pk, scopes.may_validate, services.activity_validate)


class ActivityReturn(APIView):
    permission_classes = [Validates]

    @extend_schema(
        operation_id="activities_return",
        summary="Return to its author, saying why",
        description="Renvoyer à son auteur, en disant pourquoi.",
        request=s.ReturnSerializer,
        responses=ACTION["responses"],
    )
    def post(self, request: Request, pk: int) -> Response:
        in_scope(request, pk, include_deleted=True)
        given = s.ReturnSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return _transition(
            request,
            pk,
            scopes.may_return,
            services.activity_return,
            comment=given.validated_data["comment"],
        )


class ActivityDelete(APIView):
    permission_classes = [Enters]

    @extend_schema(
        operation_id="activities_delete",
        summary="Delete (a unit admin can restore it)",
        description="Supprimer (un administrateur de l'unité peut la restaurer).",
        request=s.CommentSerializer,
        responses=ACTION["responses"],
    )
    def post(self, request: Request, pk: int) -> Response:
        given = s.CommentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        return _transition(
            request,
            pk,
            scopes.may_delete,
            services.activity_delete,
            comment=given.validated_data.get("comment", ""),
        )


class ActivityRestore(APIView):
    permission_classes = [Manages]

    @extend_schema(
        operation_id="activities_restore",
        summary="Restore a deleted activity (unit admin)",
        description="Restaurer une activité supprimée (administrateur de l'unité).",
        **ACTION,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _transition(request, pk, scopes.may_restore, services.activity_restore)


class _Part(APIView):
    permission_classes = [SeesRecords]


class ActivityParticipation(_Part):
    @extend_schema(
        operation_id="activities_participation",
        summary="Participants by audience, sex and age group",
        description="Participants par public, sexe et tranche d'âge.",
        responses={200: s.ParticipationSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request, pk: int) -> Response:
        a = in_scope(request, pk, include_deleted=True)
        return Response(detail(request, a)["participation"])


class ActivityMedia(_Part):
    @extend_schema(
        operation_id="activities_media",
        summary="Media reach (estimates, never added to participants)",
        description="Audience des médias (estimations, jamais ajoutées aux participants).",
        responses={200: s.MediaSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(media_of(in_scope(request, pk, include_deleted=True)))


class ActivityAttendance(_Part):
    @extend_schema(
        operation_id="activities_attendance",
        summary="Attendance: pseudonymous keys only",
        description="Présences : clés pseudonymes seulement, jamais de noms.",
        responses={200: s.AttendanceOutSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(attendance_of(in_scope(request, pk, include_deleted=True)))


class ActivityAudit(_Part):
    @extend_schema(
        operation_id="activities_audit",
        summary="Audit trail: who did what, when",
        description="Journal : qui a fait quoi, et quand.",
        responses={200: s.AuditEntrySerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request, pk: int) -> Response:
        a = in_scope(request, pk, include_deleted=True)
        entries = Entry.objects.for_target(a).select_related("actor").order_by("at", "pk")
        return Response(
            [
                {
                    "at": e.at.isoformat(),
                    "actor": e.actor.get_username() if e.actor else None,
                    "action": e.action,
                    "changes": e.changes,
                    "comment": e.comment,
                }
                for e in entries
            ]
        )

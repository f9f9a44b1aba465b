"""Forms of the staff pages. They turn what a person typed into the domain's inputs
(ActivityInput, filters, user fields); the services decide and write."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from musow.accounts import scopes
from musow.accounts.models import User
from musow.activities.models import (
    ACTIVITY_TEXT_MAX,
    Activity,
    ActivityType,
    AgeGroup,
    Audience,
    Campaign,
    Objective,
    Organisation,
    Project,
    Sex,
    Theme,
)
from musow.activities.services import (
    MAX_COUNT,
    ActivityInput,
    ParticipationCount,
    activity_input_from,
    activity_validate_input,
)
from musow.geo.models import Place
from musow.indicators.models import Indicator
from musow.indicators.periods import Period, PeriodError
from musow.lib.i18n import colon

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# What an empty choice reads in every list of the staff pages (one style: not Django's
# "---------").
EMPTY_CHOICE = "—"


class SignInForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autocapitalize="none")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


# --- activity entry ------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def place_choices(places: Sequence[Place]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Places grouped by region (an <optgroup> each): the region, then its cercles, each
    followed by its communes. Chosen, not typed, and usable without JavaScript."""
    children: dict[int | None, list[Place]] = {}
    for place in places:
        children.setdefault(place.parent_id, []).append(place)
    for group in children.values():
        group.sort(key=lambda p: p.name)

    def walk(place: Place, depth: int) -> Iterator[tuple[int, str]]:
        indent = "\u2003" * depth  # em spaces: a visible hierarchy in a native <select>
        yield place.pk, f"{indent}{place.name} ({place.get_level_display()})"
        for child in children.get(place.pk, []):
            yield from walk(child, depth + 1)

    regions = [p for p in places if p.level == Place.Level.REGION]
    regions.sort(key=lambda p: p.name)
    return [(region.name, list(walk(region, 0))) for region in regions]


def places_for(user: Any) -> list[Place]:
    qs = (
        Place.objects.filter(level__lte=Place.Level.COMMUNE)
        .defer("boundary")
        .order_by("level", "name_fr")
    )
    return list(qs.filter(scopes.place_filter(user)))


@dataclass(frozen=True)
class GridCell:
    sex: str
    field: forms.BoundField

    @property
    def error_text(self) -> str:
        """The cell's errors, named by its column: "Homme : …" / "Male: …"."""
        label = str(Sex(self.sex).label)
        return colon(label[:1].upper() + label[1:], " ".join(str(e) for e in self.field.errors))


@dataclass(frozen=True)
class GridRow:
    age_group: AgeGroup
    cells: list[GridCell]

    @property
    def errors(self) -> bool:
        """Whether a cell of the row is in error (its message goes under the row: a
        number's column is too narrow for a sentence)."""
        return any(cell.field.errors for cell in self.cells)


@dataclass(frozen=True)
class GridAudience:
    audience: Audience
    rows: list[GridRow]
    total: int

    @property
    def is_open(self) -> bool:
        return self.total > 0 or any(c.field.errors for r in self.rows for c in r.cells)


def _cell_name(audience: Audience, sex: str, age_group: AgeGroup) -> str:
    return f"p_{audience.pk}_{sex}_{age_group.pk}"


class ActivityForm(forms.Form):
    """One page for an activity: what, when, where, with whom, and who was reached
    (audience × sex × age group). Totals are computed and checked by the write path."""

    stale = False  # set when a save was refused because someone else saved first

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=ACTIVITY_TEXT_MAX["title"])
    activity_type = forms.ModelChoiceField(
        ActivityType.objects.filter(is_active=True),
        label=_("Type of activity"),
        empty_label=EMPTY_CHOICE,
    )
    themes = forms.ModelMultipleChoiceField(
        Theme.objects.filter(is_active=True),
        label=_("Themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=ACTIVITY_TEXT_MAX["description"],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput, input_formats=DATE_FORMATS
    )
    end_date = forms.DateField(label=_("End date"), widget=DateInput, input_formats=DATE_FORMATS)
    place = forms.TypedChoiceField(
        label=_("Place"),
        coerce=int,
        help_text=_("The region, or a cercle or commune within it."),
    )
    campaign = forms.ModelChoiceField(
        Campaign.objects.all(), label=_("Campaign"), required=False, empty_label=EMPTY_CHOICE
    )
    project = forms.ModelChoiceField(
        Project.objects.all(), label=_("Project"), required=False, empty_label=EMPTY_CHOICE
    )
    organiser = forms.ModelChoiceField(
        Organisation.objects.all(), label=_("Organiser"), required=False, empty_label=EMPTY_CHOICE
    )
    # Boxes to tick, not a Ctrl-click list: usable on a phone; the page's script adds a
    # filter box above them (activity-form.js).
    partners = forms.ModelMultipleChoiceField(
        Organisation.objects.all(),
        label=_("Partners"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.ModelMultipleChoiceField(
        Objective.objects.filter(is_active=True),
        label=_("Mandate lines"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_total = forms.IntegerField(
        label=_("Total number of participants (optional)"),
        help_text=_("If you give it, it is checked against the breakdown above."),
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.places = {p.pk: p for p in places_for(user)}
        place_field = self.fields["place"]
        assert isinstance(place_field, forms.TypedChoiceField)
        place_field.choices = [("", EMPTY_CHOICE), *place_choices(list(self.places.values()))]
        self.audiences = list(Audience.objects.filter(is_active=True))
        self.age_groups = list(AgeGroup.objects.filter(is_active=True))
        self.sexes = list(Sex)
        for audience in self.audiences:
            for age_group in self.age_groups:
                for sex in self.sexes:
                    self.fields[_cell_name(audience, sex, age_group)] = forms.IntegerField(
                        label=f"{audience.name}, {sex.label}, {age_group.name}",
                        required=False,
                        min_value=0,
                        max_value=MAX_COUNT,
                        widget=forms.NumberInput(
                            attrs={"inputmode": "numeric", "min": 0, "class": "count"}
                        ),
                    )

    @classmethod
    def initial_for(cls, activity: Activity) -> dict[str, Any]:
        data = activity_input_from(activity)
        initial: dict[str, Any] = {
            "version": activity.version,
            "title": data.title,
            "activity_type": data.activity_type,
            "themes": list(data.themes),
            "description": data.description,
            "start_date": data.start_date,
            "end_date": data.end_date,
            "place": data.place.pk,
            "campaign": data.campaign,
            "project": data.project,
            "organiser": data.organiser,
            "partners": list(data.partners),
            "objectives": list(data.objectives),
        }
        for p in data.participation:
            initial[_cell_name(p.audience, p.sex, p.age_group)] = p.count
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            self._report_the_rest(data)
        return data

    def _report_the_rest(self, data: dict[str, Any]) -> None:
        """A form with a field in error never reaches the write path: ask its checks now
        of what was typed correctly (dates, campaign window, the declared total against
        the breakdown), so that every problem shows in one round, not one per save."""
        partial = ActivityInput(
            activity_type=data.get("activity_type"),  # type: ignore[arg-type]
            title=str(data.get("title") or ""),
            description=str(data.get("description") or ""),
            start_date=data.get("start_date"),  # type: ignore[arg-type]
            end_date=data.get("end_date"),  # type: ignore[arg-type]
            place=data.get("place"),  # type: ignore[arg-type]
            campaign=data.get("campaign"),
            participation=self._typed_counts(),
            participants_total=data.get("participants_total"),
        )
        try:
            activity_validate_input(partial)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name in self.errors or name.startswith("participation"):
                    continue  # said already, by the field itself or by its grid cell
                self.add_error(name if name in self.fields else None, messages)

    def _typed_counts(self) -> list[ParticipationCount]:
        """The whole numbers typed in the grid that can count (a negative one says what is
        wrong with it in its cell): the breakdown the page's running total shows."""
        counts = []
        for audience in self.audiences:
            for age_group in self.age_groups:
                for sex in self.sexes:
                    raw = str(self[_cell_name(audience, sex, age_group)].value() or "").strip()
                    try:
                        count = int(raw)
                    except ValueError:
                        continue
                    if count < 0:
                        continue
                    counts.append(ParticipationCount(audience, sex, age_group, count))
        return counts

    def clean_place(self) -> Place:
        pk = self.cleaned_data["place"]
        if pk not in self.places:
            raise ValidationError(_("Choose a place from the list."))
        return self.places[pk]

    def grid(self) -> list[GridAudience]:
        """The participation grid for the template: per audience, rows of age groups ×
        columns of sexes, with the audience's subtotal as last submitted or stored."""
        result = []
        for audience in self.audiences:
            rows, total = [], 0
            for age_group in self.age_groups:
                cells = []
                for sex in self.sexes:
                    bound = self[_cell_name(audience, sex, age_group)]
                    cells.append(GridCell(sex, bound))
                    value = bound.value()
                    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
                        total += int(value)
                rows.append(GridRow(age_group, cells))
            result.append(GridAudience(audience, rows, total))
        return result

    def participation(self) -> list[ParticipationCount]:
        counts = []
        for audience in self.audiences:
            for age_group in self.age_groups:
                for sex in self.sexes:
                    count = self.cleaned_data.get(_cell_name(audience, sex, age_group))
                    if count:
                        counts.append(ParticipationCount(audience, sex, age_group, count))
        return counts

    def activity_input(self, base: ActivityInput | None = None) -> ActivityInput:
        """What was typed, as the write path's input. Editing keeps what this page does not
        show (media reach, attendance list, source) from the stored activity."""
        d = self.cleaned_data
        fields: dict[str, Any] = {
            "activity_type": d["activity_type"],
            "title": d["title"],
            "description": d["description"],
            "start_date": d["start_date"],
            "end_date": d["end_date"],
            "place": d["place"],
            "themes": list(d["themes"]),
            "campaign": d["campaign"],
            "project": d["project"],
            "organiser": d["organiser"],
            "partners": list(d["partners"]),
            "objectives": list(d["objectives"]),
            "participation": self.participation(),
            "participants_total": d["participants_total"],
        }
        if base is None:
            return ActivityInput(**fields, source="web")
        return replace(base, **fields)

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the write path's messages (already in the user's language) on the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            field = name if name in self.fields and name != "version" else None
            if name.startswith("participation[") or name == "participants_total":
                field = "participants_total" if name == "participants_total" else None
            self.add_error(field, messages)


# --- finding activities ----------------------------------------------------------------


def _code_choices(items: Iterable[Any], label: Any = None) -> list[tuple[str, str]]:
    return [
        ("", EMPTY_CHOICE),
        *((item.code, label(item) if label else item.name) for item in items),
    ]


class ActivityFilterForm(forms.Form):
    """The list's filters, as GET parameters other pages link to (the dashboard's figures:
    indicator=CODE&period=2014)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=30,
        help_text=_("2014, 2014-Q4, 2014-11 or 2014-01-01..2014-06-30"),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    project = forms.ChoiceField(label=_("Project"), required=False)
    organiser = forms.ChoiceField(label=_("Organiser"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    indicator = forms.CharField(required=False, widget=forms.HiddenInput, max_length=60)
    provisional = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        regions = Place.objects.filter(level=Place.Level.REGION).defer("boundary")
        regions = regions.order_by("name_fr").filter(scopes.region_filter(user))
        seen: dict[str, str] = {}
        for region in regions:
            seen.setdefault(region.pcode, region.name)
        choices: dict[str, list[tuple[str, Any]]] = {
            "region": [("", EMPTY_CHOICE), *sorted(seen.items(), key=lambda kv: kv[1])],
            "type": _code_choices(ActivityType.objects.all()),
            "theme": _code_choices(Theme.objects.all()),
            "campaign": _code_choices(Campaign.objects.all()),
            "project": _code_choices(Project.objects.all()),
            "organiser": _code_choices(Organisation.objects.all(), str),
            "status": [
                ("", EMPTY_CHOICE),
                *(
                    (value, label)
                    for value, label in Activity.Status.choices
                    if value != Activity.Status.DELETED or scopes.can_manage(user)
                ),
            ],
        }
        for name, field_choices in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = field_choices

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise ValidationError(str(exc)) from None

    def clean_indicator(self) -> Indicator | None:
        code = self.cleaned_data["indicator"].strip()
        if not code:
            return None
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            raise ValidationError(_("Unknown indicator “%(code)s”.") % {"code": code})
        return indicator

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicator") and not data.get("period") and "period" not in self.errors:
            self.add_error("period", _("Give the period of the figure."))
        return data


# --- users -------------------------------------------------------------------------------


class UserForm(forms.Form):
    """A person's account: who they are, their role and what it is limited to."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
    regions = forms.ModelMultipleChoiceField(
        Place.objects.filter(level=Place.Level.REGION).defer("boundary").order_by("name_fr"),
        label=_("Regions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For regional focal points: the regions they work in."),
    )
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        empty_label=EMPTY_CHOICE,
        label=_("Organisation"),
        required=False,
        help_text=_("For partner organisations: the organisation whose records they see."),
    )
    is_active = forms.BooleanField(label=_("Active (may sign in)"), required=False, initial=True)

    FIELDS = ("first_name", "last_name", "email", "role", "regions", "organisation", "is_active")

    @classmethod
    def initial_for(cls, user: User) -> dict[str, Any]:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "regions": list(user.regions.all()),
            "organisation": user.organisation,
            "is_active": user.is_active,
        }

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


class NewUserForm(UserForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = ["username", "password1", "password2"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("The two passwords differ."))
        return data

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from musow.activities.models import Sex
from musow.indicators.models import Indicator, Target
from musow.indicators.rules import dimension_choices, rule_choices


class IndicatorAdminForm(forms.ModelForm):
    # The JSON lists, as boxes to tick rather than JSON to type.
    sexes = forms.MultipleChoiceField(
        label=_("sexes"),
        choices=Sex.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all. Female only for “women and girls”."),
    )
    rule = forms.ChoiceField(label=_("counting rule"), choices=rule_choices)
    disaggregations = forms.MultipleChoiceField(
        label=_("allowed disaggregations"),
        choices=dimension_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = (
            "code",
            "rule",
            "is_headline",
            "is_public",
            "lists_public",
            "order",
            "name_fr",
            "name_en",
            "headline_fr",
            "headline_en",
            "description_fr",
            "description_en",
            "activity_types",
            "themes",
            "campaign_series",
            "projects",
            "audiences",
            "age_groups",
            "sexes",
            "regions",
            "numerator",
            "denominator",
            "disaggregations",
            "objective",
            "wps_reference",
        )


class TargetInline(admin.TabularInline):
    model = Target
    fields = ("period", "baseline", "target", "note")
    extra = 1


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorAdminForm
    inlines = (TargetInline,)
    list_display = (
        "code",
        "localized_name",
        "rule",
        "is_headline",
        "is_public",
        "lists_public",
        "objective",
        "order",
    )
    list_display_links = ("code", "localized_name")
    list_filter = (
        "rule",
        "is_headline",
        "is_public",
        "lists_public",
        "objective",
        "themes",
        "activity_types",
        "campaign_series",
        "projects",
    )
    list_select_related = ("objective",)
    search_fields = ("code", "name_fr", "name_en", "wps_reference")
    filter_horizontal = (
        "activity_types",
        "themes",
        "campaign_series",
        "projects",
        "audiences",
        "age_groups",
        "regions",
    )
    autocomplete_fields = ("numerator", "denominator")
    fieldsets = (
        (None, {"fields": ("code", "rule", "is_headline", "order")}),
        (_("Public pages"), {"fields": ("is_public", "lists_public")}),
        (
            _("Names"),
            {
                "fields": (
                    "name_fr",
                    "name_en",
                    "headline_fr",
                    "headline_en",
                    "description_fr",
                    "description_en",
                )
            },
        ),
        (
            _("What is counted"),
            {
                "fields": (
                    "activity_types",
                    "themes",
                    "campaign_series",
                    "projects",
                    "audiences",
                    "age_groups",
                    "sexes",
                    "regions",
                )
            },
        ),
        (_("Ratio"), {"fields": ("numerator", "denominator")}),
        (
            _("Reporting"),
            {"fields": ("disaggregations", "objective", "wps_reference")},
        ),
    )

    @admin.display(description=_("name"), ordering="name_fr")
    def localized_name(self, obj: Indicator) -> str:
        return obj.name


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "period", "baseline", "target")
    list_filter = ("indicator",)
    list_select_related = ("indicator",)
    search_fields = ("indicator__code", "indicator__name_fr", "indicator__name_en", "period")
    autocomplete_fields = ("indicator",)

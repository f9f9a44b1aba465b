"""Courses and their question banks in the back office (unit admins), written through
`trainings.services.course_save` / `question_save` as from any door: checked there, one
message per problem, audited. A question's choices are edited one per line,
`code | français | English`. Courses are not deleted here (their sessions hold them);
a question is not deleted either (answers already scored refer to it)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from musow.trainings.models import Course, Question
from musow.trainings.services import COURSE_FIELDS, course_save, question_problems, question_save


def choices_text(choices: list[dict[str, str]]) -> str:
    return "\n".join(
        " | ".join([str(c.get("code", "")), str(c.get("fr", "")), str(c.get("en", ""))])
        for c in choices
    )


def choices_parse(text: str) -> list[dict[str, str]]:
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        out.append({"code": parts[0], "fr": parts[1] or parts[0], "en": parts[2] or parts[1]})
    return out


class QuestionForm(forms.ModelForm):
    choices_lines = forms.CharField(
        label=_("choices"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 50}),
        help_text=_("One choice per line: code | French | English (e.g. a | 1325 (2000) | …)."),
    )

    class Meta:
        model = Question
        fields = ("order", "code", "text_fr", "text_en", "answer")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_lines"].initial = choices_text(self.instance.choices)
            self.fields["code"].disabled = True  # answers already scored name it

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choices = choices_parse(cleaned.get("choices_lines", ""))
        cleaned["choices"] = choices
        for problem in question_problems(choices=choices, answer=cleaned.get("answer", "")):
            self.add_error(None, problem)
        return cleaned

    def _post_clean(self) -> None:
        """The question is checked and written by `question_save` (not the model's own
        save); the unique code per course is checked there too."""


class QuestionFormSet(BaseInlineFormSet):
    pass


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 1
    can_delete = False
    ordering = ("order", "code")


class CourseAdminForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = ("code", *COURSE_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True  # forms and exports name it


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    form = CourseAdminForm
    inlines = [QuestionInline]
    list_display = ("code", "title_fr", "title_en", "version", "pass_mark")
    search_fields = ("code", "title_fr", "title_en")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @transaction.atomic
    def save_model(self, request: HttpRequest, obj: Course, form: Any, change: bool) -> None:
        """Written by `course_save` (checked there, audited)."""
        data = {name: form.cleaned_data.get(name) for name in COURSE_FIELDS}
        data = {
            k: ("" if v is None and k not in ("duration_hours",) else v) for k, v in data.items()
        }
        saved = course_save(code=obj.code, user=request.user, **data)
        obj.pk, obj.id = saved.pk, saved.pk

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Each question through `question_save` (checked there, audited)."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for f in formset.forms:
            if not f.has_changed() or not f.cleaned_data:
                continue
            data = f.cleaned_data
            saved = question_save(
                course=form.instance,
                code=data.get("code") or f.instance.code,
                text_fr=data["text_fr"],
                text_en=data["text_en"],
                choices=data["choices"],
                answer=data["answer"],
                order=data.get("order") or 0,
                user=request.user,
            )
            if f.instance.pk:
                formset.changed_objects.append((saved, list(f.changed_data)))
            else:
                formset.new_objects.append(saved)

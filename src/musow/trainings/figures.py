"""A course's figures for its page, all from the one engine (the trainings' rules broken
down by course): trainees by sex and component, pre/post means and gain by sex, pass and
completion rates, reaction. Nothing is counted here."""

from dataclasses import dataclass, field
from typing import Any

from musow.activities.models import Sex
from musow.indicators.engine import Scope, batch, compute
from musow.trainings.models import Component, Course

HEADLINE = (
    "training-trainees",
    "training-trained",
    "training-completion-rate",
    "training-mean-pre",
    "training-mean-post",
    "training-mean-gain",
    "training-pass-rate",
    "training-mean-reaction",
)
SEXES = (Sex.FEMALE, Sex.MALE, Sex.UNKNOWN)


@dataclass
class CourseFigures:
    year: str
    headline: dict[str, Any] = field(default_factory=dict)  # indicator code -> value
    # component -> [count by sex..., total]
    by_component: list[tuple[str, list[Any]]] = field(default_factory=list)
    # sex -> (mean pre, mean post, mean gain)
    scores_by_sex: list[tuple[str, Any, Any, Any]] = field(default_factory=list)
    sexes: list[str] = field(default_factory=list)


def _for_course(code: str, course: Course, year: str, scope: Scope, by: tuple[str, ...]) -> Any:
    result = compute(code, year, scope, by=("course", *by))
    return {
        tuple(m.code for d, m in row.key.items() if d != "course"): row.value
        for row in result.rows
        if row.key["course"].code == course.code
    }


def course_figures(course: Course, year: str, scope: Scope) -> CourseFigures:
    out = CourseFigures(year=year, sexes=[str(label) for _v, label in Sex.choices])
    with batch():
        for code in HEADLINE:
            out.headline[code.replace("-", "_")] = _for_course(code, course, year, scope, ()).get(
                ()
            )
        trainees = _for_course("training-trainees", course, year, scope, ("component", "sex"))
        totals = _for_course("training-trainees", course, year, scope, ("component",))
        for component, label in Component.choices:
            if (component,) in totals:
                counts = [trainees.get((component, s), 0) for s in SEXES]
                out.by_component.append((str(label), [*counts, totals[(component,)]]))
        means = {
            code: _for_course(code, course, year, scope, ("sex",))
            for code in ("training-mean-pre", "training-mean-post", "training-mean-gain")
        }
        for sex, label in Sex.choices:
            values = [means[c].get((sex,)) for c in means]
            if any(v is not None for v in values):
                out.scores_by_sex.append((str(label), *values))
    return out

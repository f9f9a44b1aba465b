"""What the staff pages show of one record, shaped for templates."""

from dataclasses import dataclass

from musow.activities.models import Activity, AgeGroup, Audience, Sex


@dataclass(frozen=True)
class ParticipationLine:
    audience: Audience
    age_group: AgeGroup
    counts: list[int]  # in the order of ParticipationTable.sexes
    total: int


@dataclass(frozen=True)
class AudienceGroup:
    audience: Audience
    lines: list[ParticipationLine]


@dataclass(frozen=True)
class ParticipationTable:
    sexes: list[Sex]
    lines: list[ParticipationLine]
    by_sex: list[int]
    total: int

    @property
    def groups(self) -> list[AudienceGroup]:
        """The lines by audience (a row group each: the table fits a phone's width with
        the audience above its age groups rather than in a column of its own)."""
        groups: list[AudienceGroup] = []
        for line in self.lines:
            if not groups or groups[-1].audience.pk != line.audience.pk:
                groups.append(AudienceGroup(line.audience, []))
            groups[-1].lines.append(line)
        return groups


def participation_table(activity: Activity) -> ParticipationTable:
    """An activity's participation (one activity's few rows): audience × age group lines,
    a column per sex, totals by sex and overall (the total is always the breakdown's sum)."""
    sexes = list(Sex)
    cells: dict[tuple[int, int], dict[str, int]] = {}
    keys: dict[tuple[int, int], tuple[Audience, AgeGroup]] = {}
    rows = activity.participation.select_related("audience", "age_group").order_by(
        "audience__order", "audience__code", "age_group__order", "age_group__code"
    )
    for row in rows:
        key = (row.audience_id, row.age_group_id)
        keys.setdefault(key, (row.audience, row.age_group))
        cells.setdefault(key, {})[row.sex] = row.count
    lines = [
        ParticipationLine(
            audience,
            age_group,
            [cells[key].get(sex, 0) for sex in sexes],
            sum(cells[key].values()),
        )
        for key, (audience, age_group) in keys.items()
    ]
    by_sex = [sum(line.counts[i] for line in lines) for i in range(len(sexes))]
    return ParticipationTable(sexes, lines, by_sex, sum(by_sex))

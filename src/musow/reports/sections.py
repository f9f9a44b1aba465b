"""The report's sections computed from its figures: the tables (by type, theme, organiser,
region, month, sex, age group, audience; unique persons; media reach; the mainstreaming
section), the campaigns, and the results framework."""

from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from musow.activities.models import AgeGroup, Attendance, Campaign, Objective, Participation
from musow.indicators.codes import ACTIVITIES, MEDIA, PARTICIPANTS, WOMEN
from musow.indicators.engine import provenance
from musow.indicators.models import Indicator, Target
from musow.indicators.periods import Period
from musow.lib.i18n import localized, percent
from musow.mainstreaming.report import tables as mainstreaming_tables
from musow.reports import narrative
from musow.reports.breakdowns import Breakdowns
from musow.reports.types import (
    CampaignSection,
    Column,
    FrameworkLine,
    Mandate,
    Number,
    Table,
    TableRow,
    plain,
)


class Sections(Breakdowns):
    # -- tables ---------------------------------------------------------------------

    def _simple(
        self, key: str, title: str, dim: str, dim_label: str, hxl: str, code: str = ACTIVITIES
    ) -> Table:
        data = self.by(code, dim)
        table = Table(
            key,
            title,
            [
                Column("code", _("code"), f"{hxl}+code", "code"),
                Column("name", dim_label, f"{hxl}+name"),
                Column("activities", _("activities"), "#activity+num", "number"),
            ],
        )
        for member, (label, value) in sorted(data.items(), key=lambda kv: (-kv[1][1], kv[0])):
            table.rows.append(TableRow(member or "-", [member, label, value]))
        return table

    def by_type(self) -> Table:
        return self._simple(
            "activities_by_type",
            _("Activities by type"),
            "activity_type",
            _("type"),
            "#activity+type",
        )

    def by_theme(self) -> Table:
        table = self._simple(
            "activities_by_theme", _("Activities by theme"), "theme", _("theme"), "#sector"
        )
        table.note = _("An activity may have several themes: the column does not add up.")
        return table

    def by_organiser(self) -> Table:
        table = self._simple(
            "activities_by_organiser",
            _("Activities by organiser"),
            "organiser",
            _("organiser"),
            "#org",
        )
        table.note = _("Partners are not counted here: each activity under its organiser.")
        return table

    def _reach_columns(self) -> list[Column]:
        return [
            Column("activities", _("activities"), "#activity+num", "number"),
            Column("participants", _("participants (contacts)"), "#reached+num", "number"),
            Column("women", _("women and girls"), "#reached+f+num", "number"),
            Column("share_women", _("share of women and girls"), "#reached+f+pct", "percent"),
        ]

    def _reach_cells(
        self,
        code: str,
        acts: dict[str, tuple[str, Number]],
        parts: dict[str, tuple[str, Number]],
        women: dict[str, tuple[str, Number]],
    ) -> list[Any]:
        p = parts.get(code, ("", 0))[1]
        w = women.get(code, ("", 0))[1]
        return [acts.get(code, ("", 0))[1], p, w, (float(w) / float(p)) if p else None]

    def by_region(self) -> Table:
        acts = self.by(ACTIVITIES, "region")
        parts = self.by(PARTICIPANTS, "region")
        women = self.by(WOMEN, "region")
        table = Table(
            "by_region",
            _("Activities and reach by region"),
            [
                Column("pcode", _("P-code"), "#adm1+code", "code"),
                Column("region", _("region"), "#adm1+name"),
                *self._reach_columns(),
            ],
        )
        names = {code: label for src in (acts, parts, women) for code, (label, _v) in src.items()}
        for code in sorted(names, key=lambda c: (c == "", c)):
            table.rows.append(
                TableRow(
                    code or "-", [code, names[code], *self._reach_cells(code, acts, parts, women)]
                )
            )
        return table

    def _months(self) -> list[str]:
        months: list[str] = []
        y, m = self.period.start.year, self.period.start.month
        while (y, m) <= (self.period.end.year, self.period.end.month) and len(months) < 240:
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return months

    def by_month(self) -> Table:
        acts = self.by(ACTIVITIES, "month")
        parts = self.by(PARTICIPANTS, "month")
        women = self.by(WOMEN, "month")
        table = Table(
            "by_month",
            _("Activities and reach by month"),
            [
                Column("month", _("month"), "#date+month", "code"),
                Column("label", _("month"), "#date+month+name"),
                *self._reach_columns(),
            ],
        )
        for code in self._months():
            label = Period.parse(code).label(self.lang)
            table.rows.append(
                TableRow(code, [code, label, *self._reach_cells(code, acts, parts, women)])
            )
        return table

    def by_sex(self) -> Table:
        parts = self.by(PARTICIPANTS, "sex")
        total = sum(v for _l, v in parts.values())
        table = Table(
            "reach_by_sex",
            _("Reach by sex"),
            [
                Column("code", _("code"), "#group+sex+code", "code"),
                Column("sex", _("sex"), "#group+sex"),
                Column("participants", _("participants (contacts)"), "#reached+num", "number"),
                Column("share", _("share"), "#reached+pct", "percent"),
            ],
        )
        for code in ("f", "m", "u"):
            if code in parts:
                label, value = parts[code]
                table.rows.append(
                    TableRow(
                        code, [code, label, value, float(value) / float(total) if total else None]
                    )
                )
        return table

    def by_age_and_sex(self) -> Table:
        rows = self.grouped(PARTICIPANTS, ("age_group", "sex"))
        sexes = [("f", _("female")), ("m", _("male")), ("u", _("not recorded"))]
        table = Table(
            "reach_by_age_sex",
            _("Reach by age group and sex"),
            [
                Column("code", _("code"), "#group+age+code", "code"),
                Column("age_group", _("age group"), "#group+age"),
                Column("f", _("female"), "#reached+f+num", "number"),
                Column("m", _("male"), "#reached+m+num", "number"),
                Column("u", _("not recorded"), "#reached+unknown+num", "number"),
                Column("total", _("total"), "#reached+num", "number"),
            ],
        )
        cells: dict[str, dict[str, Number]] = {}
        labels: dict[str, str] = {}
        for row in rows:
            age, sex = row.key["age_group"], row.key["sex"]
            labels[age.code] = age.label
            cells.setdefault(age.code, {})[sex.code] = row.value or 0
        order = _age_order()
        for code in sorted(cells, key=lambda c: (order.get(c, 99), c)):
            values = [cells[code].get(s, 0) for s, _l in sexes]
            table.rows.append(TableRow(code or "-", [code, labels[code], *values, sum(values)]))
        totals = [sum(r.cells[2 + i] for r in table.rows) for i in range(3)]
        table.total = TableRow("total", ["", _("total"), *totals, sum(totals)])
        return table

    def by_audience(self) -> Table:
        parts = self.by(PARTICIPANTS, "audience")
        women = self.by(WOMEN, "audience")
        table = Table(
            "reach_by_audience",
            _("Reach by audience"),
            [
                Column("code", _("code"), "#group+code", "code"),
                Column("audience", _("audience"), "#group+name"),
                Column("participants", _("participants (contacts)"), "#reached+num", "number"),
                Column("women", _("women and girls"), "#reached+f+num", "number"),
                Column("share_women", _("share of women and girls"), "#reached+f+pct", "percent"),
            ],
        )
        for code, (label, value) in sorted(parts.items(), key=lambda kv: (-kv[1][1], kv[0])):
            w = women.get(code, ("", 0))[1]
            table.rows.append(
                TableRow(
                    code or "-", [code, label, value, w, float(w) / float(value) if value else None]
                )
            )
        return table

    def unique_persons(self, totals: dict[str, Any]) -> Table:
        """Unique persons beside contacts, and how much of the contacts attendance lists
        cover (the report says it, so that a unique count is not read as everyone)."""
        table = Table(
            "unique_persons",
            _("Unique persons and contacts"),
            [
                Column("indicator", _("indicator"), "#indicator+code", "code"),
                Column("name", _("indicator"), "#indicator+name"),
                Column("unique", _("unique persons"), "#reached+unique+num", "number"),
                Column("listed", _("attendances on lists"), "#reached+listed+num", "number"),
                Column("contacts", _("contacts"), "#reached+num", "number"),
                Column(
                    "coverage", _("contacts covered by lists"), "#reached+listed+pct", "percent"
                ),
            ],
        )
        for indicator in self.indicators.values():
            if indicator.rule != Indicator.Rule.UNIQUE_PERSONS:
                continue
            result = self.compute(indicator.code)
            if not result.total:
                continue
            ids = provenance(indicator, self.period, self.scope)
            listed = Attendance.objects.filter(activity__in=ids).count()
            contacts = (
                Participation.objects.filter(activity__in=ids).aggregate(n=Sum("count"))["n"] or 0
            )
            table.rows.append(
                TableRow(
                    indicator.code,
                    [
                        indicator.code,
                        indicator.name,
                        result.total,
                        listed,
                        contacts,
                        listed / contacts if contacts else None,
                    ],
                )
            )
        all_ids = self._all_activities()
        if self._unfiltered(PARTICIPANTS):
            contacts = int(totals["participants"])
        else:
            contacts = (
                Participation.objects.filter(activity__in=all_ids).aggregate(n=Sum("count"))["n"]
                or 0
            )
        # driven by the activities that have a list: reads their participation rows only
        listed_activities = Attendance.objects.filter(activity__in=all_ids).values("activity_id")
        on_lists = (
            Participation.objects.filter(activity_id__in=listed_activities).aggregate(
                n=Sum("count")
            )["n"]
            or 0
        )
        totals["contacts_with_lists"] = on_lists
        totals["list_coverage"] = on_lists / contacts if contacts else None
        table.note = _(
            "Unique persons are counted where an attendance list exists; across all "
            "activities of the period, lists cover %(share)s of contacts."
        ) % {"share": percent(totals["list_coverage"])}
        return table

    def media(self) -> Table:
        data = self.by(MEDIA, "medium")
        table = Table(
            "media_reach",
            _("Media reach (estimated audience, not added to participants)"),
            [
                Column("code", _("code"), "#channel+code", "code"),
                Column("medium", _("medium"), "#channel+name"),
                Column("audience", _("estimated audience"), "#reached+media+num", "number"),
            ],
        )
        for code, (label, value) in sorted(data.items()):
            table.rows.append(TableRow(code or "-", [code, label, value]))
        return table

    def mainstreaming(self) -> list[Table]:
        """The gender mainstreaming section's tables (none without reviews or budgets)."""
        return mainstreaming_tables(self.compute)

    def participation(self) -> list[Table]:
        """Women's participation (women at the table; none without compositions or sittings)."""
        from musow.representation.report import tables

        return tables(self.compute, self.period, self.scope)

    # -- campaigns ------------------------------------------------------------------

    def campaigns(self) -> list[CampaignSection]:
        acts = self.by(ACTIVITIES, "campaign")
        parts = self.by(PARTICIPANTS, "campaign")
        women = self.by(WOMEN, "campaign")
        by_region = self.grouped(PARTICIPANTS, ("campaign", "region"))
        acts_region = self.grouped(ACTIVITIES, ("campaign", "region"))
        campaigns = {c.code: c for c in Campaign.objects.filter(code__in=[c for c in acts if c])}
        sections = []
        for code in sorted(campaigns, key=lambda c: campaigns[c].start_date):
            campaign = campaigns[code]
            table = Table(
                f"campaign_{code}",
                _("%(campaign)s: reach by region") % {"campaign": campaign.name},
                [
                    Column("pcode", _("P-code"), "#adm1+code", "code"),
                    Column("region", _("region"), "#adm1+name"),
                    Column("activities", _("activities"), "#activity+num", "number"),
                    Column("participants", _("participants (contacts)"), "#reached+num", "number"),
                ],
            )
            rows: dict[str, list[Any]] = {}
            for result, index in ((acts_region, 2), (by_region, 3)):
                for row in result:
                    if row.key["campaign"].code != code:
                        continue
                    region = row.key["region"]
                    cells = rows.setdefault(region.code, [region.code, region.label, 0, 0])
                    cells[index] = row.value or 0
            table.rows = [TableRow(c or "-", rows[c]) for c in sorted(rows)]
            section = CampaignSection(
                code=code,
                name=campaign.name,
                start=campaign.start_date,
                end=campaign.end_date,
                activities=int(acts.get(code, ("", 0))[1]),
                participants=int(parts.get(code, ("", 0))[1]),
                women=int(women.get(code, ("", 0))[1]),
                regions=table,
                sentence="",
            )
            section.sentence = narrative.campaign_sentence(section, self.lang)
            sections.append(section)
        return sections

    # -- results framework ----------------------------------------------------------

    def framework(self) -> list[Mandate]:
        previous = self.period.previous()
        targets = {
            t.indicator_id: t
            for t in Target.objects.filter(
                period=self.period.code, indicator__objective__isnull=False
            )
        }
        mandates: dict[int, Mandate] = {}
        objectives = {o.pk: o for o in Objective.objects.all()}
        lines = sorted(
            (i for i in self.indicators.values() if i.objective_id is not None),
            key=lambda i: (
                objectives[i.objective_id].order,
                objectives[i.objective_id].code,
                i.order,
                i.code,
            ),
        )
        # Without any activity in the previous period there is nothing to compare with:
        # its values are unknown (the change is "n/a"), not zero.
        had_data = bool(lines) and int(self.compute(ACTIVITIES, period=previous).total or 0) > 0
        for indicator in lines:
            objective = objectives[indicator.objective_id]
            now = self.compute(indicator.code)
            before = self.compute(indicator.code, period=previous) if had_data else None
            target = targets.get(indicator.pk)
            mandate = mandates.setdefault(
                objective.pk,
                Mandate(
                    objective.code, objective.name, localized(objective, "text", self.lang), []
                ),
            )
            mandate.lines.append(
                FrameworkLine(
                    code=indicator.code,
                    name=indicator.name,
                    rule=indicator.rule,
                    baseline=plain(target.baseline)
                    if target and target.baseline is not None
                    else None,
                    target=plain(target.target) if target and target.target is not None else None,
                    actual=now.total,
                    previous=before.total if before is not None else None,
                    ratio=indicator.rule == Indicator.Rule.RATIO,
                )
            )
        return list(mandates.values())


def _age_order() -> dict[str, int]:
    return {code: order for code, order in AgeGroup.objects.values_list("code", "order")}

"""System checks: the indicators the code reads by code (`codes.NEEDED`) are in the database,
count with the rule the code expects and allow the breakdowns it asks of them.

Registered without a tag, so that `musow check`, `musow serve` and every command that runs
Django's checks report them at start-up. A database that is not set up yet (no indicator
table, or no database at all) gives no message here: `musow setup` is what makes it, and
`musow serve` says so itself.
"""

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils.translation import gettext as _

from musow.indicators.codes import NEEDED


@register()
def indicators_needed(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if app_configs is not None and not any(c.name == "musow.indicators" for c in app_configs):
        return []
    from musow.indicators.engine import dimensions_for
    from musow.indicators.models import Indicator

    connection = connections[DEFAULT_DB_ALIAS]
    try:
        if Indicator._meta.db_table not in connection.introspection.table_names():
            return []
        needed = Indicator.objects.filter(code__in=[n.code for n in NEEDED])
        # only what is checked: a database older than the model still answers
        found = {i.code: i for i in needed.only("code", "rule", "disaggregations")}
    except DatabaseError:
        return []
    hint = _("Run “musow setup” to load the shipped indicators again.")
    errors: list[CheckMessage] = []
    for need in NEEDED:
        indicator = found.get(need.code)
        if indicator is None:
            errors.append(
                Error(
                    _("The indicator “%(code)s” is missing: %(used)s cannot be built without it.")
                    % {"code": need.code, "used": need.used_by},
                    hint=hint,
                    id="musow.E001",
                )
            )
            continue
        if indicator.rule != need.rule:
            errors.append(
                Error(
                    _(
                        "The indicator “%(code)s” counts “%(rule)s”; “%(need)s” is needed "
                        "by %(used)s."
                    )
                    % {
                        "code": need.code,
                        "rule": indicator.rule,
                        "used": need.used_by,
                        "need": need.rule,
                    },
                    hint=hint,
                    id="musow.E002",
                )
            )
            continue
        allowed = set(indicator.disaggregations or ()) & set(dimensions_for(indicator.rule))
        refused = [dim for dim in need.by if dim not in allowed]
        if refused:
            errors.append(
                Error(
                    _(
                        "The indicator “%(code)s” does not allow the breakdowns %(dims)s, "
                        "needed by %(used)s."
                    )
                    % {"code": need.code, "dims": ", ".join(refused), "used": need.used_by},
                    hint=_("Add them to its allowed disaggregations in the admin."),
                    id="musow.E003",
                )
            )
    return errors

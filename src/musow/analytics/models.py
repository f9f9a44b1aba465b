"""The register's side of the analytics store: what changed since the store last caught up.

`Change` is an outbox: a row per changed activity, written by database triggers in the
same transaction as the change itself (`musow.analytics.triggers`), whatever door the
change came through — services, imports, the admin, a bulk SQL load. The store reads
and then deletes them (`musow.analytics.sync`). A row with no activity says that
something else figures depend on changed (an indicator, a target): nothing to copy, but
cached dashboards and reports are stale.

`State` holds the register's identity (the store refuses to serve another register's
figures) and the generation, bumped each time the store catches up: cached dashboards
and reports are keyed by it.
"""

from django.db import models
from django.db.models import Q


class Change(models.Model):
    activity_id = models.BigIntegerField(null=True)
    # Set by the consumer that is copying it; a claimed row left behind by a consumer that
    # died is copied again by the next one (copying is idempotent).
    claimed = models.BooleanField(default=False)

    class Meta:
        db_table = "analytics_change"
        constraints = [
            # One pending row per activity: a thousand writes to one activity before the
            # store catches up cost one copy.
            models.UniqueConstraint(
                fields=["activity_id"],
                condition=Q(claimed=False),
                name="analytics_change_pending_once",
            )
        ]

    def __str__(self) -> str:
        return f"change of activity {self.activity_id}"


class State(models.Model):
    register_id = models.CharField(max_length=36)
    generation = models.BigIntegerField(default=0)

    class Meta:
        db_table = "analytics_state"

    def __str__(self) -> str:
        return f"register {self.register_id}, generation {self.generation}"

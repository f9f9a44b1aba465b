from collections.abc import Mapping
from typing import Any

from django.db import models

from musow.audit.models import Entry


def entry_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: Mapping[str, tuple[Any, Any] | list[Any]] | None = None,
    comment: str = "",
) -> Entry:
    """Write one audit entry (call it inside the transaction of the change it records)."""
    return Entry.objects.create(**entry_fields(actor, action, target, changes, comment))


def entry_fields(
    actor: Any,
    action: str,
    target: models.Model,
    changes: Mapping[str, tuple[Any, Any] | list[Any]] | None = None,
    comment: str = "",
) -> dict[str, Any]:
    return {
        "actor": actor if getattr(actor, "pk", None) else None,
        "action": action,
        "target_type": target._meta.label_lower,
        "target_id": str(target.pk),
        "target_label": str(target)[:300],
        "changes": {name: [old, new] for name, (old, new) in (changes or {}).items()},
        "comment": comment,
    }


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields whose value differs, as {field: (old, new)}."""
    if not before:  # a new record (many at a time in an import): no comparison to make
        return {name: (None, value) for name, value in sorted(after.items()) if value is not None}
    return {
        name: (before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }

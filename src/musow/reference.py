"""Reference data every musow database needs: places, vocabularies, indicators."""

from django.core.management import call_command


def reference_load(verbosity: int = 0) -> None:
    """Load (or refresh) the shipped reference data. Safe to run again."""
    from musow.geo.services import regions_load_shipped

    regions_load_shipped()
    call_command("loaddata", "vocabularies", "indicators", verbosity=verbosity)
    # The programme modules' vocabularies and indicators.
    call_command("loaddata", "mainstreaming", "mainstreaming_indicators", verbosity=verbosity)
    call_command("loaddata", "training_indicators", verbosity=verbosity)
    call_command("loaddata", "representation", "advocacy", verbosity=verbosity)
    call_command("loaddata", "elections", verbosity=verbosity)
    call_command("loaddata", "security", verbosity=verbosity)
    call_command("loaddata", "protection_indicators", verbosity=verbosity)

from django.conf.locale.en.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
DECIMAL_SEPARATOR = "."
NUMBER_GROUPING = 3

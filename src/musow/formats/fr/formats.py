# French number format as CLDR and the Imprimerie nationale have it: 5 400 with a
# narrow no-break space (U+202F), decimal comma.
from django.conf.locale.fr.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "\u202f"
DECIMAL_SEPARATOR = ","
NUMBER_GROUPING = 3

# French as CLDR and the Imprimerie nationale have it: "3 décembre 2014", 24-hour times
# ("3 décembre 2014, 07:09", the same shape as English), numbers 5 400 with a narrow
# no-break space (U+202F) and a decimal comma.
from django.conf.locale.fr.formats import *  # noqa: F403

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

THOUSAND_SEPARATOR = "\u202f"
DECIMAL_SEPARATOR = ","
NUMBER_GROUPING = 3

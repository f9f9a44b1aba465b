"""The two secrets musow needs outside development, checked before anything starts.

`MUSOW_SECRET_KEY` signs sessions and CSRF tokens; `MUSOW_ATTENDEE_KEY` makes the
pseudonymous keys of the people counted (musow.activities.keys). They are separate: the
secret key may be rotated at will, the attendee key only by re-keying
(`musow attendees rekey`). Outside DEBUG neither falls back to a public value: the
`musow` command (cli.py) and the web server (wsgi.py) refuse to start without them, with
a message that says how to make one.

Settings are read before the translations can be (the app registry is not ready), so
the messages are written in both languages, French first.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured

GENERATE = 'python3 -c "import secrets; print(secrets.token_urlsafe(50))"'

MISSING_SECRET_KEY = (
    "MUSOW_SECRET_KEY n'est pas défini : hors développement (MUSOW_DEBUG=1), musow ne "
    "démarre pas sans sa clé secrète. Créez-en une avec\n    {generate}\n"
    "et mettez-la dans l'environnement du service (MUSOW_SECRET_KEY=…).\n"
    "MUSOW_SECRET_KEY is not set: outside development (MUSOW_DEBUG=1), musow does not "
    "start without its secret key. Make one with the command above and put it in the "
    "service's environment (MUSOW_SECRET_KEY=…)."
)
MISSING_ATTENDEE_KEY = (
    "MUSOW_ATTENDEE_KEY n'est pas défini : hors développement, musow ne démarre pas sans "
    "la clé qui rend les personnes pseudonymes. Elle est distincte de MUSOW_SECRET_KEY. "
    "Créez-en une avec\n    {generate}\n"
    "gardez-la secrète et stable (pour la changer : « musow attendees rekey »). Une base "
    "créée avant cette règle a fait ses clés avec MUSOW_SECRET_KEY : donnez cette valeur-là "
    "à MUSOW_ATTENDEE_KEY, puis une nouvelle à MUSOW_SECRET_KEY.\n"
    "MUSOW_ATTENDEE_KEY is not set: outside development, musow does not start without the "
    "key that makes people pseudonymous. It is separate from MUSOW_SECRET_KEY. Make one with "
    "the command above, keep it secret and stable (to change it: “musow attendees rekey”). "
    "A database made before this rule made its keys with MUSOW_SECRET_KEY: give that value "
    "to MUSOW_ATTENDEE_KEY, and a new one to MUSOW_SECRET_KEY."
)
SAME_KEY = (
    "MUSOW_ATTENDEE_KEY ne doit pas reprendre MUSOW_SECRET_KEY : donnez une nouvelle valeur "
    "à MUSOW_SECRET_KEY ({generate}).\n"
    "MUSOW_ATTENDEE_KEY must not reuse MUSOW_SECRET_KEY: give MUSOW_SECRET_KEY a new value."
)
PUBLIC_KEY = (
    "{name} a la valeur publique de développement : hors développement, donnez-lui une "
    "valeur secrète ({generate}).\n"
    "{name} has the public development value: outside development, give it a secret one."
)


def _value(settings: Any, name: str) -> str:
    try:
        return str(getattr(settings, name, "") or "")
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        return ""


def secret_problems(settings: Any) -> list[str]:
    """What is wrong with the configured secrets (nothing in DEBUG, where development
    values stand in for missing ones)."""
    if settings.DEBUG:
        return []
    secret_key = _value(settings, "SECRET_KEY")
    attendee_keys = _value(settings, "ATTENDEE_KEY").split()
    problems = []
    if not secret_key:
        problems.append(MISSING_SECRET_KEY.format(generate=GENERATE))
    elif secret_key == settings.DEVELOPMENT_SECRET_KEY:
        problems.append(PUBLIC_KEY.format(name="MUSOW_SECRET_KEY", generate=GENERATE))
    if not attendee_keys:
        problems.append(MISSING_ATTENDEE_KEY.format(generate=GENERATE))
    elif settings.DEVELOPMENT_ATTENDEE_KEY in attendee_keys:
        problems.append(PUBLIC_KEY.format(name="MUSOW_ATTENDEE_KEY", generate=GENERATE))
    if secret_key and secret_key in attendee_keys:
        problems.append(SAME_KEY.format(generate=GENERATE))
    return problems


def refuse_without_secrets(settings: Any) -> None:
    """Stop here, with the reasons, when the secrets are missing (see secret_problems)."""
    problems = secret_problems(settings)
    if problems:
        raise ImproperlyConfigured("\n\n".join(problems))

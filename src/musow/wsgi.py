import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from musow.secret_keys import refuse_without_secrets

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musow.settings")
# The web server does not start without its secrets (a worker that cannot boot stops it).
refuse_without_secrets(settings)
application = get_wsgi_application()

"""The mainstreaming vocabularies are data the unit admin keeps in the back office:
document kinds, mission sections, checklist items. Reviews, recommendations and project
markers are written on the site's pages, through the services (audited)."""

from django.contrib import admin

from musow.activities.admin import TermAdmin
from musow.mainstreaming.models import ChecklistItem, DocumentKind, Section

admin.site.register(DocumentKind, TermAdmin)
admin.site.register(Section, TermAdmin)
admin.site.register(ChecklistItem, TermAdmin)

"""The programme's pages: a protection officer enters a provider's month by the grid form;
everyone signed in reads the statistics protected, protection officers whole (audited)."""

import re

import pytest
from django.test import Client

from musow.accounts.models import User
from musow.audit.models import Entry
from musow.protection.models import ProviderReport
from tests.protection_helpers import agreement, officer, provider, region
from tests.web_fixtures import FAST_HASHERS, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(org, **extra) -> dict:
    data = {
        "provider": org.pk,
        "place": region("ML07").pk,
        "month": "2025-03",
        "incidents": "3",
        "inc__rape__f__18-59": "2",
        "inc__physical_assault__f__12-17": "1",
        "delay__0-72h": "3",
        "svc__health": "3",
        "ref__legal": "1",
        "jus__complaints": "2",
        "jus__investigations": "1",
    }
    return {**data, **extra}


def test_a_protection_officer_enters_a_providers_month_by_the_form():
    org = provider("centre-gao", "ML07")
    agreement(org)
    client = _client(officer())
    page = client.get(url("web:protection-report-new"))
    assert page.status_code == 200 and 'inputmode="numeric"' in page.content.decode()
    response = client.post(url("web:protection-report-new"), _form(org))
    report = ProviderReport.objects.get()
    assert response.status_code == 302 and response["Location"] == url(
        "web:protection-report", report.pk
    )
    assert report.incidents == 3 and report.investigations == 1


def test_bad_counts_get_one_message_each_and_nothing_is_written():
    org = provider("centre-gao", "ML07")
    agreement(org)
    client = _client(officer())
    response = client.post(
        url("web:protection-report-new", lang="en"),
        _form(org, incidents="4", **{"jus__investigations": "3"}),
    )
    body = response.content.decode()
    assert response.status_code == 200 and not ProviderReport.objects.exists()
    assert "add up to 3, not to the 4 incidents reported" in body
    assert "The justice chain cannot grow" in body


def _cells(body: str) -> list[str]:
    return re.findall(r'<td class="num">([^<]*)</td>', body)


def test_a_viewer_sees_the_statistics_protected_and_nothing_is_audited(demo_reports):
    viewer = User.objects.create_user("lecteur-p", password="x", role=User.Role.VIEWER)
    body = (
        _client(viewer).get(url("web:protection", lang="en") + "?period=2014-03").content.decode()
    )
    cells = _cells(body)
    assert "&lt; 5" in cells and "×" in cells
    assert not any(c.strip() in {"1", "2", "3", "4"} for c in cells)
    assert "Small numbers (fewer than 5) are hidden to protect the people concerned" in body
    assert not Entry.objects.filter(action=Entry.Action.VIEW_WHOLE).exists()


def test_a_protection_officer_sees_them_whole_and_the_view_is_audited(demo_reports):
    user = officer()
    body = _client(user).get(url("web:protection") + "?period=2014-03").content.decode()
    cells = _cells(body)
    assert "×" not in cells and not any(c.startswith("&lt;") for c in cells)
    entry = Entry.objects.get(action=Entry.Action.VIEW_WHOLE)
    assert entry.actor == user and entry.changes["period"] == [None, "2014-03"]
    assert "incidents-type-sex" in entry.changes["tables"][1]


def test_a_protection_officer_imports_a_template_from_the_page(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from musow.protection.imports import template_csv

    org = provider("centre-gao", "ML07")
    agreement(org)
    client = _client(officer())
    template = client.get(url("web:protection-template", "csv"))
    assert template.status_code == 200 and b"#org+code" in template.content
    text = template_csv("fr") + "centre-gao;ML07;2025-03;total;;;;0\r\n"
    upload = SimpleUploadedFile("mois.csv", text.encode(), content_type="text/csv")
    response = client.post(url("web:protection-import"), {"file": upload})
    assert response.status_code == 302 and ProviderReport.objects.count() == 1
    bad = text.replace(";0\r\n", ";-1\r\n")
    upload = SimpleUploadedFile("mois.csv", bad.encode(), content_type="text/csv")
    response = client.post(url("web:protection-import", lang="en"), {"file": upload})
    assert (
        response.status_code == 200
        and "Row 3: Counts cannot be negative." in response.content.decode()
    )

"""Wide staff tables scroll inside a focusable, labelled box, so a 360 px screen keeps its width."""

import re

import pytest
from django.urls import reverse

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set
from infopoint.enquiries.services import enquiry_create
from infopoint.privacy.audit import audit_record
from infopoint.privacy.models import AuditAction

pytestmark = pytest.mark.django_db

WRAPPED_TABLE = re.compile(
    r'<div class="table-wrap" tabindex="0" role="region" aria-label="[^"]+">\s*<table'
)


@pytest.mark.parametrize(
    "name", ["enquiries:staff:inbox", "reports:index", "reports:summary", "privacy:audit_log"]
)
def test_every_staff_table_is_in_a_scroll_box(client, name) -> None:
    user = User.objects.create_user(username="coord", languages=["pl", "uk"])
    user_roles_set(user=user, roles=[Role.COORDINATOR])
    enquiry_create(channel="web", text="Jak przedłużyć kartę pobytu?", language="pl")
    audit_record(actor=user, action=AuditAction.VIEWED, detail={"test": 1})
    client.force_login(user)
    page = client.get(reverse(name)).content.decode()
    tables = page.count("<table")
    assert tables >= 1
    assert len(WRAPPED_TABLE.findall(page)) == tables

"""Reference numbers stay unique when many intakes take one at the same moment (PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from infopoint.enquiries.models import ReferenceCounter
from infopoint.enquiries.services import reference_next

AT = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))


def _take() -> str:
    try:
        with transaction.atomic():
            return reference_next(at=AT)
    finally:
        connections.close_all()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_get_distinct_numbers() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): SQLite serialises writers")
    with ThreadPoolExecutor(max_workers=8) as pool:
        references = list(pool.map(lambda _n: _take(), range(40)))
    assert len(set(references)) == 40
    assert sorted(references)[-1] == "IP-2026-000040"
    assert ReferenceCounter.objects.get(year=2026).last_number == 40

from datetime import time

import pytest

from infopoint.hours.calendar import OfficeCalendar

POINT_WEEKLY = {
    **{day: [(time(9), time(19))] for day in range(5)},
    5: [(time(9), time(14))],
}


@pytest.fixture
def point_calendar() -> OfficeCalendar:
    """The point's default hours: Mon–Fri 9–19, Sat 9–14, Polish holidays, Europe/Warsaw."""
    return OfficeCalendar(
        weekly=POINT_WEEKLY, country="PL", subdivision="", time_zone="Europe/Warsaw"
    )

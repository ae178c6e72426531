from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from infopoint.accounts.models import DutyShift, Role, User
from infopoint.accounts.selectors import (
    desk_staff,
    languages_on_duty,
    staff_on_duty,
    user_has_role,
    user_works_desk,
)
from infopoint.accounts.services import duty_shift_create, user_roles_set

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
MONDAY = date(2026, 11, 23)


def _staff(username: str, languages: list[str], roles: tuple[str, ...] = (Role.CONSULTANT,)):
    user = User.objects.create_user(username=username, languages=languages)
    return user_roles_set(user=user, roles=list(roles))


def test_roles_make_desk_staff_who_can_sign_in() -> None:
    consultant = _staff("olena", ["uk"])
    adviser = _staff("adam", ["pl"], roles=(Role.ADVISER,))
    nobody = User.objects.create_user(username="nobody")
    assert consultant.is_staff
    assert user_works_desk(consultant)
    assert not user_works_desk(adviser)
    assert user_has_role(adviser, [Role.ADVISER])
    assert not user_works_desk(nobody)
    assert list(desk_staff()) == [consultant]
    user_roles_set(user=consultant, roles=[Role.ADVISER])
    consultant = User.objects.get(pk=consultant.pk)
    assert not user_works_desk(consultant)
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)
    with pytest.raises(ValidationError):
        user_roles_set(user=consultant, roles=["king"])


def test_inactive_and_anonymous_users_do_not_work_the_desk() -> None:
    from django.contrib.auth.models import AnonymousUser

    user = _staff("olena", ["uk"])
    user.is_active = False
    user.save()
    assert not user_works_desk(User.objects.get(pk=user.pk))
    assert not user_works_desk(AnonymousUser())


def test_languages_on_duty_are_those_spoken_by_desk_staff_on_duty_that_day(settings) -> None:
    olena = _staff("olena", ["uk", "pl"])
    john = _staff("john", ["en", "xx"])
    adviser = _staff("adam", ["ru"], roles=(Role.ADVISER,))
    duty_shift_create(user=olena, date=MONDAY, starts_at=time(9), ends_at=time(14))
    duty_shift_create(user=john, date=MONDAY, starts_at=time(14), ends_at=time(19))
    duty_shift_create(user=adviser, date=MONDAY, starts_at=time(9), ends_at=time(19))
    duty_shift_create(user=olena, date=date(2026, 11, 24), starts_at=time(9), ends_at=time(19))
    # In the order of settings.LANGUAGES; codes the site does not offer are left out.
    assert languages_on_duty(MONDAY) == ["pl", "uk", "en"]
    assert languages_on_duty(date(2026, 11, 24)) == ["pl", "uk"]
    assert languages_on_duty(date(2026, 11, 25)) == []
    settings.LANGUAGES = [("en", "English"), ("uk", "Українська")]
    assert languages_on_duty(MONDAY) == ["en", "uk"]


def test_languages_on_duty_defaults_to_today(time_machine) -> None:
    time_machine.move_to(datetime(2026, 11, 23, 23, 30, tzinfo=WARSAW), tick=False)
    olena = _staff("olena", ["uk"])
    duty_shift_create(user=olena, date=MONDAY, starts_at=time(9), ends_at=time(14))
    assert languages_on_duty() == ["uk"]


def test_staff_on_duty_at_a_moment() -> None:
    olena = _staff("olena", ["uk"])
    john = _staff("john", ["en"])
    duty_shift_create(user=olena, date=MONDAY, starts_at=time(9), ends_at=time(14))
    duty_shift_create(user=john, date=MONDAY, starts_at=time(14), ends_at=time(19))
    assert staff_on_duty(at=datetime(2026, 11, 23, 10, tzinfo=WARSAW)) == [olena]
    assert staff_on_duty(at=datetime(2026, 11, 23, 14, tzinfo=WARSAW)) == [john]
    assert staff_on_duty(at=datetime(2026, 11, 23, 19, tzinfo=WARSAW)) == []


def test_shifts_must_end_after_they_start_and_not_overlap() -> None:
    olena = _staff("olena", ["uk"])
    with pytest.raises(ValidationError):
        duty_shift_create(user=olena, date=MONDAY, starts_at=time(14), ends_at=time(9))
    duty_shift_create(user=olena, date=MONDAY, starts_at=time(9), ends_at=time(14))
    with pytest.raises(ValidationError):
        duty_shift_create(user=olena, date=MONDAY, starts_at=time(13), ends_at=time(15))
    duty_shift_create(user=olena, date=MONDAY, starts_at=time(14), ends_at=time(15))
    with pytest.raises(IntegrityError), transaction.atomic():
        DutyShift.objects.create(user=olena, date=MONDAY, starts_at=time(16), ends_at=time(16))


def test_duty_roster_admin(admin_client) -> None:
    olena = _staff("olena", ["uk"])
    duty_shift_create(user=olena, date=MONDAY, starts_at=time(9), ends_at=time(14))
    assert admin_client.get("/en/admin/accounts/dutyshift/").status_code == 200
    assert admin_client.get("/en/admin/accounts/dutyshift/add/").status_code == 200

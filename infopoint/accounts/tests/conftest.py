from __future__ import annotations

import pyotp
import pytest

from infopoint.accounts.models import Role, TwoFactor, User
from infopoint.accounts.services import user_roles_set

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(db: None) -> User:
    user = User.objects.create_user(username="olena", password=PASSWORD)
    user_roles_set(user=user, roles=[Role.CONSULTANT])
    return user


@pytest.fixture
def totp_staff(staff: User) -> tuple[User, pyotp.TOTP]:
    """A consultant with two-factor sign-in on; returns the user and their authenticator."""
    from django.utils import timezone

    secret = pyotp.random_base32()
    TwoFactor.objects.create(user=staff, secret=secret, confirmed_at=timezone.now())
    return staff, pyotp.TOTP(secret)

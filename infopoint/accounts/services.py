from __future__ import annotations

import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext

from . import conf, twofactor
from .models import (
    DutyShift,
    RecoveryCode,
    Role,
    SignInAttempt,
    SignInOutcome,
    TwoFactor,
    User,
)
from .selectors import sign_in_locked_until

logger = logging.getLogger(__name__)
LOCKED_RECORD_EVERY = datetime.timedelta(minutes=1)

# Apps whose models a coordinator edits in the admin: hours and notices, topics, directory,
# pages, advisers' availability, knowledge-base articles, news.
COORDINATOR_APPS = ("hours", "topics", "directory", "pages", "appointments", "knowledge", "news")
# Staff accounts a coordinator adds and edits in the admin; the admin keeps superuser status,
# single permissions and the administrator role out of their reach.
COORDINATOR_STAFF_PERMISSIONS = ("view_user", "add_user", "change_user")
# What a legal adviser may edit in the admin: their own profile and availability (the admin
# narrows it to their own rows).
ADVISER_MODELS = ("adviser", "advisertranslation", "availabilityrule", "availabilityexception")


@transaction.atomic
def role_groups_ensure() -> dict[str, Group]:
    """Creates the permission group of every role; the coordinator's may edit content apps
    and staff accounts."""
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    content_permissions = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    staff_permissions = Permission.objects.filter(
        content_type__app_label="accounts", codename__in=COORDINATOR_STAFF_PERMISSIONS
    )
    groups[Role.COORDINATOR].permissions.add(*content_permissions, *staff_permissions)
    adviser_permissions = Permission.objects.filter(
        content_type__app_label="appointments",
        content_type__model__in=ADVISER_MODELS,
        codename__regex=r"^(view|add|change)_",
    )
    groups[Role.ADVISER].permissions.add(*adviser_permissions)
    return groups


@transaction.atomic
def demo_coordinator_ensure(*, username: str = "coordinator") -> tuple[User, str | None]:
    """Creates the demo coordinator with a random password.

    Returns the user and the new password, or None when the account already existed
    (its password is never reset, so a changed one stays changed).
    """
    groups = role_groups_ensure()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "is_staff": True,
            "first_name": "Demo",
            "languages": [code for code, _name in settings.LANGUAGES],
        },
    )
    password = None
    if created:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(groups[Role.COORDINATOR])
    return user, password


@transaction.atomic
def staff_create(
    *,
    username: str,
    role: str,
    email: str,
    languages: list[str],
    password: str | None = None,
) -> tuple[User, str | None]:
    """Creates a member of staff with one role; only a superuser makes an administrator.

    Without ``password`` a random one is set and returned, to be given once and changed at
    the first sign-in; a given one must pass the password validators.
    """
    if role not in Role.values or role == Role.ADMINISTRATOR:
        raise ValidationError(
            {"role": gettext("Choose consultant, adviser or coordinator.")}, code="role"
        )
    site_languages = [code for code, _name in settings.LANGUAGES]
    unknown = [code for code in languages if code not in site_languages]
    if unknown:
        raise ValidationError(
            {
                "languages": gettext("Unknown language: %(codes)s. Use %(known)s.")
                % {"codes": ", ".join(unknown), "known": ", ".join(site_languages)}
            },
            code="language",
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": gettext("A member of staff with this user name already exists.")},
            code="unique",
        )
    user = User(username=username, email=email, languages=languages, is_staff=True)
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(12)
    else:
        password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    user_roles_set(user=user, roles=[role])
    return user, generated


@transaction.atomic
def duty_shift_create(
    *, user: User, date: datetime.date, starts_at: datetime.time, ends_at: datetime.time
) -> DutyShift:
    """Puts a member of staff on duty; shifts of one person on one day must not overlap."""
    shift = DutyShift(user=user, date=date, starts_at=starts_at, ends_at=ends_at)
    shift.full_clean()
    overlapping = DutyShift.objects.filter(
        user=user, date=date, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if overlapping.exists():
        raise ValidationError(
            gettext("%(user)s is already on duty at that time on %(date)s.")
            % {"user": user, "date": date.isoformat()},
            code="overlap",
        )
    shift.save()
    return shift


@transaction.atomic
def user_roles_set(*, user: User, roles: list[str]) -> User:
    """Gives a member of staff exactly ``roles``; any role lets them sign in (``is_staff``).

    ``is_staff`` lets them into the admin, where their groups' permissions decide what they see.
    """
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(gettext("Unknown role."), code="role")
    groups = role_groups_ensure()
    user.groups.remove(*(groups[role] for role in Role.values if role not in roles))
    user.groups.add(*(groups[role] for role in roles))
    if roles and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


# --- sign-in ---------------------------------------------------------------------------------


class SignInRefused(Exception):
    """Sign-in was refused; ``message`` is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked_message(until: datetime.datetime) -> str:
    local = timezone.localtime(until)
    return gettext(
        "Too many failed sign-ins. For your safety, signing in is blocked until %(time)s. "
        "Try again then, or ask an administrator for help."
    ) % {"time": formats.time_format(local, "TIME_FORMAT")}


def sign_in_attempt_record(
    *, username: str, user: User | None, address: str, outcome: str
) -> SignInAttempt:
    """Stores one try to sign in, with the client's network only (not its full address)."""
    attempt = SignInAttempt(
        at=timezone.now(),
        username=username[:150],
        user=user,
        address=twofactor.address_network(address),
        outcome=outcome,
    )
    attempt.full_clean()
    attempt.save()
    return attempt


def _refuse_if_locked(*, username: str, user: User | None, address: str) -> None:
    network = twofactor.address_network(address)
    now = timezone.now()
    until = sign_in_locked_until(username=username, network=network, now=now)
    if until is not None:
        # One refusal a minute per network is recorded: a flood must not fill the table.
        recently = SignInAttempt.objects.filter(
            address=network, outcome=SignInOutcome.LOCKED, at__gte=now - LOCKED_RECORD_EVERY
        )
        if not recently.exists():
            sign_in_attempt_record(
                username=username, user=user, address=address, outcome=SignInOutcome.LOCKED
            )
        raise SignInRefused(_locked_message(until))


def _failure_record(*, username: str, user: User | None, address: str, outcome: str) -> None:
    """Stores a failure and logs the lock-out it may have started."""
    sign_in_attempt_record(username=username, user=user, address=address, outcome=outcome)
    network = twofactor.address_network(address)
    until = sign_in_locked_until(username=username, network=network, now=timezone.now())
    if until is not None:
        logger.warning(
            "Sign-in locked out until %s: account %r, network %s (%s)",
            until.isoformat(),
            username,
            network,
            outcome,
        )


def sign_in_password(
    *, username: str, password: str, address: str, request: HttpRequest | None = None
) -> User:
    """The active user with this user name and password, unless sign-in is locked out.

    Every failure is stored (it counts towards the lock-out) and the answer never tells
    whether the user name exists. The sign-in is complete only after ``sign_in_succeeded``
    (and, for users with two-factor on, ``sign_in_code``).
    """
    username = username.strip()[:150]
    known = User.objects.filter(username__iexact=username).first()
    _refuse_if_locked(username=username, user=known, address=address)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        _failure_record(
            username=username, user=known, address=address, outcome=SignInOutcome.BAD_PASSWORD
        )
        raise SignInRefused(
            gettext("The user name or password is wrong. Check them and try again.")
        )
    return user


@transaction.atomic
def _second_factor_use(*, user: User, code: str) -> str:
    """Uses a TOTP code or a recovery code of ``user``; returns the outcome."""
    typed = twofactor.code_normalise(code)
    two_factor = TwoFactor.objects.select_for_update().filter(user=user).first()
    if two_factor is None:  # turned off by an administrator since the password was typed
        return SignInOutcome.BAD_CODE
    if twofactor.looks_like_totp(typed):
        step = twofactor.totp_matching_step(
            secret=two_factor.secret,
            code=typed,
            at=timezone.now().timestamp(),
            after_step=two_factor.last_step,
        )
        if step is None:
            return SignInOutcome.BAD_CODE
        two_factor.last_step = step
        two_factor.save(update_fields=["last_step"])
        return SignInOutcome.SIGNED_IN
    recovery = (
        RecoveryCode.objects.select_for_update()
        .filter(user=user, code_hash=twofactor.recovery_code_hash(typed), used_at__isnull=True)
        .first()
    )
    if recovery is None:
        return SignInOutcome.BAD_RECOVERY_CODE
    recovery.used_at = timezone.now()
    recovery.save(update_fields=["used_at"])
    return SignInOutcome.SIGNED_IN


def sign_in_code(*, user: User, code: str, address: str) -> None:
    """Checks the second step: a code from the app (once each) or an unused recovery code."""
    _refuse_if_locked(username=user.username, user=user, address=address)
    outcome = _second_factor_use(user=user, code=code)
    if outcome == SignInOutcome.SIGNED_IN:
        return
    _failure_record(username=user.username, user=user, address=address, outcome=outcome)
    if outcome == SignInOutcome.BAD_CODE:
        raise SignInRefused(
            gettext("The code is wrong or was used already. Type the code your app shows now.")
        )
    raise SignInRefused(gettext("This recovery code is wrong or was used already."))


def sign_in_succeeded(*, user: User, address: str) -> SignInAttempt:
    """Records a complete sign-in: it also starts the account's failure count again.

    Attempts older than SIGN_IN_HISTORY_DAYS are deleted now and then (here: sign-ins are
    rare enough, and no scheduler is needed).
    """
    SignInAttempt.objects.filter(at__lt=timezone.now() - conf.history_kept()).delete()
    return sign_in_attempt_record(
        username=user.username, user=user, address=address, outcome=SignInOutcome.SIGNED_IN
    )


# --- two-factor set-up -----------------------------------------------------------------------


def password_confirm(*, user: User, password: str, address: str) -> None:
    """The password typed again: a wrong one counts towards the lock-out like a sign-in's,
    so a session left open cannot be used to guess it. Call outside a transaction, so the
    failure is kept."""
    try:
        _refuse_if_locked(username=user.username, user=user, address=address)
    except SignInRefused as refusal:
        raise ValidationError(refusal.message, code="locked") from None
    if not user.check_password(password):
        _failure_record(
            username=user.username, user=user, address=address, outcome=SignInOutcome.BAD_PASSWORD
        )
        raise ValidationError(
            {"password": gettext("The password is wrong.")}, code="password_incorrect"
        )


def _recovery_codes_replace(*, user: User) -> list[str]:
    codes = twofactor.recovery_codes_new()
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=twofactor.recovery_code_hash(code)) for code in codes
    )
    return codes


@transaction.atomic
def two_factor_enable(*, user: User, secret: str, code: str) -> list[str]:
    """Turns two-factor sign-in on once ``code`` proves the app holds ``secret``.

    Returns ten new recovery codes: only their hashes are kept, so they are shown once.
    """
    if TwoFactor.objects.select_for_update().filter(user=user).exists():
        raise ValidationError(gettext("Two-factor sign-in is already on."), code="already_on")
    step = twofactor.totp_matching_step(
        secret=secret,
        code=twofactor.code_normalise(code),
        at=timezone.now().timestamp(),
        after_step=0,
    )
    if step is None:
        raise ValidationError(
            {"code": gettext("The code is wrong. Type the 6 digits your app shows now.")},
            code="code_incorrect",
        )
    two_factor = TwoFactor(user=user, secret=secret, confirmed_at=timezone.now(), last_step=step)
    two_factor.full_clean()
    two_factor.save()
    return _recovery_codes_replace(user=user)


def two_factor_disable(*, user: User, password: str, address: str) -> None:
    """Turns two-factor sign-in off, after the password is typed again; the codes go too."""
    password_confirm(user=user, password=password, address=address)
    two_factor_reset(user=user)


@transaction.atomic
def two_factor_reset(*, user: User) -> None:
    """Turns two-factor sign-in off with its recovery codes (an administrator, for a lost
    phone). Where it is required, the user sets it up again at the next sign-in."""
    TwoFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


def recovery_codes_regenerate(*, user: User, password: str, address: str) -> list[str]:
    """Ten new recovery codes instead of the old ones, after the password is typed again."""
    password_confirm(user=user, password=password, address=address)
    with transaction.atomic():
        if not TwoFactor.objects.select_for_update().filter(user=user).exists():
            raise ValidationError(gettext("Two-factor sign-in is off."), code="off")
        return _recovery_codes_replace(user=user)

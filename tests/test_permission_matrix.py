"""Every URL of the project has a permission rule for every role, and keeps to it.

The test walks the whole URL resolver (language-prefixed pages, the admin and /api/v1/) and,
for each pattern, asks it as each role: anonymous, consultant, adviser, coordinator and
administrator (a member of that group, not a superuser). A role the rule lets in must not be
refused; a role it leaves out must be refused (403, 401, or sent to sign in).

A URL pattern without a rule fails ``test_every_url_pattern_has_a_rule``.

How to add a rule: find the URL name of your view (``namespace:name``) and add it to RULES
with the roles that may open it, e.g. ``"news:archive": PUBLIC`` or
``"reports:": COORDINATION``. A key ending in ":" or "_" is a prefix and covers every name
that starts with it; the longest key that matches wins, so a single name can still differ
from its namespace. Unnamed patterns are named ``<namespace>:<unnamed>``. The admin's model
pages are ``admin:<app>_<model>_<action>``: give a model's prefix (``admin:news_``) the roles
whose group has permissions on it (``accounts.services.role_groups_ensure``).

"Refused" is decided from the answer, never from the code: a view that forgets its check
fails here. Each URL is asked with sample values (ids that do not exist, slugs of nothing):
an allowed role may get 404 or 400, a refused one must be stopped before the look-up.
GET first; a view that answers 405 is asked by POST with an empty body.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.http import HttpResponseBase
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from infopoint.accounts.models import Role, User
from infopoint.accounts.services import user_roles_set

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, Role.CONSULTANT, Role.ADVISER, Role.COORDINATOR, Role.ADMINISTRATOR)

PUBLIC = frozenset(ROLES)
SIGNED_IN = PUBLIC - {ANONYMOUS}
DESK = frozenset({Role.CONSULTANT, Role.COORDINATOR, Role.ADMINISTRATOR})
AGENDA = frozenset({Role.ADVISER, Role.COORDINATOR, Role.ADMINISTRATOR})
BOOKING_STAFF = DESK | {Role.ADVISER}
COORDINATION = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
# Admin pages of the apps the coordinator's group edits (COORDINATOR_APPS).
CONTENT_EDITORS = frozenset({Role.COORDINATOR})
# Admin pages of advisers' own profile and availability (ADVISER_MODELS).
ADVISER_EDITORS = frozenset({Role.ADVISER, Role.COORDINATOR})
# Superusers only: no role's group has permissions there.
NOBODY: frozenset[str] = frozenset()

RULES: dict[str, frozenset[str]] = {
    # The public site.
    "pages:": PUBLIC,
    "healthz": PUBLIC,
    "favicon": PUBLIC,
    "knowledge:": PUBLIC,
    "news:": PUBLIC,
    "enquiries:new": PUBLIC,
    "enquiries:suggestions": PUBLIC,
    "enquiries:suggestion": PUBLIC,
    "enquiries:track": PUBLIC,
    "appointments:": PUBLIC,
    # Staff sign-in and their own account.
    "accounts:": SIGNED_IN,
    "accounts:sign_in": PUBLIC,  # and sign_in_code
    "accounts:sign_out": PUBLIC,
    # The enquiry desk.
    "enquiries:staff:": DESK,
    "enquiries:staff:deflection": COORDINATION,
    # Advisers' agendas; booking for a caller.
    "appointments:agenda": AGENDA,
    "appointments:staff_booking": AGENDA,
    "appointments:staff_book": BOOKING_STAFF,
    # Reports, the audit log and data-subject requests.
    "reports:": COORDINATION,
    "privacy:": COORDINATION,
    # The admin: every page needs a staff account; model pages need the group's permission.
    "admin:": SIGNED_IN,
    "admin:login": PUBLIC,
    "admin:logout": PUBLIC,
    # Answers only when asked about a registered autocomplete field; bare, it refuses everyone.
    "admin:autocomplete": NOBODY,
    "admin:<unnamed>": SIGNED_IN,  # old-style object redirects and the catch-all 404
    "admin:auth_": NOBODY,
    "admin:accounts_": NOBODY,
    # Coordinators add and edit staff (COORDINATOR_STAFF_PERMISSIONS), never delete them.
    "admin:accounts_user_": CONTENT_EDITORS,
    "admin:accounts_user_delete": NOBODY,
    "admin:auth_user_password_change": CONTENT_EDITORS,
    "admin:hours_": CONTENT_EDITORS,
    "admin:topics_": CONTENT_EDITORS,
    "admin:directory_": CONTENT_EDITORS,
    "admin:pages_": CONTENT_EDITORS,
    "admin:knowledge_": CONTENT_EDITORS,
    # Made by the site, never typed in the admin.
    "admin:knowledge_articlerevision_add": NOBODY,
    "admin:knowledge_articlefeedback_add": NOBODY,
    "admin:knowledge_triagemodel_add": NOBODY,
    "admin:appointments_": CONTENT_EDITORS,
    "admin:appointments_booking_add": NOBODY,
    "admin:appointments_adviser_": ADVISER_EDITORS,
    "admin:appointments_adviser_delete": CONTENT_EDITORS,
    "admin:news_": CONTENT_EDITORS,
    "admin:mail_": NOBODY,
    "admin:enquiries_": NOBODY,
    "admin:privacy_": NOBODY,
    "admin:authtoken_": NOBODY,
    # The API: public endpoints, then staff ones with the same rules as the pages.
    "api:": PUBLIC,
    "api:staff-enquiry": DESK,  # and staff-enquiry-list, -reply, -assign, -status
    "api:staff-appointment": AGENDA,
    "api:report": COORDINATION,
}

# Values put into URL parameters: all name nothing that exists.
SAMPLES = {
    "pk": "999999",
    "id": "999999",
    "attachment_pk": "999999",
    "object_id": "999999",
    "content_type_id": "999999",
    "slug": "no-such-thing",
    "token": "no-such-token",
    "reference": "IP-2000-999999",
    "app_label": "topics",
    "year": "2000",
    "month": "1",
    "name": "none.jpg",
    "url": "no-such-page/",
    "path": "no/such/path",
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    route: str

    @property
    def path(self) -> str:
        """The route with sample values put in, as an address."""

        def value(match: re.Match[str]) -> str:
            return SAMPLES[match.group("name")]

        path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, self.route)
        path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, path)
        return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def _walk(patterns: list[object], route: str = "", namespace: str = "") -> Iterator[Endpoint]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or "<unnamed>"
            yield Endpoint(name=f"{namespace}{name}", route=route + str(pattern.pattern))


def endpoints() -> list[Endpoint]:
    with translation.override("en"):
        found = list(_walk(get_resolver().url_patterns))
    # Format-suffix and other duplicates of one name ask the same view.
    unique = {(endpoint.name, endpoint.path): endpoint for endpoint in found}
    return list(unique.values())


def rule_for(name: str) -> frozenset[str] | None:
    matches = [
        key
        for key in RULES
        if key == name
        or (key.endswith((":", "_")) and name.startswith(key))
        # A full name also covers names that only add a suffix to it (detail-list).
        or (not key.endswith((":", "_")) and name.startswith(key) and name[len(key)] in "_-")
    ]
    return RULES[max(matches, key=len)] if matches else None


def test_every_url_pattern_has_a_rule() -> None:
    missing = sorted({endpoint.name for endpoint in endpoints() if rule_for(endpoint.name) is None})
    assert not missing, (
        "add a permission rule to RULES in tests/test_permission_matrix.py for: "
        + ", ".join(missing)
    )


def test_the_sample_addresses_resolve_to_their_own_pattern() -> None:
    """Guards the walker: a sample that reached another view would test the wrong thing."""
    resolver = get_resolver()
    wrong = []
    for endpoint in endpoints():
        with translation.override("en"):  # the language the addresses were made in
            match = resolver.resolve(endpoint.path)
        resolved = ":".join([*match.namespaces, match.url_name or "<unnamed>"])
        if resolved != endpoint.name:
            wrong.append(f"{endpoint.path} → {resolved}, not {endpoint.name}")
    assert not wrong, "\n".join(wrong)


# --- asking every endpoint as every role -----------------------------------------------------

# The admin answers a page of an object that does not exist with a redirect to its index,
# before it checks permissions: for those pages the matrix asks the ModelAdmin instead.
ADMIN_OBJECT_CHECKS = {
    "change": "has_view_or_change_permission",
    "history": "has_view_or_change_permission",
    "delete": "has_delete_permission",
}


@dataclass
class Caller:
    role: str
    client: Client
    user: User | None


@pytest.fixture
def callers(db: None) -> list[Caller]:
    from rest_framework.authtoken.models import Token

    made = [Caller(ANONYMOUS, Client(), None)]
    for role in ROLES[1:]:
        user = User.objects.create_user(username=f"matrix-{role}", password="unused-pass-123")
        user_roles_set(user=user, roles=[role])
        token = Token.objects.create(user=user)
        made.append(Caller(role, Client(HTTP_AUTHORIZATION=f"Token {token.key}"), user))
    return made


def refused(response: HttpResponseBase) -> bool:
    if response.status_code in (401, 403):
        return True
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    return bool(re.search(r"/(account/sign-in|admin/login)/\?next=", location))


def _ask_admin(endpoint: Endpoint, user: User) -> bool | None:
    """Whether the ModelAdmin lets ``user`` open an object page; None: not such a page."""
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        action = endpoint.name.removeprefix(prefix)
        if endpoint.name.startswith(prefix) and action in ADMIN_OBJECT_CHECKS:
            request = RequestFactory().get(endpoint.path)
            request.user = user
            return bool(getattr(model_admin, ADMIN_OBJECT_CHECKS[action])(request))
    return None


def let_in(caller: Caller, endpoint: Endpoint) -> tuple[bool, str]:
    """Whether ``caller`` gets past the endpoint's permission check, and what it answered."""
    if caller.user is not None:
        if "_auth_user_id" not in caller.client.session:  # signed out by sign-out pages
            caller.client.force_login(caller.user)
        verdict = _ask_admin(endpoint, caller.user)
        if verdict is not None:
            return verdict, "ModelAdmin"
    response = caller.client.get(endpoint.path)
    if response.status_code == 405:
        if endpoint.path.startswith("/api/"):
            response = caller.client.post(endpoint.path, "{}", content_type="application/json")
        else:
            response = caller.client.post(endpoint.path, {})
    assert response.status_code < 500, f"{endpoint.path} as {caller.role}: {response.status_code}"
    return not refused(response), str(response.status_code)


def test_each_role_is_let_in_or_refused_as_its_rule_says(callers: list[Caller]) -> None:
    wrong = []
    for endpoint in endpoints():
        allowed = rule_for(endpoint.name)
        if allowed is None:
            continue  # test_every_url_pattern_has_a_rule names it
        for caller in callers:
            entered, answer = let_in(caller, endpoint)
            if entered != (caller.role in allowed):
                expected = "let in" if caller.role in allowed else "refused"
                wrong.append(
                    f"{endpoint.name} {endpoint.path}: "
                    f"{caller.role} should be {expected}, got {answer}"
                )
    assert not wrong, "\n".join(wrong)

"""Advisers manage their own weekly hours and exceptions in the admin, and only their own."""

from datetime import date

import pytest
from django.urls import reverse

from infopoint.appointments.models import Adviser, AvailabilityException

pytestmark = pytest.mark.django_db


def _form_data(response) -> dict[str, object]:
    """What the browser would send back for the page's admin form and its inlines, unchanged."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name, field in management.fields.items():
            data[management.add_prefix(name)] = management.initial.get(name, field.initial)
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            if hasattr(value, "pk"):
                value = value.pk
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            if isinstance(value, list | tuple):
                value = [getattr(item, "pk", item) for item in value]
            data[form.add_prefix(name)] = value
    return data


def test_an_adviser_opens_the_admin_and_adds_an_exception_to_their_own_hours(
    client, adviser, make_adviser
) -> None:
    other = make_adviser("ewa", first_name="Ewa", last_name="Lis")
    client.force_login(adviser.user)
    agenda = client.get(reverse("appointments:agenda")).content.decode()
    assert reverse("admin:appointments_adviser_changelist") in agenda  # how they find it
    assert client.get(reverse("admin:index")).status_code == 200
    listing = client.get(reverse("admin:appointments_adviser_changelist")).content.decode()
    assert "Adam Nowak" in listing and "Ewa Lis" not in listing
    other_page = client.get(reverse("admin:appointments_adviser_change", args=[other.pk]))
    assert other_page.status_code == 302  # the admin says the record does not exist
    # One profile each: an adviser cannot make another one (for themselves or anyone).
    assert client.get(reverse("admin:appointments_adviser_add")).status_code == 403

    change = reverse("admin:appointments_adviser_change", args=[adviser.pk])
    page = client.get(change)
    assert page.status_code == 200
    data = _form_data(page)
    data.update(
        {
            "exceptions-0-date": "2026-12-08",
            "exceptions-0-kind": "closed",
            "exceptions-0-starts_at": "",
            "exceptions-0-ends_at": "",
            "user": str(other.user.pk),  # read-only for an adviser: ignored
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AvailabilityException.objects.filter(adviser=adviser, date=date(2026, 12, 8)).exists()
    adviser.refresh_from_db()
    assert adviser.user.username == "adam"
    assert not AvailabilityException.objects.filter(adviser=other).exists()


def test_an_adviser_without_a_profile_makes_only_their_own(client, make_adviser) -> None:
    other = make_adviser("ewa", first_name="Ewa", last_name="Lis")
    newcomer = make_adviser("olena", first_name="Olena", last_name="Koval")
    newcomer_user = newcomer.user
    newcomer.delete()
    client.force_login(newcomer_user)
    add = reverse("admin:appointments_adviser_add")
    page = client.get(add)
    assert page.status_code == 200
    data = _form_data(page)
    data.update({"user": str(other.user.pk), "location": "ul. Jana Dekerta 24"})
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Adviser.objects.get(user=newcomer_user)
    assert Adviser.objects.filter(user=other.user).count() == 1

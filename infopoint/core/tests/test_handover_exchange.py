"""The hand-over export and import: a populated instance, exported, imported into an empty one."""

import io
import json
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from infopoint.accounts.models import Role, User
from infopoint.core.handover.common import HandoverError
from infopoint.core.handover.exchange import (
    FIELDS_LEFT_OUT,
    LEFT_OUT,
    exported_models,
    service_export,
    service_import,
)
from infopoint.enquiries.models import Attachment
from infopoint.enquiries.services import enquiry_add_note, enquiry_reply
from infopoint.enquiries.tests.factories import enquiry_make, pdf_file
from infopoint.privacy.audit import audit_record
from infopoint.privacy.models import AuditAction
from infopoint.reports import selectors as reports
from infopoint.reports.tests.factories import BookingFactory, ReferralFactory, staff_user

pytestmark = pytest.mark.django_db

# The new instance's storage: empty, so the files must come from the archive.
NEW_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _in_english():  # type: ignore[no-untyped-def]
    """Services answer in the active language; earlier tests may leave another one active."""
    with translation.override("en"):
        yield


def _said(message: str, **values: object) -> str:
    """``message`` as the command says it in the active language, as a pattern."""
    return re.escape(gettext(message) % values if values else gettext(message))


def _populate(*, content: bool = True) -> None:
    if content:
        call_command("load_default_content", verbosity=0)
    consultant = staff_user(Role.CONSULTANT, username="olena")
    coordinator = staff_user(Role.COORDINATOR, username="marek")
    enquiry = enquiry_make(attachments=[pdf_file("passport.pdf")])
    enquiry_add_note(enquiry=enquiry, author=consultant, text="Called back, left a message.")
    enquiry_reply(enquiry=enquiry, author=consultant, text="Dzień dobry, proszę przyjść.")
    enquiry_make(text="Где получить PESEL?", language="ru", email="ivan@example.net")
    ReferralFactory(enquiry=enquiry)
    BookingFactory()
    audit_record(actor=coordinator, action=AuditAction.VIEWED, target=enquiry)


def _slugs(label: str, limit: int) -> list[str]:
    return list(apps.get_model(label).objects.order_by("pk").values_list("slug", flat=True)[:limit])


def _public_urls() -> list[str]:
    urls = ["/", "/topics/", "/directory/", "/contact/", "/news/", "/articles/"]
    urls += [f"/topics/{slug}/" for slug in _slugs("topics.Topic", 3)]
    urls += [f"/directory/{slug}/" for slug in _slugs("directory.Institution", 3)]
    urls += [f"/info/{slug}/" for slug in _slugs("pages.Page", 3)]
    urls += [f"/articles/{slug}/" for slug in _slugs("knowledge.Article", 3)]
    urls += [f"/news/{slug}/" for slug in _slugs("news.NewsItem", 2)]
    return urls


def _pages() -> dict[str, str]:
    """Every public page in every language, without the per-visitor CSRF token."""
    pages = {}
    client = Client()
    for language in ("pl", "uk", "ru", "en"):
        for url in _public_urls():
            response = client.get(f"/{language}{url}")
            html = CSRF.sub("", response.content.decode())
            pages[f"{language} {url}"] = f"{response.status_code} {html}"
    return pages


def _reports() -> dict[str, object]:
    today = timezone.localdate()
    period = reports.Period(start=today - timedelta(days=31), end=today)
    with translation.override("en"):
        return {
            "counts": reports.enquiry_counts(period=period),
            "status": reports.enquiries_by_status(period=period),
            "channel": reports.enquiries_by_channel(period=period),
            "language": reports.enquiries_by_language(period=period),
            "topic": reports.enquiries_by_topic(period=period),
            "referrals": reports.referrals_by_institution(period=period),
            "advisers": reports.appointments_by_adviser(period=period),
            "response": reports.response_times(period=period, now=timezone.now()),
        }


def _counts() -> dict[str, int]:
    """Rows per exported model and per many-to-many table of those models."""
    counts = {}
    for model in exported_models():
        counts[model._meta.label_lower] = model._base_manager.count()
        for field in model._meta.many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            counts[through._meta.label_lower] = through._base_manager.count()
    return counts


def _empty_instance() -> None:
    """What a new operator has after ``migrate``: the tables, and only what migrate makes."""
    if connection.vendor == "postgresql":
        # Inside the test's transaction: check pending foreign keys now, so TRUNCATE may run.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.slow  # the default content and every public page twice, in four languages
def test_export_then_import_into_an_empty_instance_gives_the_same_pages_and_reports(
    tmp_path: Path,
) -> None:
    _populate()
    pages, figures, counts = _pages(), _reports(), _counts()
    assert [url for url, page in pages.items() if not page.startswith("200 ")] == []
    assert len(pages) >= 4 * 15
    attachment = Attachment.objects.get()
    attachment_bytes = attachment.file.read()
    assert counts["enquiries.enquiry"] == 2
    assert counts["privacy.auditevent"] >= 1

    summary = service_export(into=tmp_path)

    with zipfile.ZipFile(summary.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        user_lines = archive.read("data/accounts.user.jsonl").decode().splitlines()
    assert manifest["format"] == "infopoint-handover"
    exported = {entry["model"]: entry["count"] for entry in manifest["models"]}
    assert exported == {label: n for label, n in counts.items() if label in exported}
    assert [entry["path"] for entry in manifest["files"]] == [attachment.file.name]
    assert set(manifest["left_out"]) == set(LEFT_OUT)
    assert "accounts.twofactor" not in {entry["model"] for entry in manifest["models"]}
    assert all('"password"' not in line for line in user_lines)
    assert '"groups": [["consultant"]]' in user_lines[0]

    _empty_instance()
    fresh_storage = {"default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    with override_settings(
        STORAGES={
            **fresh_storage,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        assert not default_storage.exists(attachment.file.name)
        call_command("import_service", str(summary.path), stdout=io.StringIO())

        assert _counts() == counts
        assert _pages() == pages
        assert _reports() == figures
        assert Attachment.objects.get().file.read() == attachment_bytes
    olena = User.objects.get(username="olena")
    assert not olena.has_usable_password()
    assert olena.groups.get().name == Role.CONSULTANT
    assert FIELDS_LEFT_OUT["accounts.user"].keys() == {"password"}


def test_import_refuses_an_instance_that_holds_records(tmp_path: Path) -> None:
    staff_user(Role.CONSULTANT, username="olena")
    summary = service_export(into=tmp_path)

    with pytest.raises(HandoverError, match="not empty"):
        service_import(path=summary.path)
    assert User.objects.count() == 1


def test_import_refuses_a_damaged_archive_and_changes_nothing(tmp_path: Path) -> None:
    _populate(content=False)
    summary = service_export(into=tmp_path)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(summary.path) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "data/enquiries.enquiry.jsonl":
                data = data.replace(b"Olena", b"Oleno")
            target.writestr(item, data)
    _empty_instance()
    before = _counts()

    damaged_message = "%(name)s is damaged: its checksum does not match the manifest."
    expected = _said(damaged_message, name="data/enquiries.enquiry.jsonl")
    with pytest.raises(CommandError, match=expected):
        call_command("import_service", str(damaged))
    assert _counts() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip at all", "not a zip archive"),
        (None, "no manifest.json"),
        (json.dumps({"format": "something-else"}).encode(), "not an Infopoint hand-over"),
        (json.dumps({"format": "infopoint-handover", "version": 99}).encode(), "format version 99"),
        (
            json.dumps(
                {
                    "format": "infopoint-handover",
                    "version": 1,
                    "migrations": ["enquiries.9999_future"],
                }
            ).encode(),
            "newer version",
        ),
        (
            json.dumps(
                {
                    "format": "infopoint-handover",
                    "version": 1,
                    "models": [{"model": "nosuch.model", "file": "x", "sha256": ""}],
                }
            ).encode(),
            "which this version lacks",
        ),
    ],
)
def test_import_refuses_what_is_not_a_whole_export(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "export.zip"
    if content == b"not a zip at all":
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(
                "manifest.json" if content is not None else "other.txt", content or b""
            )

    with pytest.raises(HandoverError, match=message):
        service_import(path=path)


def test_import_of_a_missing_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.zip"
    with pytest.raises(CommandError, match=_said("There is no file %(path)s.", path=path)):
        call_command("import_service", str(path))


def test_export_command_names_the_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export_service", "--into", str(tmp_path))

    written = capsys.readouterr().out.strip().splitlines()[-1]
    assert Path(written).parent == tmp_path
    assert zipfile.is_zipfile(written)


def test_export_names_a_file_storage_lost_and_exports_the_rest(tmp_path: Path) -> None:
    _populate(content=False)
    attachment = Attachment.objects.get()
    default_storage.delete(attachment.file.name)

    summary = service_export(into=tmp_path)

    assert summary.files_missing == [attachment.file.name]
    assert summary.counts["enquiries.attachment"] == 1
    with zipfile.ZipFile(summary.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["files"] == []
    assert manifest["files_missing"] == [attachment.file.name]

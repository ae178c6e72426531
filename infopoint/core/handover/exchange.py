"""The hand-over export and import: the whole service in an open format, for a new operator.

An export is a zip archive:

- ``manifest.json``: format name and version, time, applied migrations, and per model its
  file, row count and SHA-256; per uploaded file its path, size and SHA-256; what was left
  out and why;
- ``data/<app>.<model>.jsonl``: one JSON object per line, as Django's ``jsonl`` serializer
  writes it (``model``, ``pk``, ``fields``), references to content types, permissions and
  users by natural key;
- ``files/<name>``: every file a row refers to, under its stored name.

The export is generic over the installed apps' models, so models added later travel too;
only those in ``LEFT_OUT`` (and the fields in ``FIELDS_LEFT_OUT``) stay behind.
"""

import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import serializers
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.translation import gettext

from .common import HandoverError, migrations_applied, migrations_unknown, sha256_file

FORMAT = "infopoint-handover"
VERSION = 1
MANIFEST = "manifest.json"

# Models that stay behind, and why. Everything else installed is exported.
LEFT_OUT: dict[str, str] = {
    "contenttypes.contenttype": "Made by migrate; rows refer to them by natural key.",
    "auth.permission": "Made by migrate; rows refer to them by natural key.",
    "sessions.session": "Sign-in sessions: staff sign in again on the new instance.",
    "accounts.twofactor": "Authenticator secrets: staff turn two-factor on again.",
    "accounts.recoverycode": "Two-factor recovery codes go with the secrets they belong to.",
    "authtoken.token": "API tokens are secrets: issue new ones with manage.py api_token.",
    "knowledge.searchentry": "Search index: rebuilt by knowledge_reindex after import.",
    "knowledge.searchterm": "Search index: rebuilt by knowledge_reindex after import.",
}
# Fields that stay behind; the import leaves them empty (passwords unusable).
FIELDS_LEFT_OUT: dict[str, dict[str, str]] = {
    "accounts.user": {"password": "Password hashes: staff set a new password on the new instance."},  # nosec B105  # a note
}
# Rows every migrated instance has (role groups, consent texts made after migrate): they
# do not make an instance non-empty, and the exported rows replace them.
REPLACED_ON_IMPORT = ("auth.group", "privacy.consenttexttranslation", "privacy.consenttext")


@dataclass(frozen=True)
class ExchangeSummary:
    path: Path
    counts: dict[str, int]
    files: int
    files_missing: list[str]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def exported_models() -> list[type[models.Model]]:
    """The models an export holds, each after the models it refers to."""
    chosen = {
        _label(model): model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.auto_created
        and _label(model) not in LEFT_OUT
    }

    def graph(skip_nullable: bool) -> dict[str, set[str]]:
        edges: dict[str, set[str]] = {label: set() for label in chosen}
        for label, model in chosen.items():
            for field in model._meta.get_fields():
                if not (field.many_to_one or field.one_to_one or field.many_to_many):
                    continue
                if not field.concrete or field.related_model is None:
                    continue
                if skip_nullable and getattr(field, "null", False):
                    continue
                target = _label(field.related_model)  # type: ignore[arg-type]
                if target in chosen and target != label:
                    edges[label].add(target)
        return edges

    try:
        order = list(TopologicalSorter(graph(False)).static_order())
    except CycleError:
        # Rows are loaded with constraints deferred, so a nullable link may point forward.
        order = list(TopologicalSorter(graph(True)).static_order())
    return [chosen[label] for label in order]


def _field_names(model: type[models.Model]) -> list[str]:
    left_out = FIELDS_LEFT_OUT.get(_label(model), {})
    fields = [*model._meta.fields, *model._meta.many_to_many]
    return [field.name for field in fields if not field.primary_key and field.name not in left_out]


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def _counted(rows: Iterator[models.Model], tally: list[int]) -> Iterator[models.Model]:
    for row in rows:
        tally[0] += 1
        yield row


def service_export(*, into: Path, now: datetime | None = None) -> ExchangeSummary:
    """Writes the whole service to a new zip archive under ``into``, from one snapshot."""
    moment = now or datetime.now(tz=UTC)
    into.mkdir(parents=True, exist_ok=True)
    final = into / f"infopoint-export-{moment:%Y%m%dT%H%M%SZ}.zip"
    if final.exists():
        raise HandoverError(gettext("%(path)s exists already.") % {"path": final})
    partial = final.with_suffix(".zip.partial")
    serializer = serializers.get_serializer("jsonl")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": moment.isoformat(),
        "migrations": [],
        "models": [],
        "files": [],
        "files_missing": [],
        "left_out": LEFT_OUT,
        "fields_left_out": FIELDS_LEFT_OUT,
    }
    # Only a transaction of its own can be made a snapshot (not one a caller opened).
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with (
            transaction.atomic(),
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
            tempfile.TemporaryDirectory() as scratch,
        ):
            if snapshot:
                # Every model read from the same moment, while the site keeps working.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            manifest["migrations"] = migrations_applied()
            files: dict[str, models.FileField] = {}
            for model in exported_models():
                label = _label(model)
                member = f"data/{label}.jsonl"
                scratch_file = Path(scratch) / member.replace("/", "_")
                tally = [0]
                rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
                with scratch_file.open("w", encoding="utf-8") as stream:
                    serializer().serialize(
                        _counted(rows, tally),
                        stream=stream,
                        fields=_field_names(model),
                        use_natural_foreign_keys=True,
                    )
                archive.write(scratch_file, member)
                manifest["models"].append(
                    {
                        "model": label,
                        "file": member,
                        "count": tally[0],
                        "sha256": sha256_file(scratch_file),
                    }
                )
                scratch_file.unlink()
                for field in _file_fields(model):
                    names = (
                        model._base_manager.exclude(**{field.name: ""})
                        .exclude(**{f"{field.name}__isnull": True})
                        .values_list(field.name, flat=True)
                    )
                    for name in names.iterator():
                        files.setdefault(name, field)
            for name, field in sorted(files.items()):
                entry = _file_export(archive, name, field)
                if entry is None:
                    # A record names a file storage lost: export the rest, and say so.
                    manifest["files_missing"].append(name)
                else:
                    manifest["files"].append(entry)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        partial.rename(final)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    counts = {entry["model"]: entry["count"] for entry in manifest["models"]}
    return ExchangeSummary(
        path=final,
        counts=counts,
        files=len(manifest["files"]),
        files_missing=manifest["files_missing"],
    )


def _file_export(
    archive: zipfile.ZipFile, name: str, field: models.FileField
) -> dict[str, Any] | None:
    """Copies one stored file into the archive; None when storage no longer has it."""
    digest = hashlib.sha256()
    size = 0
    try:
        source = field.storage.open(name, "rb")
    except FileNotFoundError:
        return None
    with source, archive.open(f"files/{name}", "w", force_zip64=True) as target:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
            target.write(block)
    return {"path": name, "bytes": size, "sha256": digest.hexdigest()}


def _archive_open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise HandoverError(gettext("There is no file %(path)s.") % {"path": path}) from None
    except (zipfile.BadZipFile, OSError):
        raise HandoverError(
            gettext("%(path)s is not a zip archive or it is damaged.") % {"path": path}
        ) from None


def _member_sha256(archive: zipfile.ZipFile, name: str) -> str:
    digest = hashlib.sha256()
    try:
        with archive.open(name) as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except KeyError:
        raise HandoverError(gettext("The archive lacks %(name)s.") % {"name": name}) from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise HandoverError(gettext("%(name)s is damaged.") % {"name": name}) from None
    return digest.hexdigest()


def export_verify(*, archive: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest of a hand-over export once every check passed; else HandoverError."""
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError:
        raise HandoverError(gettext("The archive has no manifest.json.")) from None
    except (ValueError, zipfile.BadZipFile, OSError):
        raise HandoverError(gettext("The manifest of the archive is damaged.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise HandoverError(gettext("The archive is not an Infopoint hand-over export."))
    if manifest.get("version") != VERSION:
        raise HandoverError(
            gettext("The export has format version %(found)s; this version reads %(known)s.")
            % {"found": manifest.get("version"), "known": VERSION}
        )
    unknown = migrations_unknown(list(manifest.get("migrations") or []))
    if unknown:
        raise HandoverError(
            gettext(
                "The export comes from a newer version of Infopoint (migrations %(names)s); "
                "upgrade this one first."
            )
            % {"names": ", ".join(unknown[:5])}
        )
    for entry in manifest.get("models", []):
        try:
            apps.get_model(entry["model"])
        except (LookupError, ValueError):
            raise HandoverError(
                gettext("The export holds records of %(model)s, which this version lacks.")
                % {"model": entry["model"]}
            ) from None
        if _member_sha256(archive, entry["file"]) != entry["sha256"]:
            raise HandoverError(
                gettext("%(name)s is damaged: its checksum does not match the manifest.")
                % {"name": entry["file"]}
            )
    for entry in manifest.get("files", []):
        if _member_sha256(archive, f"files/{entry['path']}") != entry["sha256"]:
            raise HandoverError(
                gettext("%(name)s is damaged: its checksum does not match the manifest.")
                % {"name": entry["path"]}
            )
    return manifest


def instance_records() -> dict[str, int]:
    """Rows this instance holds in the models an import would fill (non-zero only)."""
    counts = {}
    for model in exported_models():
        if _label(model) in REPLACED_ON_IMPORT:
            continue
        count = model._base_manager.count()
        if count:
            counts[_label(model)] = count
    return counts


def _ordered(manifest: dict[str, Any]) -> list[tuple[type[models.Model], str]]:
    files = {entry["model"]: entry["file"] for entry in manifest["models"]}
    order = [_label(model) for model in exported_models()]
    # Models this instance leaves out no longer (a newer export) come in manifest order.
    labels = [label for label in order if label in files]
    labels += [label for label in files if label not in order]
    return [(apps.get_model(label), files[label]) for label in labels]


def service_import(*, path: Path) -> dict[str, int]:
    """Loads a hand-over export into this empty instance; returns the rows per model.

    Refuses a damaged, unknown or newer archive and an instance that holds records
    already. Rows keep their primary keys (so links and references stay valid), are saved
    raw (no service logic, no signals' side effects) in one transaction, and the files are
    written to storage; a failure removes what was written.
    """
    with _archive_open(path) as archive:
        manifest = export_verify(archive=archive)
        present = instance_records()
        if present:
            raise HandoverError(
                gettext(
                    "This instance is not empty (%(records)s): import only into a new, "
                    "migrated instance."
                )
                % {"records": ", ".join(f"{label}: {n}" for label, n in sorted(present.items()))}
            )
        written: list[tuple[models.FileField, str]] = []
        try:
            with transaction.atomic():
                counts = _rows_load(archive, manifest)
                for entry in manifest.get("files", []):
                    written.append(_file_import(archive, entry["path"]))
        except BaseException:
            for field, name in written:
                field.storage.delete(name)
            raise
    cache.clear()
    return counts


def _rows_load(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> dict[str, int]:
    for label in REPLACED_ON_IMPORT:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model._base_manager.all().delete()
    counts: dict[str, int] = {}
    loaded: list[type[models.Model]] = []
    with connection.constraint_checks_disabled():
        for model, member in _ordered(manifest):
            counts[_label(model)] = _model_load(archive, model, member)
            loaded.append(model)
    connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return counts


def _model_load(archive: zipfile.ZipFile, model: type[models.Model], member: str) -> int:
    count = 0
    through_rows: dict[type[models.Model], list[models.Model]] = {}
    with archive.open(member) as raw:
        stream = io.TextIOWrapper(raw, encoding="utf-8")
        try:
            for item in serializers.deserialize("jsonl", stream, handle_forward_references=False):
                row = item.object
                if type(row) is not model:
                    raise HandoverError(
                        gettext("%(name)s holds a record of another model.") % {"name": member}
                    )
                if isinstance(row, AbstractBaseUser):
                    row.set_unusable_password()
                # Raw save, many-to-many rows apart: no m2m_changed side effects (audit).
                m2m_data = item.m2m_data or {}
                item.save(save_m2m=False)
                for name, targets in m2m_data.items():
                    field = model._meta.get_field(name)
                    through = field.remote_field.through  # type: ignore[union-attr]
                    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()  # type: ignore[union-attr]
                    through_rows.setdefault(through, []).extend(
                        through(**{f"{source}_id": row.pk, f"{target}_id": pk}) for pk in targets
                    )
                count += 1
        except serializers.base.DeserializationError as error:
            raise HandoverError(
                gettext("%(name)s cannot be read: %(error)s") % {"name": member, "error": error}
            ) from None
    for through, rows in through_rows.items():
        through._base_manager.bulk_create(rows, batch_size=1000)
    return count


def _file_import(archive: zipfile.ZipFile, name: str) -> tuple[models.FileField, str]:
    field = _storage_field_for(name)
    with archive.open(f"files/{name}") as source:
        stored = field.storage.save(name, ContentFile(source.read()))
    if stored != name:
        field.storage.delete(stored)
        raise HandoverError(
            gettext("The file %(name)s exists already in storage.") % {"name": name}
        )
    return field, name


def _storage_field_for(name: str) -> models.FileField:
    """A file field whose rows name ``name``, for its storage (all share one by default)."""
    for model in exported_models():
        for field in _file_fields(model):
            if model._base_manager.filter(**{field.name: name}).exists():
                return field
    raise HandoverError(gettext("No record refers to the file %(name)s.") % {"name": name})

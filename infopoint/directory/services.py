"""Every write to the directory of institutions goes through here."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from infopoint.core.translations import translations_upsert
from infopoint.hours.models import Schedule
from infopoint.topics.models import Topic

from .models import Institution


def _topics_by_slug(slugs: Iterable[str]) -> list[Topic]:
    slugs = list(dict.fromkeys(slugs))
    topics = list(Topic.objects.filter(slug__in=slugs))
    missing = sorted(set(slugs) - {topic.slug for topic in topics})
    if missing:
        raise ValidationError(
            _("No topic with the slug %(slugs)s."), params={"slugs": ", ".join(missing)}
        )
    return topics


@transaction.atomic
def institution_upsert(
    *,
    slug: str,
    kind: str,
    position: int,
    source_url: str,
    reviewed_on: date,
    translations: Mapping[str, Mapping[str, str]],
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
    phones: Sequence[str] = (),
    fax: str = "",
    email: str = "",
    website: str = "",
    languages: Sequence[str] = (),
    topic_slugs: Iterable[str] = (),
    schedule: Schedule | None = None,
) -> tuple[Institution, bool]:
    """Creates the institution ``slug`` or brings every given field to the given value.

    Its topics become exactly ``topic_slugs`` (each must exist). ``translations`` maps a
    language code to {"name", "description", "rooms", "hours_note"}; languages not
    named are left alone. Nothing is saved when nothing differs. Returns the
    institution and whether anything was created or changed.
    """
    values = {
        "kind": kind,
        "position": position,
        "street_address": street_address,
        "postal_code": postal_code,
        "city": city,
        "phones": list(phones),
        "fax": fax,
        "email": email,
        "website": website,
        "languages": list(languages),
        "schedule": schedule,
        "source_url": source_url,
        "reviewed_on": reviewed_on,
    }
    topics = _topics_by_slug(topic_slugs)
    institution = Institution.objects.filter(slug=slug).first()
    changed = False
    if institution is None:
        institution = Institution(slug=slug, **values)
        institution.full_clean()
        institution.save()
        changed = True
    else:
        update_fields = [
            name for name, value in values.items() if getattr(institution, name) != value
        ]
        if update_fields:
            for name in update_fields:
                setattr(institution, name, values[name])
            institution.full_clean()
            institution.save(update_fields=update_fields)
            changed = True
    wanted_topic_ids = {topic.pk for topic in topics}
    if set(institution.topics.values_list("pk", flat=True)) != wanted_topic_ids:
        institution.topics.set(topics)
        changed = True
    rows_changed = translations_upsert(instance=institution, translations=translations)
    return institution, changed or rows_changed > 0

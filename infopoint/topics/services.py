"""Every write to topics goes through here."""

from collections.abc import Mapping

from django.db import transaction

from infopoint.core.translations import translations_upsert

from .models import Topic


@transaction.atomic
def topic_upsert(
    *, slug: str, position: int, translations: Mapping[str, Mapping[str, str]]
) -> tuple[Topic, bool]:
    """Creates the topic ``slug`` or brings its position and texts to the given values.

    ``translations`` maps a language code to {"name": …, "description": …}; other
    languages and the topic's answer time are left as they are. Returns the topic
    and whether anything was created or changed.
    """
    topic = Topic.objects.filter(slug=slug).first()
    changed = False
    if topic is None:
        topic = Topic(slug=slug, position=position)
        topic.full_clean()
        topic.save()
        changed = True
    elif topic.position != position:
        topic.position = position
        topic.full_clean()
        topic.save(update_fields=["position"])
        changed = True
    rows_changed = translations_upsert(instance=topic, translations=translations)
    return topic, changed or rows_changed > 0

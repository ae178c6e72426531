"""Default content of the topics app, read from the content folder (CONTENT_DIR)."""

from infopoint.core.content import read_content_file
from infopoint.core.translations import translations_in_configured_languages

from .services import topic_upsert

# Gaps between positions leave room for a coordinator to insert a topic.
POSITION_STEP = 10


def topics_default_content_load() -> int:
    """Creates or updates the topics of ``topics.toml`` by slug, in the file's order.

    Returns the number of topics created or changed; a second run returns 0.
    """
    content = read_content_file("topics.toml")
    changed = 0
    for index, entry in enumerate(content.get("topics", []), start=1):
        _topic, topic_changed = topic_upsert(
            slug=entry["slug"],
            position=index * POSITION_STEP,
            translations=translations_in_configured_languages(entry["translations"]),
        )
        changed += topic_changed
    return changed

"""Default content of the pages app, read from the content folder (CONTENT_DIR): pages.toml."""

from django.conf import settings

from infopoint.core.content import read_content_file

from .services import page_create_missing


def pages_default_content_load() -> int:
    """Creates the text pages of pages.toml that are missing; returns the rows created.

    Only languages the site offers are loaded, so a city with fewer languages needs no
    other file.
    """
    offered = {code for code, _name in settings.LANGUAGES}
    changed = 0
    for entry in read_content_file("pages.toml").get("pages", []):
        translations = {
            language: fields
            for language, fields in entry.get("translations", {}).items()
            if language in offered
        }
        _page, created = page_create_missing(
            slug=entry["slug"], updated_on=entry["updated_on"], translations=translations
        )
        changed += created
    return changed

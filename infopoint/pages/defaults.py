"""Default content of the pages app, read from the content folder (CONTENT_DIR)."""


def pages_default_content_load() -> int:
    return 0

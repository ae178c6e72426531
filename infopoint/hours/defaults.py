"""Default content of the hours app, read from the content folder (CONTENT_DIR)."""


def hours_default_content_load() -> int:
    return 0

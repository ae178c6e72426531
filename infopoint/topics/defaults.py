"""Default content of the topics app, read from the content folder (CONTENT_DIR)."""


def topics_default_content_load() -> int:
    return 0

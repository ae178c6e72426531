"""Default content of the directory app, read from the content folder (CONTENT_DIR)."""


def directory_default_content_load() -> int:
    return 0

import pytest

from infopoint.directory.defaults import directory_default_content_load
from infopoint.topics.defaults import topics_default_content_load


@pytest.fixture
def directory(db) -> int:
    """The topics and the directory of the default content, loaded; returns the count."""
    topics_default_content_load()
    return directory_default_content_load()

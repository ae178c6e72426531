import pytest

from infopoint.core.content import default_content_load


@pytest.mark.django_db
def test_topic_page_lists_its_articles(client) -> None:
    default_content_load()

    html = client.get("/en/topics/civil-registry/").content.decode()

    assert 'href="/en/articles/pesel-number/"' in html

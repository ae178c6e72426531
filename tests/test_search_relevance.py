"""Search over the city's real articles lists the answers, not every article.

Every text is somewhat like every question to the embedding model, so with an absolute
minimum score alone the API listed all 42 articles for "PESEL".
"""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _api(client: Client, query: str) -> dict:
    response = client.get("/api/v1/search", {"q": query, "language": "en"})
    assert response.status_code == 200
    return response.json()


def test_search_lists_the_answer_not_every_article(client: Client, default_content) -> None:
    pesel = _api(client, "PESEL")
    assert pesel["results"][0]["slug"] == "pesel-number"
    assert pesel["count"] <= 5
    driving = _api(client, "driving licence exchange")
    assert [row["slug"] for row in driving["results"]] == ["driving-licence-exchange"]
    for query in ["Jak uzyskać numer PESEL?", "how to cook pasta"]:
        results = _api(client, query)["results"]
        assert all(row["score"] >= 0.8 * results[0]["score"] for row in results), query

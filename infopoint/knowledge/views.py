"""Public pages of the knowledge base: an article, search, and suggestions for the enquiry form.

Each view parses its input, asks one selector or service, and renders.
"""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, get_language_info
from django.views.decorators.http import require_GET, require_POST

from infopoint.core.cache import public_page

from . import services
from .forms import MAX_QUERY_LENGTH, FeedbackForm, SearchForm
from .search import search
from .selectors import article_published_get, article_translation_get

SEARCH_RESULTS = 10
SUGGESTIONS = 3
# A suggestion is only worth showing once the person has typed a few words.
MIN_SUGGEST_CHARACTERS = 12
SUGGESTION_MIN_SCORE = 0.35


@require_GET
@public_page("feedback")
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = article_published_get(slug=slug)
    if article is None:
        raise Http404
    text = article.translation(get_language())
    if text is None:
        raise Http404
    if request.GET.get("from") == "suggestion":
        services.article_suggestion_opened_record(translation=text)
    context = {
        "article": article,
        "text": text,
        "language_links": _language_links(slug, article.available_languages(), text.language),
        "institutions": article.institutions.all(),
        "feedback_given": request.GET.get("feedback") == "thanks",
    }
    return render(request, "knowledge/article_detail.html", context)


def _language_links(slug: str, codes: list[str], current: str) -> list[dict[str, object]]:
    """The article's page in each language it is written in, each named in that language."""
    links = []
    for code in codes:
        with translation.override(code):
            url = reverse("knowledge:article", kwargs={"slug": slug})
        name = get_language_info(code)["name_local"] if code in LANG_INFO else code
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@require_POST
def article_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    article = article_published_get(slug=slug)
    if article is None:
        raise Http404
    form = FeedbackForm(request.POST)
    url = reverse("knowledge:article", kwargs={"slug": slug})
    if not form.is_valid():
        return HttpResponseRedirect(url)
    translation = article_translation_get(
        article=article, language=form.cleaned_data["language"]
    ) or article.translation(get_language())
    services.article_feedback_record(translation=translation, helpful=form.cleaned_data["helpful"])
    return HttpResponseRedirect(f"{url}?feedback=thanks#feedback")


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    if len(request.GET.get("q", "")) > MAX_QUERY_LENGTH * 2:
        # A 100 KB paste: sent back shortened (still too long, so the message says why),
        # instead of echoing it in the field and in every link of the page.
        query = QueryDict(mutable=True)
        query["q"] = request.GET["q"][: MAX_QUERY_LENGTH + 1]
        return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = search(form.cleaned_data["q"], language=get_language(), limit=SEARCH_RESULTS)
        if not results.hits:
            services.search_miss_record(query=form.cleaned_data["q"], language=get_language())
    return render(
        request,
        "knowledge/search.html",
        {"form": form, "results": results, "max_length": MAX_QUERY_LENGTH},
    )


@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """A small HTML fragment of articles matching what is typed (for htmx, or a plain GET)."""
    query = (request.GET.get("q") or request.GET.get("text") or "")[: MAX_QUERY_LENGTH * 10]
    hits = []
    if len(query.strip()) >= MIN_SUGGEST_CHARACTERS:
        hits = search(
            query, language=get_language(), limit=SUGGESTIONS, min_score=SUGGESTION_MIN_SCORE
        ).hits
    return render(request, "knowledge/includes/suggestions.html", {"hits": hits})

from django.core.paginator import Paginator
from django.shortcuts import render

from khabar.news.html import html_to_text, strip_illegal_chars

from .forms import SearchForm
from .selectors import search_articles
from .snippets import highlight, snippet

PAGE_SIZE = 20
# Longer input is cut: the parser keeps 32 items anyway.
MAX_QUERY_CHARS = 1000


def search(request):
    query = strip_illegal_chars(request.GET.get("q", ""))[:MAX_QUERY_CHARS].strip()
    form = SearchForm(request.GET)
    results = search_articles(query, **form.filters())
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    terms = results.query.highlight_terms
    hits = [
        {
            "article": article,
            "headline": highlight(article.headline, terms),
            "snippet": snippet(f"{article.summary}\n{html_to_text(article.body)}", terms),
        }
        for article in page
    ]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "q": query,
        "form": form,
        "page": page,
        "hits": hits,
        "count": page.paginator.count,
        "searched": bool(query),
        "extra_query": params.urlencode(),
    }
    return render(request, "search/results.html", context)

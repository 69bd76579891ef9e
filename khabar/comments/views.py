from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from khabar.news.views import get_public_article

from .forms import CommentForm
from .services import ChallengeError, challenge_for_token, challenge_issue, challenge_spend, comment_submit


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _render(request, article, form, challenge, status=200):
    template = "comments/form_fragment.html" if request.GET.get("fragment") else "comments/form_page.html"
    return render(
        request, template, {"article": article, "form": form, "challenge": challenge}, status=status
    )


@never_cache
def comment_form(request, pk):
    """The comment form is its own uncached page (and fragment), so cached
    article pages never carry one reader's CSRF token or question."""
    article = get_public_article(pk)
    if request.method != "POST":
        challenge, signed = challenge_issue(article=article)
        return _render(request, article, CommentForm(initial={"token": signed}), challenge)

    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            token = challenge_spend(signed_token=data["token"], article=article, answer=data["answer"])
        except ChallengeError as error:
            form.add_error("answer", str(error))
        else:
            comment = comment_submit(
                article=article,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                token=token,
                ip=_client_ip(request),
            )
            return HttpResponseRedirect(f"{article.get_absolute_url()}?comment={comment.status}#comments")
    # Keep what the reader typed; a spent token gets a fresh question.
    challenge = challenge_for_token(signed_token=request.POST.get("token", ""), article=article)
    data = request.POST.copy()
    if challenge is None or "answer" in form.errors:
        challenge, data["token"] = challenge_issue(article=article)
    data["answer"] = ""
    form.data = data  # errors were computed already; only the shown values change
    return _render(request, article, form, challenge, status=400)

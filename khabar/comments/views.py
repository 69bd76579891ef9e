from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from khabar.news.models import Article
from khabar.news.prepared import Int, Moment, PreparedQuery
from khabar.news.reversing import reverse
from khabar.security.ratelimit import hit_per_ip, limit_per_ip
from khabar.security.readers import client_ip, reader_binding

from .forms import CommentForm
from .models import Comment
from .services import (
    ChallengeError,
    ChallengeTooSoon,
    challenge_for_token,
    challenge_issue,
    challenge_spend,
    comment_submit,
)

# The form names the story and links back to it: no body, byline or tags.
# Compiled once (khabar/news/prepared.py): every form and every answer reads it.
_STORY = PreparedQuery(
    lambda pk, now: Article.objects.published(now).only("id", "slug", "headline", "language").filter(pk=pk),
    pk=Int(),
    now=Moment(),
)


def _story(pk) -> Article:
    return _STORY.first_or_404(pk=pk, now=timezone.now())


def _render(request, article, form, challenge, status=200):
    template = "comments/form_fragment.html" if request.GET.get("fragment") else "comments/form_page.html"
    return render(
        request, template, {"article": article, "form": form, "challenge": challenge}, status=status
    )


@never_cache
@limit_per_ip(GET="COMMENT_RATE_ISSUE")
def comment_form(request, pk):
    """The comment form is its own uncached page (and fragment), so cached
    article pages never carry one reader's CSRF token or question."""
    article = _story(pk)
    binding = reader_binding(request)
    if request.method != "POST":
        challenge, signed = challenge_issue(article=article, session_key=binding)
        return _render(request, article, CommentForm(initial={"token": signed}), challenge)

    form = CommentForm(request.POST)
    # Answers are limited per IP too; over the limit the form comes back
    # with the reader's text (429), nothing is spent.
    wait = hit_per_ip(request, scope="comment-answer", setting="COMMENT_RATE_POST")
    if form.is_valid() and not wait:
        data = form.cleaned_data
        try:
            token = challenge_spend(
                signed_token=data["token"], article=article, answer=data["answer"], session_key=binding
            )
        except ChallengeTooSoon as error:
            form.add_error(None, str(error))
        except ChallengeError as error:
            form.add_error("answer", str(error))
        else:
            comment = comment_submit(
                article=article,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                token=token,
                ip=client_ip(request) or None,  # the reader's, also behind a proxy
            )
            # Filed as spam looks like held to its sender.
            notice = "approved" if comment.status == Comment.Status.APPROVED else "pending"
            # Back to the story in the edition the reader wrote from.
            page = reverse("news:article", kwargs={"pk": article.pk, "slug": article.slug})
            return HttpResponseRedirect(f"{page}?comment={notice}#comments")
    # Keep what the reader typed; a spent token gets a fresh question.
    if wait:
        message = _("أرسلت تعليقات كثيرة في وقت قصير، حاول بعد %(minutes)s دقيقة.")
        form.add_error(None, message % {"minutes": -(-wait // 60)})
    challenge = challenge_for_token(signed_token=request.POST.get("token", ""), article=article)
    data = request.POST.copy()
    if challenge is None or "answer" in form.errors:
        challenge, data["token"] = challenge_issue(article=article, session_key=binding)
    data["answer"] = ""
    form.data = data  # errors were computed already; only the shown values change
    response = _render(request, article, form, challenge, status=429 if wait else 400)
    if wait:
        response["Retry-After"] = str(wait)
    return response

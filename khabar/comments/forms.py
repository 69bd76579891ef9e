import logging

from django import forms
from django.utils.translation import gettext_lazy as _

from khabar.arabic.digits import parse_small_number
from khabar.news.html import strip_illegal_chars

log = logging.getLogger("khabar.comments")


class CommentForm(forms.Form):
    name = forms.CharField(label=_("الاسم"), max_length=80)
    email = forms.EmailField(
        label=_("البريد الإلكتروني"), required=False, max_length=254, help_text=_("اختياري، لا يُنشر.")
    )
    body = forms.CharField(label=_("التعليق"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    answer = forms.CharField(label=_("الإجابة"), max_length=20)
    token = forms.CharField(widget=forms.HiddenInput, max_length=300)
    # Honeypot: hidden from people by CSS (not type=hidden), filled by bots.
    website = forms.CharField(label=_("اترك هذا الحقل فارغاً"), required=False, max_length=200)

    def clean_name(self):
        return strip_illegal_chars(self.cleaned_data["name"]).strip()

    def clean_body(self):
        return strip_illegal_chars(self.cleaned_data["body"]).strip()

    def clean_answer(self):
        value = parse_small_number(self.cleaned_data["answer"])
        if value is None:
            raise forms.ValidationError(_("اكتب الناتج أرقاماً فقط، مثل 8 أو ٨."))
        return value

    def clean_website(self):
        if self.cleaned_data["website"]:
            log.info("comment refused: honeypot field filled")
            raise forms.ValidationError(_("تعذّر قبول التعليق."))
        return ""

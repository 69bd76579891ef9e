from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from khabar.arabic.digits import to_ascii_digits
from khabar.news.models import Agency, Section

EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


class DateField(forms.DateField):
    """A date typed with any of the three digit sets, in a year a story can have."""

    widget = forms.DateInput(attrs={"type": "date"})
    default_error_messages = {"invalid": _("اكتب التاريخ بالشكل 2024-12-08.")}

    def to_python(self, value):
        value = super().to_python(to_ascii_digits(value) if isinstance(value, str) else value)
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(_("هذا التاريخ خارج المدى الممكن."))
        return value


class SearchForm(forms.Form):
    """The filters. The query text itself is not a form field: any text is a
    valid query (khabar.search.query reads it), so it can never be refused."""

    sort = forms.ChoiceField(
        label=_("الترتيب"),
        choices=[("relevance", _("الأقرب إلى البحث")), ("new", _("الأحدث أولًا"))],
        required=False,
        error_messages={"invalid_choice": _("اختر ترتيبًا من القائمة.")},
    )
    section = forms.ModelChoiceField(
        Section.objects.all(),
        label=_("القسم"),
        to_field_name="slug",
        required=False,
        empty_label=_("كل الأقسام"),
        error_messages={"invalid_choice": _("هذا القسم غير موجود.")},
    )
    agency = forms.ModelChoiceField(
        Agency.objects.all(),
        label=_("الوكالة"),
        to_field_name="slug",
        required=False,
        empty_label=_("كل الوكالات"),
        error_messages={"invalid_choice": _("هذه الوكالة غير موجودة.")},
    )
    date_from = DateField(label=_("من تاريخ"), required=False)
    date_to = DateField(label=_("إلى تاريخ"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("تاريخ النهاية قبل تاريخ البداية."))
        return data

    def filters(self) -> dict:
        """The valid filters; a field with an error is left out, not guessed."""
        self.is_valid()
        data = self.cleaned_data
        names = ("section", "agency", "date_from", "date_to")
        filters = {name: data[name] for name in names if data.get(name)}
        return {**filters, "sort": data.get("sort") or "relevance"}

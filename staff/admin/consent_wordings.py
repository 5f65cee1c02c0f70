"""Staff panel: the exact words the portal asks each consent with (register admin).

A consent must be demonstrable (GDPR 7(1)): the portal shows these words at each Kyllä/Ei and
records them with the consent, so an edit here changes what later consents say and never an
event already recorded.
"""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from customers.models import ConsentWording
from statement.models import StatementDraft

# The statement's languages beyond Finnish, as the error names them.
LANGUAGE_NAMES = {"sv": gettext_lazy("ruotsiksi"), "en": gettext_lazy("englanniksi")}


class ConsentWordingForm(forms.ModelForm):
    class Meta:
        model = ConsentWording
        fields = ["text_fi", "text_sv", "text_en"]
        # The whole wording in view (up to 300 characters).
        widgets = {
            name: forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}) for name in fields
        }

    def clean(self) -> dict:
        data = super().clean()
        # Swedish and English are needed where the shop serves them (StatementDraft.languages).
        for language in StatementDraft.current().translations():
            field = f"text_{language}"
            if field not in self.errors and not (data.get(field) or "").strip():
                self.add_error(
                    field,
                    _(
                        "Kirjoita sanamuoto myös %(language)s: tietosuojaseloste ja omat tiedot "
                        "-palvelu ovat saatavilla %(language)s."
                    )
                    % {"language": LANGUAGE_NAMES[language]},
                )
        return data


@admin.register(ConsentWording)
class ConsentWordingAdmin(admin.ModelAdmin):
    form = ConsentWordingForm
    list_display = ["__str__", "text_fi", "updated_at"]
    readonly_fields = ["purpose", "channel", "updated_at"]
    fields = ["purpose", "channel", "text_fi", "text_sv", "text_en", "updated_at"]

    # One wording per switch of the portal's marketing page: edited, never added or removed.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

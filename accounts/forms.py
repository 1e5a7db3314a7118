from django import forms

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "phone", "institution", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without it (an older page, a script) keeps the language.
        self.fields["language"].required = False

    def clean_language(self) -> str:
        return self.cleaned_data["language"] or self.instance.language


class LanguageForm(forms.ModelForm):
    """The language of the user's e-mails, as the site's language switch posts it
    (`language`)."""

    class Meta:
        model = User
        fields = ["language"]

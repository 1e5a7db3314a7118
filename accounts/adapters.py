from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Signs people up with their e-mail address as the login, lower-cased."""

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Signs people up with their e-mail address as the login, lower-cased."""

    def clean_email(self, email: str) -> str:
        return super().clean_email(email).strip().lower()

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of the per-account login_failed limit: the login alone.

        allauth prefixes it with the requested host name, so the same account would
        get a fresh allowance on each host name the site answers to; the web login
        and the API token endpoint (`accounts.api.serializers`) share this counter.
        """
        return credentials.get("email", credentials.get("username", "")).lower()

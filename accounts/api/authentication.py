"""`Authorization: Token <key>` with django-rest-knox: hashed, expiring tokens."""

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions

# knox keys are hexadecimal; anything else (non-ASCII bytes, NUL, punctuation) is
# refused before it reaches a query or the hash.
TOKEN_PATTERN = re.compile(rb"[0-9A-Za-z_-]{1,200}")


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's authentication, answering 401 (never 500) for a malformed key.

    A missing, unknown, revoked or expired token answers 401 with
    `WWW-Authenticate: Token`.
    """

    def authenticate_credentials(self, token: bytes):
        if not TOKEN_PATTERN.fullmatch(token):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)


class TokenScheme(OpenApiAuthenticationExtension):
    """The OpenAPI security scheme: `Authorization: Token <key>`."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix=TokenAuthentication().authenticate_header(None),
        )

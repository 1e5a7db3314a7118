from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, throttling
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.authentication import TokenAuthentication
from accounts.api.serializers import TokenRequestSerializer, TokenSerializer
from accounts.services import obtain_token, revoke_token


class TokenThrottle(throttling.AnonRateThrottle):
    """Requests per client address, right or wrong. Wrong passwords have their own,
    tighter limits (allauth's login_failed, per account and per address)."""

    rate = "120/min"


class ObtainTokenView(APIView):
    """POST: exchange an e-mail address and password for an API token.
    DELETE: revoke the token the request is authenticated with."""

    authentication_classes = [TokenAuthentication]
    throttle_classes = [TokenThrottle]

    def initialize_request(self, request, *args, **kwargs):
        drf_request = super().initialize_request(request, *args, **kwargs)
        if request.method == "POST":
            # Signing in: a stale token sent along must not answer 401.
            drf_request.authenticators = ()
        return drf_request

    def get_permissions(self):
        if self.request.method == "DELETE":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    @extend_schema(
        description="Exchange an e-mail address and password for an API token.",
        auth=[{}],
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong e-mail address or password."),
            403: OpenApiResponse(description="The e-mail address is not verified."),
            429: OpenApiResponse(description="Too many failed attempts."),
        },
    )
    def post(self, request):
        serializer = TokenRequestSerializer(
            data=request.data, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        key, expires = obtain_token(
            request=request._request,
            email=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        return Response(TokenSerializer({"token": key, "expires": expires}).data)

    @extend_schema(
        description="Revoke the token the request is authenticated with.",
        request=None,
        responses={
            204: None,
            401: OpenApiResponse(description="No valid token was sent."),
        },
    )
    def delete(self, request):
        revoke_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)

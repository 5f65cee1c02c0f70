"""The OpenAPI schema of the API: token scheme, upsert answers and every error answer documented."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import serializers


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema) -> dict:
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106 - a scheme name
        )


class ErrorSerializer(serializers.Serializer):
    """An answer that is about the request as a whole, not one field."""

    detail = serializers.CharField(help_text="Virheen kuvaus suomeksi.")


# A 400 lists each wrong field with its messages; nested lists (an order's lines) are keyed by the
# line's index. A body that is not JSON at all is answered with {"detail": "..."}.
VALIDATION_ERROR = {
    "type": "object",
    "description": "Kenttä → virheilmoitukset; sisäkkäiset rivit rivin järjestysnumerolla.",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
}


class ApiAutoSchema(AutoSchema):
    """Document what the API really answers: 200 or 201 for an upsert, and each error answer."""

    def _get_response_bodies(self, direction="response") -> dict:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        action = getattr(self.view, "action", None)
        if action in {"create", "update"}:
            # An upsert answers 201 when it created the row and 200 when it updated it.
            success = next(iter(responses.values()))
            responses = {"200": success, "201": success}
        errors: dict[str, object] = {"401": ErrorSerializer, "403": ErrorSerializer}
        if "{external_id}" in self.path:
            errors["404"] = ErrorSerializer
        if self.method in {"POST", "PUT"}:
            errors |= {"400": VALIDATION_ERROR, "409": ErrorSerializer, "415": ErrorSerializer}
            if self.method == "POST":
                # The same Idempotency-Key sent with a different request.
                errors["422"] = ErrorSerializer
        if self._is_list_view():
            # A bad page size is a 400; a page past the end is a 404.
            errors |= {"400": VALIDATION_ERROR, "404": ErrorSerializer}
        errors["429"] = ErrorSerializer
        for code, body in sorted(errors.items()):
            responses.setdefault(code, self._get_response_for_code(body, code, direction=direction))
        return responses

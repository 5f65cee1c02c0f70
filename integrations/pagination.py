"""Page-number pagination whose page size is checked, not silently replaced by the default."""

import re

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request: Request) -> int:
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        value = values[-1]
        if (
            len(values) > 1
            or not re.fullmatch(r"[0-9]{1,4}", value)
            or not (1 <= int(value) <= self.max_page_size)
        ):
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Sivun koon pitää olla kokonaisluku 1–%(max)s.")
                        % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters

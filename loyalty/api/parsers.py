"""The partner API's JSON parser: any body that is not usable JSON is a 400 parse_error, never a 500."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:  # e.g. 100,000 nested "[": json gives up with RecursionError, not ValueError
            raise ParseError(_("JSON parse error - the body is nested too deeply.")) from None

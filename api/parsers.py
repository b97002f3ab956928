"""The API's one parser: DRF's JSON parser, with arrays nested too deep for Python's json refused as a 400.

The decoder raises RecursionError, not the ValueError DRF turns into a parse error, on input nested some
thousands deep (a couple of hundred kilobytes of "[", well inside DATA_UPLOAD_MAX_MEMORY_SIZE)."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class NestingSafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError("JSON parse error - nested too deeply.") from error

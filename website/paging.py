"""One rule for every paginated listing (the shop, its category pages, the journal, search): `?page=` names a
page that exists, or the answer is a 404.

Showing the nearest page instead (Django's get_page()) gave search engines endless addresses for copies of the
first and last pages (?page=abc, ?page=0, ?page=999 ...), each answering 200."""

import re

from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404

# Digits only, no leading zero: ?page=02 or ?page=+2 would be other addresses of page 2.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,8}")


def page_or_404(paginator: Paginator, number: str | None) -> Page:
    """Page `number` (the raw query value) of `paginator`; no number, or an empty one, is the first page."""
    if number in (None, ""):
        return paginator.page(1)
    if not PAGE_NUMBER.fullmatch(number):
        raise Http404("No such page number.")
    try:
        return paginator.page(int(number))
    except InvalidPage as error:
        raise Http404("No such page number.") from error

"""Which page, block and visit sold a line: read from the add-to-cart POST, kept on the cart, copied onto the
order line and into Stripe's metadata. For reports only: nothing here sets a price or decides who may buy.

Why page renders are untouched (the page cache, website/page_cache.py, stores one copy of a page for
everyone): a buy form carries only the id of the page it is on and of the StreamField block around it, the
same for every visitor and already in memory. The visit itself (its landing path and UTM parameters) is kept
by theme/static/js/site.js in sessionStorage, which sets no cookie and asks nothing of the server, and is
posted with the add-to-cart form as two small JSON fields. The server keeps it in the session only there, on a
POST that writes the session anyway. So no page render sets per-visitor state or runs a query more, and the
cache's hit rate is what it was. A browser refusing storage posts no visit: the line still gets its page and
block, which are in the HTML.

The posted values are never trusted: ids must be small decimal numbers and a block id a UUID, or they are
dropped; a page id that names no page is dropped when the order is placed; UTM values and the landing path
are cut to a bounded length. Nothing posted here can make the cart refuse an item.
"""

import json
import re
from collections.abc import Mapping
from typing import Any

from wagtail.models import Page

SOURCES_KEY = "cart_sources"  # product id (text) -> {"page": id, "block": uuid or ""}
TOUCHES_KEY = "visit_touches"  # {"first": touch, "last": touch}
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign")
UTM_MAX_LENGTH = 100
LANDING_MAX_LENGTH = 300
TOUCH_MAX_LENGTH = 1000  # the posted JSON of one touch
MAX_ID = 2**31 - 1  # PostgreSQL's integer: a bigger number is no page
# Wagtail gives every StreamField block a uuid4.
BLOCK_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# -- capture ----------------------------------------------------------------------------------------------
def source_from_post(data: Mapping[str, Any]) -> dict[str, Any]:
    """{"page": id, "block": uuid or ""} from a buy form's `source_page` and `source_block`, or {}."""
    page = _id(data.get("source_page"))
    if page is None:
        return {}
    block = str(data.get("source_block") or "").lower()
    return {"page": page, "block": block if BLOCK_ID.fullmatch(block) else ""}


def _id(value: object) -> int | None:
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 10:  # int() would take " 1", "1_0" and "١"
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def touch_from_post(raw: object) -> dict[str, str]:
    """One touch (a landing path and its UTM values) from the JSON site.js posts, cleaned; {} if unusable."""
    if not isinstance(raw, str) or not raw or len(raw) > TOUCH_MAX_LENGTH:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    touch = {}
    landing = _clean(data.get("landing"), LANDING_MAX_LENGTH)
    if landing.startswith("/") and not landing.startswith("//"):  # a path on this site, never another host
        touch["landing"] = landing
    for field in UTM_FIELDS:
        if value := _clean(data.get(field), UTM_MAX_LENGTH):
            touch[field] = value
    return touch


def _clean(value: object, length: int) -> str:
    if not isinstance(value, str):
        return ""
    return "".join(character for character in value if character.isprintable()).strip()[:length]


def record_visit(session: Any, data: Mapping[str, Any]) -> None:
    """Keep the posted first touch unless the session has one, and the posted last touch over the older one."""
    first, last = touch_from_post(data.get("touch_first")), touch_from_post(data.get("touch_last"))
    touches = dict(session.get(TOUCHES_KEY) or {})
    if first and "first" not in touches:
        touches["first"] = first
    if last:
        touches["last"] = last
    if touches != (session.get(TOUCHES_KEY) or {}):
        session[TOUCHES_KEY] = touches


def visit_touches(session: Any) -> dict[str, dict[str, str]]:
    return dict(session.get(TOUCHES_KEY) or {})


# -- carry ------------------------------------------------------------------------------------------------
def line_fields(sources: Mapping[int, Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """Product id -> the OrderLine fields naming the page (id, title and URL as they are now) and block that
    sold it, in one query. A page that no longer exists is dropped."""
    wanted = {source["page"] for source in sources.values() if source.get("page")}
    pages = Page.objects.filter(pk__in=wanted).only("pk", "title", "url_path").in_bulk() if wanted else {}
    fields = {}
    for product_id, source in sources.items():
        page = pages.get(source.get("page"))
        if page is None:
            continue
        fields[product_id] = {
            "source_page": page.pk,
            "source_title": page.title[:255],
            "source_url": (page.get_url() or "")[:500],
            "source_block": source.get("block") or "",
        }
    return fields

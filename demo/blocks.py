"""Shorthand for writing StreamField content in `content.py`, and the references it may hold.

Values are written the way an editor thinks of them (a heading, a product, a picture); the loader
turns references into ids and gives every block a stable id.
"""

from dataclasses import dataclass

from .pictures import BY_KEY as PICTURES


@dataclass(frozen=True)
class PageRef:
    """A page of the demo, by its key in `content.PAGES` (for example "shop" or "contact")."""

    key: str


@dataclass(frozen=True)
class ProductRef:
    sku: str


@dataclass(frozen=True)
class ImageRef:
    key: str


@dataclass(frozen=True)
class CategoryRef:
    """A product category, by slug."""

    slug: str


def page_link(key, text):
    """A rich-text link to a demo page; the loader fills in the page's id."""
    return f'<a linktype="page" id="[[page:{key}]]">{text}</a>'


def product_link(sku, text):
    return f'<a linktype="page" id="[[product:{sku}]]">{text}</a>'


def heading(text, level="h2"):
    return ("heading", {"text": text, "level": level})


def paragraph(html):
    return ("paragraph", html)


def figure(key, caption="", width="content", alt=None):
    image = {"image": ImageRef(key), "alt_text": alt or PICTURES[key].alt, "decorative": False}
    return ("image", {"image": image, "caption": caption, "width": width})


def quote(text, attribution="", role=""):
    return ("quote", {"quote": text, "attribution": attribution, "role": role})


def link(label, page=None, url=""):
    return {"label": label, "page": PageRef(page) if isinstance(page, str) else page, "url": url}


def call_to_action(heading_text, text, button, style="brand"):
    return ("call_to_action", {"heading": heading_text, "text": text, "button": button, "style": style})


def product_teaser(sku, blurb=""):
    return ("product_teaser", {"product": ProductRef(sku), "blurb": blurb})


def product_grid(heading_text="", skus=(), category=None, limit=4):
    return (
        "product_grid",
        {
            "heading": heading_text,
            "products": [ProductRef(sku) for sku in skus],
            "category": CategoryRef(category) if category else None,
            "limit": limit,
        },
    )


def faq(items, heading_text="Frequently asked questions"):
    return ("faq", {"heading": heading_text, "items": [{"question": q, "answer": a} for q, a in items]})


def video(url, title, caption=""):
    return ("video", {"url": url, "title": title, "caption": caption})


def table(rows, caption="", header="row"):
    """A table; `header` is "row", "column", "both" or "neither", as the editor offers."""
    return (
        "table",
        {
            "data": [list(row) for row in rows],
            "table_header_choice": header,
            "first_row_is_table_header": header in ("row", "both"),
            "first_col_is_header": header in ("column", "both"),
            "table_caption": caption,
        },
    )

"""Links to pages in rich text, looked up in one query.

Wagtail's handler fetches every linked page as its own page type, a query per type on top of the first, only to
ask each for its URL. A page's URL comes from its place in the tree and its site, which the generic page knows:
no page type of this shop works its URL out in another way (none overrides get_url_parts), so the generic pages
give the same links. A home page whose paragraphs link to a product and an info page: three queries -> one.
"""

from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler as WagtailPageLinkHandler


class PageLinkHandler(WagtailPageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Page | None]:
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = {str(page.pk): page for page in Page.objects.filter(id__in=ids)}
        return [pages.get(str(id_)) for id_ in ids]

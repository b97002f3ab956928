from django import template
from django.db.models import prefetch_related_objects

from website import seo
from website.models import SiteSettings

register = template.Library()


@register.inclusion_tag("components/seo_head.html", takes_context=True)
def seo_head(context, page):
    request = context["request"]
    logo = SiteSettings.for_request(request).logo
    if logo is not None:
        # The logo is drawn in the head's JSON-LD, the header and the footer, from this same (per-request)
        # settings object: all its renditions in one query, not one cache lookup per picture.
        prefetch_related_objects([logo], "renditions")
    return {"meta": seo.head_meta(page, request), "graph": seo.page_graph(page, request)}

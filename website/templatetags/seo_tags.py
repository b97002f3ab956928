from django import template

from website import seo

register = template.Library()


@register.inclusion_tag("components/seo_head.html", takes_context=True)
def seo_head(context, page):
    request = context["request"]
    return {"meta": seo.head_meta(page, request), "graph": seo.page_graph(page, request)}

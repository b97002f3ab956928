from django import template

from products import catalogue

register = template.Library()


@register.simple_tag(takes_context=True)
def category_url(context, shop, category):
    """A category's landing page in a shop (a ProductIndexPage): {% category_url shop category %}."""
    return catalogue.category_url(shop, category, context.get("request"))

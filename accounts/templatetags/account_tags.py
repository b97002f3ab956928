from django import template

from accounts.purchases import last_purchase_of
from accounts.wishlist import saved_product_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def is_saved(context, product):
    """Whether the visitor saved this product (one query per request, none for anonymous visitors)."""
    request = context.get("request")
    return request is not None and product.pk in saved_product_ids(request)


@register.simple_tag(takes_context=True)
def last_purchase(context, product):
    """The signed-in shopper's latest order that includes this product (no query for anonymous visitors)."""
    request = context.get("request")
    return last_purchase_of(request.user, product) if request is not None else None

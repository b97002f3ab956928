from django import template

from accounts.wishlist import saved_product_ids

register = template.Library()


@register.simple_tag(takes_context=True)
def is_saved(context, product):
    """Whether the visitor saved this product (one query per request, none for anonymous visitors). Only the
    account's own pages ask: shared pages get their hearts from /account/visitor/ (accounts.visitor)."""
    request = context.get("request")
    return request is not None and product.pk in saved_product_ids(request)

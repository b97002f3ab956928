from .cart import merge_saved_cart


def merge_cart_at_login(sender, request, user, **kwargs):
    """Whatever way the shopper signs in (account pages, the admin), their saved cart and this one merge."""
    if request is not None and hasattr(request, "session"):
        merge_saved_cart(request.session, user)

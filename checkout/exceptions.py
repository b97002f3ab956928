class CartError(Exception):
    """A cart change that cannot be made; the message is safe to show the shopper."""

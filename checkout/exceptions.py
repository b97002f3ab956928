class CartError(Exception):
    """A cart change that cannot be made; the message is safe to show the shopper."""


class OrderStateError(Exception):
    """An order cannot do that in its present state (or with those lines); the message is safe to show the owner.
    Nothing was changed."""


class TransitionNotAllowed(OrderStateError):
    """The lifecycle has no step from the order's status to the one asked for."""

    def __init__(self, order, to_status):
        self.order = order
        self.from_status = order.status
        self.to_status = to_status
        labels = dict(order.Status.choices)
        super().__init__(
            f"Order {order.number} cannot go from {labels[self.from_status].lower()} "
            f"to {labels.get(to_status, to_status).lower()}."
        )

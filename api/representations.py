"""The JSON the shopper endpoints answer with. Money is a decimal string beside its ISO currency code."""

from checkout.grants import file_links


def _money(amount):
    return f"{amount:.2f}"


def cart_json(cart, shipping_rate):
    shipping = shipping_rate if cart.has_physical_items and shipping_rate is not None else None
    return {
        "currency": cart.currency,
        "count": cart.count,
        "lines": [
            {
                "product": line.product.pk,
                "title": line.product.title,
                "sku": line.product.sku,
                "quantity": line.quantity,
                "max_quantity": line.max_quantity,
                "unit_price": _money(line.unit_price),
                "line_total": _money(line.line_total),
                "problem": line.problem,
            }
            for line in cart.lines
        ],
        "subtotal": _money(cart.subtotal),
        "shipping": _money(shipping) if shipping is not None else None,
        "total": _money(cart.subtotal + (shipping or 0)),
        "can_check_out": not cart.is_empty and not cart.has_problems,
    }


def order_summary_json(order):
    return {
        "number": order.number,
        "status": order.status,
        "created_at": order.created_at.isoformat(),
        "paid_at": order.paid_at.isoformat() if order.paid_at else None,
        "currency": order.currency,
        "subtotal": _money(order.subtotal),
        "shipping": _money(order.shipping),
        "total": _money(order.total),
        "discount": _money(order.discount),
        "promotion_code": order.promotion_code,
        "amount_paid": _money(order.amount_paid),
        "refunded_amount": _money(order.refunded_amount),
        "lines": [
            {
                "product": line.product_id,
                "title": line.title,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price": _money(line.unit_price),
                "refunded": line.refunded,
            }
            for line in order.lines.all()
        ],
    }


def order_json(order, request):
    """An order with its files: each with its state, a note saying why, and its link when it is ready."""
    files = file_links(order) if order.paid_at else []
    return {
        **order_summary_json(order),
        "refunds": [
            {"amount": _money(refund.amount), "status": refund.status, "created_at": refund.created_at.isoformat()}
            for refund in order.refunds.order_by("created_at", "pk")
        ],
        "disputes": [{"amount": _money(dispute.amount), "status": dispute.status} for dispute in order.disputes.all()],
        "files": [
            {
                "title": link.grant.document.title,
                "state": link.state,
                "note": link.note,
                "downloads_left": link.grant.downloads_left,
                "expires_at": link.grant.expires_at.isoformat(),
                "url": request.build_absolute_uri(link.grant.get_absolute_url()) if link.ready else None,
            }
            for link in files
        ],
    }


SOLD_BY_KEYS = ("page_id", "title", "url", "live_title", "block", "utm_source", "utm_medium", "utm_campaign", "day")


def sold_by_json(query, rows, currency):
    """Shop › Sold by's rows: the grouping's own keys (a day as an ISO date), then the figures, money as strings."""
    return {
        "start": query["start"].isoformat(),
        "end": query["end"].isoformat(),
        "by": query["by"],
        "currency": currency,
        "rows": [
            {
                **{key: row[key].isoformat() if key == "day" else row[key] for key in SOLD_BY_KEYS if key in row},
                "orders": row["orders"],
                "units": row["units"],
                "refunded_units": row["refunded_units"],
                "revenue": _money(row["revenue"]),
                "refunds": _money(row["refunds"]),
                "net": _money(row["net"]),
            }
            for row in rows
        ],
    }

"""Mail about orders. Sending never raises: a mail server that is down must not undo a payment.

Shoppers' mail goes to the order's own address, never to one typed into a form, and its links are absolute,
built from the default site's root URL. Mail about an order's progress (receipt, shipped, delivered, refunded,
the owner's notices) is stored and sent by `checkout.mail.notifications`, which retries it."""

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from website.models import SiteSettings

from ..grants import file_links
from ..models import DownloadGrant, Order

logger = logging.getLogger(__name__)


def site_context() -> tuple[SiteSettings, str]:
    """The default site's settings and root URL, for building mail."""
    site_settings = SiteSettings.for_default_site()
    site = site_settings.site if site_settings.pk else None
    return site_settings, site.root_url if site else ""


def build_message(
    order: Order,
    *,
    to: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    reply_to: list[str] | None = None,
) -> EmailMultiAlternatives:
    """templates/checkout/email/<template>.txt and .html, rendered for `order`, as one message to `to`."""
    site_settings, root_url = site_context()
    context = {"order": order, "site_settings": site_settings, "root_url": root_url, **context}
    message = EmailMultiAlternatives(
        subject=subject.format(brand=site_settings.brand_name, number=order.number),
        body=render_to_string(f"checkout/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to or ([site_settings.contact_email] if site_settings.contact_email else None),
    )
    message.attach_alternative(render_to_string(f"checkout/email/{template}.html", context), "text/html")
    return message


def _send(order: Order, *, subject: str, template: str, context: Mapping[str, Any], failure: str) -> bool:
    """Send a message to the order's own address. True when sent."""
    message = build_message(order, to=order.email, subject=subject, template=template, context=context)
    try:
        message.send()
    except Exception:
        logger.exception(failure.format(number=order.number))
        return False
    return True


def send_download_link(grant: DownloadGrant) -> bool:
    """Email a renewed download link to the address the order was placed with."""
    order = grant.line.order
    link = next(link for link in file_links(order) if link.grant.pk == grant.pk)
    return _send(
        order,
        subject="A fresh download link for your {brand} order {number}",
        template="download_link",
        context={"link": link},
        failure="A renewed download link for order {number} could not be sent",
    )


def send_order_link(order: Order) -> bool:
    """Email the private link to the order's page ("find my order")."""
    return _send(
        order,
        subject="Your {brand} order {number}",
        template="order_link",
        context={},
        failure="The order link for order {number} could not be sent",
    )

"""Mail about orders. Sending never raises: a mail server that is down must not undo a payment."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from website.models import SiteSettings

logger = logging.getLogger(__name__)


def send_receipt(order):
    """Email the receipt (with download links for digital items). True when sent."""
    from .models import Order

    site_settings = SiteSettings.objects.filter(site__is_default_site=True).first() or SiteSettings()
    site = site_settings.site if site_settings.pk else None
    context = {
        "order": order,
        "lines": order.lines.prefetch_related("grants__document"),
        "site_settings": site_settings,
        "root_url": site.root_url if site else "",
    }
    message = EmailMultiAlternatives(
        subject=f"Your {site_settings.brand_name} order {order.number}",
        body=render_to_string("checkout/email/receipt.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
        reply_to=[site_settings.contact_email] if site_settings.contact_email else None,
    )
    message.attach_alternative(render_to_string("checkout/email/receipt.html", context), "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("Receipt for order %s could not be sent; the order stays paid", order.number)
        return False
    Order.objects.filter(pk=order.pk).update(receipt_sent_at=timezone.now())
    return True

"""Mail about orders. Sending never raises: a mail server that is down must not undo a payment.

Every message goes to the order's own address, never to one typed into a form, and its links are absolute,
built from the default site's root URL."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from website.models import SiteSettings

logger = logging.getLogger(__name__)


def _site():
    site_settings = SiteSettings.objects.filter(site__is_default_site=True).first() or SiteSettings()
    site = site_settings.site if site_settings.pk else None
    return site_settings, site.root_url if site else ""


def _send(order, *, subject, template, context, failure):
    """Render templates/checkout/email/<template>.txt and .html and send them to the order's address."""
    site_settings, root_url = _site()
    context = {"order": order, "site_settings": site_settings, "root_url": root_url, **context}
    message = EmailMultiAlternatives(
        subject=subject.format(brand=site_settings.brand_name, number=order.number),
        body=render_to_string(f"checkout/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[order.email],
        reply_to=[site_settings.contact_email] if site_settings.contact_email else None,
    )
    message.attach_alternative(render_to_string(f"checkout/email/{template}.html", context), "text/html")
    try:
        message.send()
    except Exception:
        logger.exception(failure.format(number=order.number))
        return False
    return True


def send_receipt(order):
    """Email the receipt, with a link for each file bought. True when sent."""
    from .downloads import file_links
    from .models import Order

    sent = _send(
        order,
        subject="Your {brand} order {number}",
        template="receipt",
        context={"lines": order.lines.all(), "files": file_links(order)},
        failure="Receipt for order {number} could not be sent; the order stays paid",
    )
    if not sent:
        return False
    Order.objects.filter(pk=order.pk).update(receipt_sent_at=timezone.now())
    return True


def send_download_link(grant):
    """Email a renewed download link to the address the order was placed with."""
    from .downloads import file_links

    order = grant.line.order
    link = next(link for link in file_links(order) if link.grant.pk == grant.pk)
    return _send(
        order,
        subject="A fresh download link for your {brand} order {number}",
        template="download_link",
        context={"link": link},
        failure="A renewed download link for order {number} could not be sent",
    )


def send_order_link(order):
    """Email the private link to the order's page ("find my order")."""
    return _send(
        order,
        subject="Your {brand} order {number}",
        template="order_link",
        context={},
        failure="The order link for order {number} could not be sent",
    )

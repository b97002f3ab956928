"""Orders and what happens to them: lines snapshotted at checkout, the payment provider's events,
and the download grants a paid order earns."""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from website.countries import stripe_shipping_countries
from website.money import format_money

from .carriers import carrier_name, tracking_url

# Crockford's base32 without look-alikes (no I, L, O, U): order numbers are read aloud and typed.
ORDER_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_order_number():
    return "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(8))


def new_token():
    return secrets.token_urlsafe(32)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        # Checkout completed with a delayed method (SEPA debit, bank transfer): stock held until it clears.
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting bank payment"
        PAID = "paid", "Paid"
        REVIEW = "review", "Needs review"
        FAILED = "failed", "Payment failed"
        EXPIRED = "expired", "Expired"
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
        REFUNDED = "refunded", "Refunded"
        DISPUTED = "disputed", "Disputed"
        PARTIALLY_SHIPPED = "partially_shipped", "Partly shipped"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    # States in which the buyer may use what they bought (the lifecycle module says how states follow each other).
    ACCESS_STATES = {
        Status.PAID,
        Status.PARTIALLY_SHIPPED,
        Status.SHIPPED,
        Status.DELIVERED,
        Status.COMPLETED,
        Status.PARTIALLY_REFUNDED,
    }
    # What the customer's order pages show of its progress, fetched with it.
    PROGRESS_PREFETCH = ("status_changes", "shipments__lines")
    # States from which no payment can still complete the order.
    CLOSED_STATES = {Status.FAILED, Status.EXPIRED}
    # The one shipping choice of the flat rate (Site settings), and of orders placed before choices were kept.
    FLAT_RATE_NAME = "Standard shipping"

    number = models.CharField(max_length=12, unique=True, default=new_order_number, editable=False)
    access_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    email = models.EmailField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    shipping = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    # Stripe Tax: "exclusive" (added on top, then part of total) or "inclusive" (inside the prices) when the
    # checkout asked Stripe to compute tax, else empty; `tax` is what Stripe computed (total_details.amount_tax).
    tax_behavior = models.CharField(max_length=9, blank=True)
    tax = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    # What a promotion code took off at the payment provider: the buyer paid total - discount.
    discount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    promotion_code = models.CharField(
        max_length=255, blank=True, help_text="The code the buyer entered (its provider id until the code is known)."
    )
    refunded_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="The sum of the refunds the provider says succeeded."
    )
    # Bumped whenever the lines change, so a changed cart gets a new payment session (and idempotency key).
    revision = models.PositiveIntegerField(default=1)
    stock_reserved = models.BooleanField(default=False, help_text="Physical units are held for this order.")
    # Whose checkout holds the stock: one browser, address or email may hold only so many units (checkout/holds.py).
    held_by_session = models.CharField(max_length=40, blank=True, db_index=True)
    held_by_ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    payment_session_id = models.CharField(max_length=255, blank=True, db_index=True)
    payment_url = models.URLField(max_length=2000, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    review_reason = models.CharField(max_length=300, blank=True)
    shipping_address = models.JSONField(
        default=dict, blank=True, help_text="Name and address collected by the payment provider for physical goods."
    )
    # The shipping choices the payment page offered ([{"name", "amount"}], at most Stripe's 5; checkout/delivery/
    # rates.py) and the one the buyer took there: its name and the provider's shipping rate id.
    ship_to = models.CharField(max_length=2, blank=True, help_text="The country chosen at checkout, when zones apply.")
    shipping_options = models.JSONField(default=list, blank=True)
    shipping_method = models.CharField(max_length=100, blank=True)
    shipping_rate_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    # The visit that led to the sale, as the browser's session kept it (checkout/attribution.py): first and
    # last touch, each a landing path and its utm_source, utm_medium and utm_campaign. For reports only.
    touches = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment_session_id"],
                condition=~models.Q(payment_session_id=""),
                name="order_unique_payment_session",
            )
        ]

    def __str__(self):
        return f"Order {self.number}"

    def cancel_path(self) -> str:
        """Where the payment page's cancel link leads. The check ties it to this order, so a link from another
        site cannot release a shopper's checkout (a GET that changes state needs its own CSRF guard)."""
        query = urlencode({"order": self.number, "check": self._cancel_check()})
        return f"{reverse('checkout:cancelled')}?{query}"

    def cancel_check_matches(self, check):
        return constant_time_compare(check or "", self._cancel_check())

    def _cancel_check(self):
        return salted_hmac("checkout.order.cancel", f"{self.number}:{self.access_token}").hexdigest()[:32]

    @property
    def grants_access(self) -> bool:
        return self.status in self.ACCESS_STATES

    @property
    def total_display(self):
        return format_money(self.total, self.currency)

    @property
    def pending_refunds(self):
        """Refunds the provider has accepted but not yet paid out (they may still fail)."""
        return self.refunds.filter(status__in=["pending", "requires_action"])

    @property
    def known_promotion_code(self):
        """The code as the buyer typed it; "" while only the provider's promo_... id is known."""
        return "" if self.promotion_code.startswith("promo_") else self.promotion_code

    @property
    def pending_refund_amount(self):
        return sum((refund.amount for refund in self.pending_refunds), Decimal("0"))

    @property
    def dispute_display(self):
        """The latest chargeback's state, for the owner's lists; "" when there was none."""
        latest = self.disputes.last()
        return latest.get_status_display() if latest else ""

    @property
    def amount_paid(self) -> Decimal:
        """What the buyer was charged: the order's total less any promotion."""
        return self.total - self.discount

    @property
    def has_physical_lines(self) -> bool:
        return any(not line.is_digital for line in self.lines.all())

    @property
    def offered_shipping(self) -> list[dict]:
        """The shipping choices the payment page offers ({"name", "amount", "days_min", "days_max"}), first
        preselected."""
        if self.shipping_options:
            return self.shipping_options
        return [{"name": self.FLAT_RATE_NAME, "amount": str(self.shipping)}] if self.shipping else []

    @property
    def shipping_address_lines(self):
        """The collected address as the lines of a label: name, street, town, country."""
        address = self.shipping_address.get("address") or {}
        town = " ".join(filter(None, [address.get("postal_code"), address.get("city")]))
        parts = [
            self.shipping_address.get("name"),
            address.get("line1"),
            address.get("line2"),
            town,
            address.get("state"),
            address.get("country"),
        ]
        return [part for part in parts if part]


class OrderStatusChange(models.Model):
    """One step in an order's life: what it became, when, who did it (nobody for the payment provider) and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Order.Status.choices)
    to_status = models.CharField(max_length=20, choices=Order.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order_id}: {self.from_status} -> {self.to_status}"


class Shipment(models.Model):
    """A parcel: the order lines in it, the carrier and its tracking number."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="shipments")
    carrier = models.CharField(max_length=20)
    tracking_number = models.CharField(max_length=64, blank=True)
    shipped_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["shipped_at", "pk"]

    def __str__(self):
        return f"Shipment {self.pk} of order {self.order_id}"

    @property
    def carrier_name(self):
        return carrier_name(self.carrier)

    @property
    def tracking_url(self):
        return tracking_url(self.carrier, self.tracking_number)


class OrderLine(models.Model):
    """A product as it was sold: title, SKU and price are copied, so later page edits change nothing."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "products.ProductPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="order_lines"
    )
    title = models.CharField(max_length=255)
    sku = models.CharField("SKU", max_length=64)
    is_digital = models.BooleanField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    tax_code = models.CharField(max_length=14, blank=True, help_text="The product's Stripe tax code when sold.")
    quantity = models.PositiveIntegerField()
    refunded = models.BooleanField(default=False)
    shipment = models.ForeignKey("Shipment", null=True, blank=True, on_delete=models.SET_NULL, related_name="lines")
    # The page (and StreamField block) whose buy button put the product in the cart, for reports only. The id
    # is a plain number, not a foreign key, and the title and URL are copied, so a page deleted or moved since
    # still reports under its own row.
    source_page = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    source_title = models.CharField(max_length=255, blank=True)
    source_url = models.CharField(max_length=500, blank=True)
    source_block = models.CharField(max_length=36, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.quantity} × {self.title}"

    @classmethod
    def snapshot(cls, product, quantity: int, **fields) -> "OrderLine":
        """An unsaved line selling `quantity` of the product as its page stands now: title, SKU, kind and price
        copied. `fields` sets the rest (the order, for one)."""
        return cls(
            product=product,
            title=product.title,
            sku=product.sku,
            is_digital=product.is_digital,
            unit_price=product.price,
            tax_code=product.tax_code,
            quantity=quantity,
            **fields,
        )

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class PaymentEvent(models.Model):
    """Each provider event handled once: the event id is unique, so a redelivery finds its record."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    outcome = models.CharField(max_length=300, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class Refund(models.Model):
    """One refund in the ledger, keyed by the provider's refund id and kept up to date from its refund events.
    Only a succeeded refund counts as money given back; a pending one may still fail."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        REQUIRES_ACTION = "requires_action", "Needs the buyer's action"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        CANCELED = "canceled", "Cancelled"

    # A refund can arrive before its payment's checkout completes: it waits, order-less, for that order.
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="refunds")
    refund_id = models.CharField(max_length=255, unique=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUCCEEDED)
    failure_reason = models.CharField(max_length=100, blank=True)
    lines = models.ManyToManyField(OrderLine, blank=True, related_name="refunds")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Refund {self.refund_id}"

    @property
    def status_classname(self):
        """Wagtail's status tag colour: settled refunds plain, the ones to watch highlighted."""
        return "w-status--primary" if self.status != self.Status.SUCCEEDED else ""


class Dispute(models.Model):
    """A chargeback, keyed by the provider's dispute id: open ones and lost ones keep the buyer's access away."""

    class Status(models.TextChoices):
        WARNING_NEEDS_RESPONSE = "warning_needs_response", "Inquiry: needs a response"
        WARNING_UNDER_REVIEW = "warning_under_review", "Inquiry: under review"
        WARNING_CLOSED = "warning_closed", "Inquiry closed"
        NEEDS_RESPONSE = "needs_response", "Needs a response"
        UNDER_REVIEW = "under_review", "Under review"
        WON = "won", "Won"
        LOST = "lost", "Lost"
        PREVENTED = "prevented", "Prevented"

    # Settled in the shop's favour (or never a chargeback): the buyer's access comes back.
    SETTLED_FOR_SHOP = {Status.WON, Status.WARNING_CLOSED, Status.PREVENTED}

    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.CASCADE, related_name="disputes")
    dispute_id = models.CharField(max_length=255, unique=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=30, choices=Status.choices)
    reason = models.CharField(max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Dispute {self.dispute_id}"

    @property
    def status_classname(self):
        return "w-status--primary" if self.keeps_access_away else ""

    @property
    def keeps_access_away(self) -> bool:
        return self.status not in self.SETTLED_FOR_SHOP


class DownloadGrant(models.Model):
    """The right to download one file of one paid order line, a limited number of times until it expires."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="grants")
    document = models.ForeignKey("website.PrivateDocument", on_delete=models.PROTECT, related_name="grants")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    expires_at = models.DateTimeField()
    max_downloads = models.PositiveIntegerField()
    download_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["line", "document"], name="one_grant_per_line_file")]

    def __str__(self):
        return f"{self.document.title} for order {self.line.order.number}"

    def get_absolute_url(self):
        return reverse("checkout:download", args=[self.token])

    @classmethod
    def expiry_from_now(cls, days: int) -> datetime:
        return timezone.now() + timedelta(days=days)

    @property
    def downloads_left(self) -> int:
        return max(self.max_downloads - self.download_count, 0)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class DownloadLog(models.Model):
    """One file handed out: who asked, from where, and how much was sent."""

    grant = models.ForeignKey(DownloadGrant, on_delete=models.CASCADE, related_name="logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="download_logs"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    bytes_sent = models.BigIntegerField(
        null=True, blank=True, help_text="The file's size; the web server or storage may send it for us."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Download of grant {self.grant_id} at {self.created_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """An email owed to someone about an order. It is stored with the change that causes it, so a mail server
    that is down loses nothing: `send_notifications` tries again until it goes."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Receipt (paid)"
        SHIPPED = "shipped", "Shipped"
        DELIVERED = "delivered", "Delivered"
        REFUNDED = "refunded", "Refunded"
        OWNER_NEW_ORDER = "owner_new_order", "New order (owner)"
        OWNER_PAYMENT_PROBLEM = "owner_payment_problem", "Payment problem (owner)"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.EmailField()
    # What the message is about beyond the order: {"shipment": id} or {"refund": id}.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} for order {self.order_id} to {self.recipient}"


class TestPaymentSession(models.Model):
    """The local stand-in for a Stripe Checkout Session, used only with DEBUG on and no Stripe keys."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETE = "complete", "Complete"
        EXPIRED = "expired", "Expired"

    session_id = models.CharField(max_length=64, unique=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="test_sessions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    payment_status = models.CharField(max_length=20, default="unpaid")
    amount_total = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    success_url = models.URLField(max_length=2000)
    cancel_url = models.URLField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.session_id


class SavedCart(models.Model):
    """A signed-in shopper's cart, so it follows them to another device and survives logging out."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_cart")
    items = models.JSONField(default=dict, help_text="Product id (as text) -> quantity.")
    sources = models.JSONField(default=dict, blank=True, help_text="Product id (as text) -> the page that sold it.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Cart of {self.user}"


class ShippingZone(ClusterableModel):
    """Countries that share shipping rates. With no zone at all, Site settings' "ships to" and flat rate are the
    one zone (checkout/delivery/rates.py)."""

    name = models.CharField(max_length=100)
    countries = models.CharField(
        max_length=1000, help_text="Two-letter country codes separated by commas (DE, FR, NL)."
    )

    panels = [FieldPanel("name"), FieldPanel("countries"), InlinePanel("rates", heading="Rates", label="Rate")]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def country_codes(self) -> list[str]:
        return [code.strip().upper() for code in self.countries.split(",") if code.strip()]

    def clean(self):
        codes = self.country_codes
        if not codes:
            raise ValidationError({"countries": "Name at least one country."})
        if refused := [code for code in codes if code not in stripe_shipping_countries()]:
            raise ValidationError({"countries": f"The payment provider cannot ship to {', '.join(refused)}."})
        taken = {
            code: zone.name
            for zone in ShippingZone.objects.exclude(pk=self.pk)
            for code in zone.country_codes
            if code in codes
        }
        if taken:
            listed = ", ".join(f"{code} ({name})" for code, name in taken.items())
            raise ValidationError({"countries": f"Already in another zone: {listed}. A country belongs to one zone."})


class ShippingRate(Orderable):
    """One choice the payment page offers in its zone, when the order fits the rate's value and weight limits."""

    zone = ParentalKey(ShippingZone, on_delete=models.CASCADE, related_name="rates")
    name = models.CharField(max_length=100, help_text="What the buyer sees, e.g. Standard or Express.")
    price = models.DecimalField(max_digits=10, decimal_places=2, validators=[MinValueValidator(0)])
    free_over = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Free when the items come to at least this much. Empty: never free.",
    )  # fmt: skip
    min_order = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Offered only when the items come to at least this much.",
    )  # fmt: skip
    max_order = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)],
        help_text="Offered only when the items come to less than this.",
    )  # fmt: skip
    max_weight = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offered only when the parcel weighs at most this many grams."
    )
    days_min = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Delivery estimate, in business days."
    )
    days_max = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("price"), FieldPanel("free_over")]),
        FieldRowPanel([FieldPanel("min_order"), FieldPanel("max_order"), FieldPanel("max_weight")]),
        FieldRowPanel([FieldPanel("days_min"), FieldPanel("days_max")]),
    ]

    def __str__(self):
        return f"{self.zone}: {self.name}"

    def clean(self):
        if self.min_order is not None and self.max_order is not None and self.min_order >= self.max_order:
            raise ValidationError({"max_order": "Make this more than the minimum order."})
        if self.days_min and self.days_max and self.days_min > self.days_max:
            raise ValidationError({"days_max": "Make this at least the minimum days."})


class AbandonedCheckout(models.Model):
    """A checkout that expired unpaid, whose buyer agreed on Stripe's page to hear from the shop: one reminder
    email with a link that puts its items back in the cart (checkout.recovery)."""

    class State(models.TextChoices):
        WAITING = "waiting", "Waiting to remind"
        SENT = "sent", "Reminder sent"
        SKIPPED = "skipped", "No reminder (paid, or too old)"

    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="abandoned_checkout")
    email = models.EmailField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    abandoned_at = models.DateTimeField(default=timezone.now, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "abandoned_at"])]

    def __str__(self) -> str:
        return f"Abandoned checkout of order {self.order.number} ({self.get_state_display()})"

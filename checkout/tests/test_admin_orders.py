"""The owner's Orders screens in the Wagtail admin: the list, its filters, search and CSV export, the order
page, refunds started from it, and who may see and do what."""

import csv
import io
import json
import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from accounts.factories import UserFactory
from checkout.models import DownloadGrant, Order, OrderLine, PaymentEvent, Refund
from checkout.tests.test_checkout import add, bought, completed, deliver, start_checkout
from products.factories import ProductFileFactory, ProductPageFactory
from website.tests.html import soup, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

INDEX = "/admin/shop/orders/"


def inspect_url(order):
    return reverse("shop_orders:inspect", args=[order.pk])


def make_order(number, *, email="buyer@example.com", status=Order.Status.PAID, total="10.00", created=None, **extra):
    order = Order.objects.create(
        number=number,
        email=email,
        status=status,
        currency="USD",
        subtotal=Decimal(total),
        total=Decimal(total),
        paid_at=timezone.now() if status == Order.Status.PAID else None,
        **extra,
    )
    if created:
        Order.objects.filter(pk=order.pk).update(created_at=created)
    return order


def admin_user(*codenames):
    """A Wagtail admin user who holds only the given permissions."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def assert_denied(response):
    """Wagtail's answer to a missing permission: back to the dashboard, with "Sorry, you do not have permission"."""
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def sidebar_labels(response):
    """The labels of the admin's sidebar menu, read from the props the sidebar is built from."""
    props = json.loads(soup(response).find(id="wagtail-sidebar-props").string)
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return labels


@pytest.fixture
def guide(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product, document__title="Field Guide PDF")
    return product


@pytest.fixture
def brushes(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Brush Pack", sku="BR-1", price=Decimal("5.00"))
    ProductFileFactory(page=product, document__title="Brushes ZIP")
    return product


@pytest.fixture
def mug(product_index, site_settings):
    site_settings.shipping_rate = Decimal("6.00")
    site_settings.save()
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=3
    )


@pytest.fixture
def stripe_order(fake_stripe, guide, brushes):
    """An order for the guide and the brushes, paid through (fake) Stripe."""
    shopper = Client()
    order, session = bought(shopper, fake_stripe, guide, brushes)
    completed(shopper, fake_stripe, session["id"])
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED  # both are digital
    return order


@pytest.fixture
def local_payments(settings):
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""


def paid_locally(*products, email="buyer@example.com"):
    """Buy through the local test-payment page, as the demo does without Stripe keys."""
    shopper = Client()
    for product in products:
        add(shopper, product)
    payment_page = start_checkout(shopper, email)["Location"]
    success = shopper.post(payment_page, {"action": "pay"})["Location"]
    shopper.get(success)
    order = Order.objects.get(email=email)
    assert order.grants_access
    return order


def refund(client, order, *lines, whole_order=False, confirm=True):
    data = {"lines": [line.pk for line in lines]}
    if whole_order:
        data["whole_order"] = "1"
    if confirm:
        data["confirm"] = "1"
    return client.post(inspect_url(order), data)


# -- The list ------------------------------------------------------------------------------------


def test_the_list_shows_orders_newest_first(editor_client):
    make_order("OLDER001", total="8.20", created=timezone.now() - timedelta(days=3))
    make_order("NEWER001", email="late@example.com", status=Order.Status.PENDING, total="1234.50")

    response = editor_client.get(INDEX)

    assert response.status_code == 200
    rows = [text_of(row) for row in soup(response).select("tbody tr")]
    assert len(rows) == 2
    assert rows[0].startswith("NEWER001") and "late@example.com" in rows[0]
    assert "Awaiting payment" in rows[0] and "$1,234.50" in rows[0]
    assert rows[1].startswith("OLDER001") and "Paid" in rows[1] and "$8.20" in rows[1]


def test_the_list_filters_by_status_and_created_date(editor_client):
    make_order("PAID0001")
    make_order("FAIL0001", status=Order.Status.FAILED)
    make_order("OLDPAID1", created=timezone.make_aware(datetime(2024, 3, 10, 12)))

    by_status = editor_client.get(INDEX, {"status": ["paid"]})
    by_date = editor_client.get(INDEX, {"created_at_from": "2024-03-01", "created_at_to": "2024-03-31"})

    assert "PAID0001" in by_status.text and "OLDPAID1" in by_status.text and "FAIL0001" not in by_status.text
    assert "OLDPAID1" in by_date.text and "PAID0001" not in by_date.text and "FAIL0001" not in by_date.text


@pytest.mark.parametrize(("query", "found"), [("ABCD1234", "ABCD1234"), ("cd12", "ABCD1234"), ("ruth@", "ZZZZ9999")])
def test_the_list_searches_number_and_email(editor_client, query, found):
    make_order("ABCD1234")
    make_order("ZZZZ9999", email="ruth@example.com")

    response = editor_client.get(INDEX, {"q": query})

    rows = soup(response).select("tbody tr")
    assert [text_of(row).split()[0] for row in rows] == [found]


def test_the_csv_export_holds_the_filtered_orders(editor_client):
    paid = make_order(
        "PAID0001",
        total="22.70",
        refunded_amount=Decimal("5.00"),
        shipping=Decimal("6.00"),
        discount=Decimal("2.27"),
        promotion_code="SPRING10",
    )
    paid.refunds.create(refund_id="re_pending", amount=Decimal("1.00"), status=Refund.Status.PENDING)
    paid.disputes.create(dispute_id="dp_1", amount=Decimal("20.43"), status="lost")
    make_order("FAIL0001", status=Order.Status.FAILED)

    response = editor_client.get(INDEX, {"status": ["paid"], "export": "csv"})

    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    assert 'filename="orders.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [
        "Number",
        "Email",
        "Status",
        "Currency",
        "Subtotal",
        "Shipping",
        "Shipping choice",
        "Ship to country",
        "Tax",
        "Tax in prices",
        "Total",
        "Discount",
        "Promotion code",
        "Paid",
        "Refunded",
        "Refund pending",
        "Dispute",
        "Created at",
        "Paid at",
    ]
    assert (row["Number"], row["Email"], row["Status"], row["Currency"]) == (
        "PAID0001",
        "buyer@example.com",
        "Paid",
        "USD",
    )
    assert (row["Shipping"], row["Total"], row["Refunded"]) == ("6.00", "22.70", "5.00")
    assert (row["Discount"], row["Promotion code"], row["Paid"]) == ("2.27", "SPRING10", "20.43")
    assert (row["Refund pending"], row["Dispute"]) == ("1.00", "Lost")
    assert datetime.fromisoformat(row["Created at"]) == Order.objects.get(number="PAID0001").created_at.replace(
        microsecond=0
    )


def test_an_email_that_looks_like_a_formula_is_exported_as_text(editor_client):
    make_order("PAID0001", email="=1+2@example.com")

    response = editor_client.get(INDEX, {"export": "csv"})

    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    assert row["Email"] == "'=1+2@example.com"


def test_only_csv_is_offered(editor_client):
    make_order("PAID0001")

    page = editor_client.get(INDEX)
    xlsx = editor_client.get(INDEX, {"export": "xlsx"})

    assert "Download CSV" in page.text and "XLSX" not in page.text
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("text/html")


def test_orders_cannot_be_added_edited_or_deleted(editor_client):
    order = make_order("PAID0001")

    for name, args in [("add", []), ("edit", [order.pk]), ("delete", [order.pk]), ("copy", [order.pk])]:
        with pytest.raises(NoReverseMatch):
            reverse(f"shop_orders:{name}", args=args)
    for path in ["new/", f"edit/{order.pk}/", f"delete/{order.pk}/", f"copy/{order.pk}/", f"history/{order.pk}/"]:
        assert editor_client.get(INDEX + path).status_code == 404
        assert editor_client.post(INDEX + path).status_code == 404
    for url in [INDEX, inspect_url(order)]:
        main = soup(editor_client.get(url)).find("main")
        assert not {"Add order", "Edit", "Delete", "Copy"} & set(text_of(main).split(" "))
        assert not [
            a["href"] for a in main.find_all("a", href=True) if re.search(r"/(new|edit|delete|copy)/", a["href"])
        ]
    assert Order.objects.filter(pk=order.pk).exists()


# -- The order page ------------------------------------------------------------------------------


def test_the_order_page_shows_lines_downloads_and_payment_events(editor_client, stripe_order):
    response = editor_client.get(inspect_url(stripe_order))

    assert response.status_code == 200
    page = soup(response)
    lines = [text_of(row) for row in page.find(id="order-lines").find_parent("section").select("tbody tr")]
    assert lines == [
        "Field Guide Digital EBOOK-1 $8.20 1 $8.20 No",
        "Brush Pack Digital BR-1 $5.00 1 $5.00 No",
    ]
    downloads = text_of(page.find(id="order-downloads").find_parent("section"))
    assert "Field Guide PDF Field Guide 0 of" in downloads and "Brushes ZIP Brush Pack 0 of" in downloads
    event = PaymentEvent.objects.get(order=stripe_order)
    events = text_of(page.find(id="order-events").find_parent("section"))
    assert f"checkout.session.completed {event.event_id} fulfilled" in events
    facts = text_of(page.find(id="order-facts").find_parent("section"))
    assert "Paid" in facts and "$13.20" in facts and stripe_order.payment_intent_id in facts


def test_the_order_page_shows_the_discount_each_refunds_state_and_disputes(editor_client):
    order = make_order(
        "DISC0001", total="20.00", discount=Decimal("2.00"), promotion_code="SPRING10", payment_intent_id="pi_1"
    )
    order.refunds.create(refund_id="re_wait", amount=Decimal("3.00"), status=Refund.Status.PENDING)
    order.refunds.create(
        refund_id="re_bounced",
        amount=Decimal("4.00"),
        status=Refund.Status.FAILED,
        failure_reason="lost_or_stolen_card",
    )
    order.disputes.create(dispute_id="dp_1", amount=Decimal("18.00"), status="won", reason="fraudulent")

    page = soup(editor_client.get(inspect_url(order)))

    facts = text_of(page.find(id="order-facts").find_parent("section"))
    assert "Discount $2.00 (promotion code SPRING10)" in facts and "Paid $18.00" in facts
    refunds = text_of(page.find(id="order-refunds").find_parent("section"))
    assert "re_wait $3.00 Pending" in refunds and "re_bounced $4.00 Failed (lost_or_stolen_card)" in refunds
    disputes = text_of(page.find(id="order-disputes").find_parent("section"))
    assert "dp_1 $18.00 fraudulent Won" in disputes


def test_an_order_needing_review_shows_why(editor_client):
    order = make_order("REVIEW01", status=Order.Status.REVIEW, review_reason="amount mismatch: paid 100 USD")

    page = soup(editor_client.get(inspect_url(order)))

    assert text_of(page.find(role="alert")) == "Needs review: amount mismatch: paid 100 USD"
    assert page.find(id="refund") is None


# -- Refunds -------------------------------------------------------------------------------------


def test_a_refund_is_confirmed_before_anything_is_sent(editor_client, fake_stripe, stripe_order):
    brush_line = stripe_order.lines.get(sku="BR-1")
    sent_before = len(fake_stripe.requests)

    response = refund(editor_client, stripe_order, brush_line, confirm=False)

    assert response.status_code == 200
    form = soup(response).find(id="refund")
    assert "Refund $5.00 to buyer@example.com for Brush Pack?" in text_of(form)
    assert form.find("input", {"name": "confirm"}) and form.find(
        "input", {"name": "lines", "value": str(brush_line.pk)}
    )
    assert len(fake_stripe.requests) == sent_before


def test_a_stripe_refund_waits_for_the_webhook(editor_client, superuser, fake_stripe, stripe_order):
    brush_line = stripe_order.lines.get(sku="BR-1")

    response = refund(editor_client, stripe_order, brush_line)

    assert response.status_code == 302 and response["Location"] == inspect_url(stripe_order)
    request = fake_stripe.requests[-1]
    assert (request["method"], request["path"]) == ("POST", "/v1/refunds")
    assert request["params"]["amount"] == "500"
    assert request["params"]["payment_intent"] == stripe_order.payment_intent_id
    assert request["params"]["metadata"] == {"order": stripe_order.number, "lines": str(brush_line.pk)}
    followed = editor_client.get(response["Location"])
    assert "once Stripe confirms it" in followed.text
    stripe_order.refresh_from_db()
    assert stripe_order.status == Order.Status.COMPLETED and stripe_order.refunded_amount == 0
    assert not OrderLine.objects.filter(refunded=True).exists() and not Refund.objects.exists()
    entry = ModelLogEntry.objects.for_instance(stripe_order).get()
    assert entry.action == "pagecart.refund_requested" and entry.user == superuser

    (refund_object,) = fake_stripe.refunds.values()
    deliver(editor_client, fake_stripe, fake_stripe.event("refund.created", refund_object))

    stripe_order.refresh_from_db()
    assert stripe_order.status == Order.Status.PARTIALLY_REFUNDED
    assert stripe_order.refunded_amount == Decimal("5.00")
    assert list(stripe_order.lines.filter(refunded=True).values_list("sku", flat=True)) == ["BR-1"]
    assert list(DownloadGrant.objects.filter(revoked_at__isnull=False).values_list("line__sku", flat=True)) == ["BR-1"]
    refunds = text_of(soup(editor_client.get(inspect_url(stripe_order))).find(id="order-refunds").find_parent())
    assert f"{refund_object['id']} $5.00 Succeeded Brush Pack" in refunds


def test_a_stripe_failure_is_shown_and_changes_nothing(editor_client, fake_stripe, stripe_order):
    # stripe-python retries a 500 twice, so the fake fails all three attempts.
    fake_stripe.fail_next("/v1/refunds", status=500, times=3)

    response = refund(editor_client, stripe_order, *stripe_order.lines.all(), whole_order=True)

    assert response.status_code == 200
    assert "Stripe had a problem with the refund, so it may not have been made." in text_of(
        soup(response).find(id="refund")
    )
    stripe_order.refresh_from_db()
    assert stripe_order.status == Order.Status.COMPLETED and not Refund.objects.exists()
    assert not ModelLogEntry.objects.for_instance(stripe_order).exists()


def test_a_local_refund_of_one_line_applies_at_once(editor_client, local_payments, guide, brushes):
    order = paid_locally(guide, brushes)
    brush_line = order.lines.get(sku="BR-1")

    response = refund(editor_client, order, brush_line)

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED and order.refunded_amount == Decimal("5.00")
    assert list(order.lines.filter(refunded=True)) == [brush_line]
    assert list(Refund.objects.get(order=order).lines.all()) == [brush_line]
    assert not DownloadGrant.objects.filter(line=brush_line, revoked_at__isnull=True).exists()
    assert DownloadGrant.objects.filter(line__sku="EBOOK-1", revoked_at__isnull=True).exists()
    assert "Refunded $5.00" in editor_client.get(response["Location"]).text


def test_refunding_the_whole_order_includes_shipping(editor_client, local_payments, guide, mug):
    order = paid_locally(guide, mug)
    assert order.total == Decimal("28.70")

    preview = refund(editor_client, order, whole_order=True, confirm=False)
    assert "Refund $28.70 to buyer@example.com for Field Guide, Studio Mug?" in text_of(soup(preview).find(id="refund"))
    refund(editor_client, order, whole_order=True)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.refunded_amount == Decimal("28.70")
    assert order.lines.filter(refunded=False).count() == 0


def test_the_last_line_brings_the_shipping_with_it(editor_client, local_payments, guide, mug):
    order = paid_locally(guide, mug)
    refund(editor_client, order, order.lines.get(sku="EBOOK-1"))

    refund(editor_client, order, order.lines.get(sku="MUG-1"))

    order.refresh_from_db()
    assert [refund.amount for refund in order.refunds.order_by("pk")] == [Decimal("8.20"), Decimal("20.50")]
    assert order.status == Order.Status.REFUNDED


def test_a_line_cannot_be_refunded_twice(editor_client, local_payments, guide, brushes):
    order = paid_locally(guide, brushes)
    brush_line = order.lines.get(sku="BR-1")
    refund(editor_client, order, brush_line)

    response = refund(editor_client, order, brush_line)

    assert response.status_code == 200
    assert "Already refunded: Brush Pack." in text_of(soup(response).find(id="refund"))
    order.refresh_from_db()
    assert order.refunds.count() == 1 and order.refunded_amount == Decimal("5.00")


def test_lines_of_another_order_are_refused(editor_client, local_payments, guide, brushes):
    order = paid_locally(guide)
    other = paid_locally(brushes, email="other@example.com")

    response = refund(editor_client, order, other.lines.get())

    assert response.status_code == 200
    assert "Select a valid choice" in text_of(soup(response).find(id="refund"))
    assert not Refund.objects.exists()


def test_choosing_nothing_is_refused(editor_client, local_payments, guide):
    order = paid_locally(guide)

    response = refund(editor_client, order)

    assert "Choose the lines to refund, or refund the whole order." in response.text
    assert not Refund.objects.exists()


def test_the_last_lines_refund_only_what_is_left_of_the_payment():
    from checkout.payments.refunds import check_refund

    # $3 went back from Stripe's dashboard, tied to no line; the rest of the order is refunded from the admin.
    order = make_order(
        "PART0001",
        status=Order.Status.PARTIALLY_REFUNDED,
        total="26.00",
        shipping=Decimal("6.00"),
        refunded_amount=Decimal("3.00"),
        payment_intent_id="pi_1",
    )
    Refund.objects.create(order=order, refund_id="re_dashboard", payment_intent_id="pi_1", amount=Decimal("3.00"))
    lines = [
        OrderLine.objects.create(
            order=order, title=title, sku=title, is_digital=True, unit_price=Decimal("10.00"), quantity=1
        )
        for title in ("A", "B")
    ]

    assert check_refund(order, lines[:1]) == ([lines[0]], Decimal("10.00"))
    assert check_refund(order, lines) == (lines, Decimal("23.00"))


def test_an_unpaid_order_cannot_be_refunded(editor_client, local_payments):
    order = make_order("PEND0001", status=Order.Status.PENDING)
    line = OrderLine.objects.create(
        order=order, title="Mug", sku="MUG-1", is_digital=False, unit_price=Decimal("10.00"), quantity=1
    )

    assert soup(editor_client.get(inspect_url(order))).find(id="refund") is None
    response = refund(editor_client, order, line)

    assert "Only paid orders can be refunded; this one is awaiting payment." in response.text
    assert not Refund.objects.exists()


# -- Who may see and do what ---------------------------------------------------------------------


def test_an_editor_without_the_view_permission_sees_no_orders(stripe_order):
    editor = client_for(admin_user())

    assert_denied(editor.get(INDEX))
    assert_denied(editor.get(INDEX, {"export": "csv"}))
    assert_denied(editor.get(inspect_url(stripe_order)))
    assert_denied(refund(editor, stripe_order, stripe_order.lines.first()))
    assert "Sorry, you do not have permission" in editor.get(reverse("wagtailadmin_home")).text
    labels = sidebar_labels(editor.get(reverse("wagtailadmin_home")))
    assert "Orders" not in labels and "Shop" not in labels


def test_a_viewer_sees_orders_but_cannot_refund(fake_stripe, stripe_order):
    viewer = client_for(admin_user("view_order"))

    assert viewer.get(INDEX).status_code == 200
    detail = viewer.get(inspect_url(stripe_order))
    assert detail.status_code == 200 and soup(detail).find(id="refund") is None
    assert_denied(refund(viewer, stripe_order, stripe_order.lines.first()))
    assert not any(request["path"] == "/v1/refunds" for request in fake_stripe.requests)
    assert "Orders" in sidebar_labels(viewer.get(reverse("wagtailadmin_home")))


def test_the_change_permission_allows_refunds(local_payments, guide):
    order = paid_locally(guide)
    owner = client_for(admin_user("view_order", "change_order"))

    assert soup(owner.get(inspect_url(order))).find(id="refund") is not None
    assert refund(owner, order, order.lines.get()).status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED


def test_the_superuser_menu_has_orders_under_shop(editor_client):
    labels = sidebar_labels(editor_client.get(reverse("wagtailadmin_home")))

    assert labels.index("Shop") < labels.index("Orders")


def test_a_refund_needs_a_csrf_token(superuser, local_payments, guide):
    order = paid_locally(guide)
    client = client_for(superuser, enforce_csrf_checks=True)

    response = refund(client, order, order.lines.get())

    assert response.status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and not Refund.objects.exists()

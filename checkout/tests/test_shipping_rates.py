"""Shipping zones and rates: which choices a checkout offers (country, order value, weight, free threshold, at
most Stripe's 5), how they reach Stripe Checkout, and how fulfilment reads the buyer's choice back."""

from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from checkout.delivery import rates
from checkout.exceptions import CartError
from checkout.models import Order, ShippingRate, ShippingZone
from checkout.payments import fulfilment
from products.factories import ProductFileFactory, ProductPageFactory
from website.tests.html import soup

from .shopping import deliver, mail_to
from .test_admin_orders import inspect_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]


@pytest.fixture
def europe(shop):
    zone = ShippingZone.objects.create(name="Europe", countries="DE, FR, NL")
    ShippingRate.objects.create(
        zone=zone, sort_order=0, name="Standard", price=Decimal("5.00"), free_over=Decimal("50")
    )
    ShippingRate.objects.create(zone=zone, sort_order=1, name="Express", price=Decimal("15.00"), days_min=1, days_max=2)
    ShippingRate.objects.create(
        zone=zone, sort_order=2, name="Heavy parcel", price=Decimal("25.00"), min_order=Decimal("100")
    )
    ShippingRate.objects.create(zone=zone, sort_order=3, name="Letter", price=Decimal("2.00"), max_weight=100)
    return zone


@pytest.fixture
def mug(product_index, shop):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), kind="physical", stock=9,
        weight=350,
    )  # fmt: skip


@pytest.fixture
def postcard(product_index, shop):
    return ProductPageFactory(
        parent=product_index, title="Postcard", sku="CARD-1", price=Decimal("3.00"), kind="physical", stock=9, weight=20
    )


@pytest.fixture
def guide(product_index, shop):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="EBOOK-1", price=Decimal("8.20"))
    ProductFileFactory(page=product)
    return product


def offered(lines, shop, ship_to="DE"):
    return [(choice.name, choice.amount) for choice in rates.quote(lines, ship_to=ship_to, site_settings=shop).choices]


# -- Which choices an order gets --------------------------------------------------------------------------


def test_without_zones_the_flat_rate_ships_to_the_site_settings_countries(shop, mug):
    quote = rates.quote([(mug, 1)], ship_to="", site_settings=shop)
    assert [(choice.name, choice.amount) for choice in quote.choices] == [("Standard shipping", Decimal("6.00"))]
    assert quote.countries == ("GB", "US")


def test_a_digital_order_ships_nothing(europe, shop, guide):
    assert rates.quote([(guide, 1)], ship_to="", site_settings=shop) == rates.NOTHING_TO_SHIP


def test_a_zone_offers_its_rates_that_fit_in_their_order(europe, shop, mug):
    quote = rates.quote([(mug, 2)], ship_to="de", site_settings=shop)
    assert [choice.name for choice in quote.choices] == ["Standard", "Express"]
    assert quote.countries == ("DE",) and quote.ship_to == "DE"
    assert (quote.choices[1].days_min, quote.choices[1].days_max) == (1, 2)


def test_a_rate_is_free_from_its_threshold(europe, shop, mug):
    assert offered([(mug, 3)], shop)[0] == ("Standard", Decimal("5.00"))  # 43.50
    assert offered([(mug, 4)], shop)[0] == ("Standard", Decimal("0"))  # 58.00


def test_a_rate_with_a_minimum_order_value_waits_for_it(europe, shop, mug):
    assert "Heavy parcel" not in dict(offered([(mug, 6)], shop))  # 87.00
    assert dict(offered([(mug, 7)], shop))["Heavy parcel"] == Decimal("25.00")  # 101.50


def test_a_rate_with_a_maximum_order_value_stops_at_it(europe, shop, mug):
    europe.rates.filter(name="Express").update(max_order=Decimal("29.00"))
    assert "Express" in dict(offered([(mug, 1)], shop))
    assert "Express" not in dict(offered([(mug, 2)], shop))  # 29.00: the maximum is not included


def test_a_rate_with_a_weight_limit_takes_parcels_up_to_it(europe, shop, mug, postcard):
    assert "Letter" in dict(offered([(postcard, 5)], shop))  # 100 g
    assert "Letter" not in dict(offered([(postcard, 6)], shop))  # 120 g
    assert "Letter" not in dict(offered([(postcard, 1), (mug, 1)], shop))  # 370 g


def test_at_most_five_choices_reach_the_payment_page(europe, shop, postcard):
    for n in range(3):
        ShippingRate.objects.create(zone=europe, sort_order=10 + n, name=f"Courier {n}", price=Decimal("9"))
    assert [name for name, _ in offered([(postcard, 1)], shop)] == [
        "Standard", "Express", "Letter", "Courier 0", "Courier 1"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("ship_to", "message"),
    [("", "Choose the country your order ships to."), ("JP", "We do not ship to JP.")],
)
def test_an_order_that_cannot_ship_is_refused_saying_why(europe, shop, mug, ship_to, message):
    with pytest.raises(CartError, match=message):
        rates.quote([(mug, 1)], ship_to=ship_to, site_settings=shop)


def test_an_order_no_rate_covers_is_refused(europe, shop, mug):
    europe.rates.all().update(max_weight=100)
    with pytest.raises(CartError, match="No shipping rate to DE covers this order"):
        rates.quote([(mug, 1)], ship_to="DE", site_settings=shop)


# -- The owner's settings -------------------------------------------------------------------------------


def test_a_country_belongs_to_one_zone(europe):
    with pytest.raises(ValidationError, match=r"Already in another zone: FR \(Europe\)"):
        ShippingZone(name="France", countries="FR").clean()


@pytest.mark.parametrize(
    ("countries", "message"), [(" , ", "Name at least one country"), ("DE, CU", "cannot ship to CU")]
)
def test_a_zone_needs_countries_stripe_ships_to(db, countries, message):
    with pytest.raises(ValidationError, match=message):
        ShippingZone(name="Somewhere", countries=countries).clean()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_order": Decimal("50"), "max_order": Decimal("50")}, "more than the minimum order"),
        ({"days_min": 5, "days_max": 2}, "at least the minimum days"),
    ],
)
def test_a_rate_s_limits_must_make_sense(europe, fields, message):
    with pytest.raises(ValidationError, match=message):
        ShippingRate(zone=europe, name="Odd", price=Decimal("1"), **fields).clean()


def test_the_owner_adds_a_zone_with_rates_in_the_admin(editor_client, shop):
    url = reverse("shop_shipping:add")
    form = {
        "name": "North America", "countries": "US, CA",
        "rates-TOTAL_FORMS": "1", "rates-INITIAL_FORMS": "0", "rates-MIN_NUM_FORMS": "0", "rates-MAX_NUM_FORMS": "1000",
        "rates-0-name": "Ground", "rates-0-price": "7.50", "rates-0-free_over": "", "rates-0-min_order": "",
        "rates-0-max_order": "", "rates-0-max_weight": "", "rates-0-days_min": "3", "rates-0-days_max": "6",
        "rates-0-ORDER": "1", "rates-0-id": "",
    }  # fmt: skip

    response = editor_client.post(url, form)

    assert response.status_code == 302, response.content[:2000]
    zone = ShippingZone.objects.get(name="North America")
    assert [(rate.name, rate.price, rate.days_max) for rate in zone.rates.all()] == [("Ground", Decimal("7.50"), 6)]


# -- Checkout, Stripe and fulfilment ----------------------------------------------------------------------


def check_out(client, *products, ship_to="DE"):
    for product in products:
        client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    return client.post(reverse("checkout:start"), {"email": "buyer@example.com", "ship_to": ship_to})


def placed(client, fake, *products, ship_to="DE"):
    response = check_out(client, *products, ship_to=ship_to)
    assert response.status_code == 303, response.content[:500]
    order = Order.objects.get(status=Order.Status.PENDING)
    return order, fake.sessions[order.payment_session_id]


def test_the_cart_asks_where_a_parcel_goes_when_zones_are_set_up(client, fake_stripe, europe, mug):
    client.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1})

    page = soup(client.get(reverse("checkout:cart")))

    options = page.find("select", attrs={"name": "ship_to"}).find_all("option")
    choices = [(option["value"], option.get_text(strip=True)) for option in options]
    assert choices == [("", "Choose a country"), ("FR", "France"), ("DE", "Germany"), ("NL", "Netherlands")]
    assert "Shipping is added on the payment page" in page.get_text()


def test_the_cart_of_a_digital_order_does_not_ask_for_a_country(client, fake_stripe, europe, guide):
    client.post(reverse("checkout:cart_add"), {"product": guide.pk, "quantity": 1})
    page = soup(client.get(reverse("checkout:cart")))
    assert page.find("input", attrs={"name": "email"}) and not page.find("select", attrs={"name": "ship_to"})


@pytest.mark.parametrize(("ship_to", "status"), [("", 400), ("JP", 400)])
def test_checking_out_without_a_covered_country_is_refused_and_holds_nothing(
    client, fake_stripe, europe, mug, ship_to, status
):
    response = check_out(client, mug, ship_to=ship_to)

    assert response.status_code == status
    assert not Order.objects.exists() and fake_stripe.sessions == {}
    assert soup(response).find("select", attrs={"name": "ship_to"}) is not None  # the form is shown again


def test_the_zone_s_choices_go_to_stripe_checkout_with_their_estimates(client, fake_stripe, europe, mug):
    order, session = placed(client, fake_stripe, mug)

    create = next(request for request in fake_stripe.requests if request["path"] == "/v1/checkout/sessions")
    standard, express = create["params"]["shipping_options"]
    assert standard["shipping_rate_data"]["display_name"] == "Standard"
    assert standard["shipping_rate_data"]["fixed_amount"] == {"amount": "500", "currency": "usd"}
    assert express["shipping_rate_data"]["delivery_estimate"] == {
        "minimum": {"unit": "business_day", "value": "1"},
        "maximum": {"unit": "business_day", "value": "2"},
    }
    assert create["params"]["shipping_address_collection"] == {"allowed_countries": ["DE"]}
    assert order.ship_to == "DE" and order.shipping == Decimal("5.00") and order.total == Decimal("19.50")
    assert session["amount_total"] == 1950


def test_fulfilment_takes_the_buyer_s_choice_into_the_order(client, fake_stripe, europe, mug):
    order, session = placed(client, fake_stripe, mug)
    express = session["shipping_options"][1]["shipping_rate"]

    paid = fake_stripe.complete_session(session["id"], shipping_option=1)
    outcome = deliver(fake_stripe, fake_stripe.event("checkout.session.completed", paid)).json()["outcome"]

    order.refresh_from_db()
    assert outcome == "fulfilled" and order.status == Order.Status.PAID
    assert (order.shipping_method, order.shipping, order.total) == ("Express", Decimal("15.00"), Decimal("29.50"))
    assert order.shipping_rate_id == express and order.amount_paid == Decimal("29.50")
    assert "Shipping (Express): $15.00" in mail_to("buyer@example.com")[0].body


def test_the_success_page_reads_the_choice_by_its_expanded_rate(client, fake_stripe, europe, mug):
    ShippingRate.objects.filter(name="Express").update(price=Decimal("5.00"))  # two choices at one price
    order, session = placed(client, fake_stripe, mug)
    fake_stripe.complete_session(session["id"], shipping_option=1)

    outcome = fulfilment.fulfil(session["id"])

    order.refresh_from_db()
    assert outcome.message == "fulfilled" and order.shipping_method == "Express"


def test_a_free_choice_shows_as_free_on_the_receipt_page(client, fake_stripe, europe, mug):
    for product in [mug] * 4:
        client.post(reverse("checkout:cart_add"), {"product": product.pk, "quantity": 1})
    order, session = placed(client, fake_stripe)
    deliver(fake_stripe, fake_stripe.event("checkout.session.completed", fake_stripe.complete_session(session["id"])))

    order.refresh_from_db()
    assert (order.shipping_method, order.shipping, order.total) == ("Standard", Decimal("0.00"), Decimal("58.00"))
    page = soup(client.get(reverse("checkout:order", args=[order.number, order.access_token])))
    assert "Shipping (Standard) Free" in " ".join(page.get_text(" ").split())


def test_shipping_the_order_never_offered_is_flagged_not_fulfilled(client, fake_stripe, europe, mug):
    order, session = placed(client, fake_stripe, mug)
    paid = fake_stripe.complete_session(session["id"])
    # Stripe reports a shipping charge the order's choices do not have (a rate changed in Stripe's dashboard).
    paid["shipping_cost"].update(amount_subtotal=900, amount_total=900)
    paid["amount_total"] = 1450 + 900

    outcome = deliver(fake_stripe, fake_stripe.event("checkout.session.completed", paid)).json()["outcome"]

    order.refresh_from_db()
    assert outcome.startswith("flagged for review") and order.status == Order.Status.REVIEW
    assert order.review_reason == "shipping mismatch: paid 900 USD for shipping, the order offered 5.00, 15.00 USD"
    assert not mail_to("buyer@example.com")


def test_a_total_that_does_not_add_up_with_the_chosen_shipping_is_flagged(client, fake_stripe, europe, mug):
    order, session = placed(client, fake_stripe, mug)
    paid = fake_stripe.complete_session(session["id"], shipping_option=1)
    paid["amount_total"] = 1450 + 500  # the preselected choice's total, with Express chosen

    deliver(fake_stripe, fake_stripe.event("checkout.session.completed", paid))

    order.refresh_from_db()
    assert order.status == Order.Status.REVIEW
    assert order.review_reason == "amount mismatch: paid 1950 USD, order total is 2950 USD"


def test_the_admin_order_page_and_csv_show_the_choice(client, fake_stripe, europe, mug, editor_client):
    order, session = placed(Client(), fake_stripe, mug)
    paid = fake_stripe.complete_session(session["id"], shipping_option=1)
    deliver(fake_stripe, fake_stripe.event("checkout.session.completed", paid))
    order.refresh_from_db()

    facts = " ".join(soup(editor_client.get(inspect_url(order))).get_text(" ").split())
    csv = editor_client.get(reverse("shop_orders:index") + "?export=csv")

    assert f"$15.00 (Express, to DE, {order.shipping_rate_id})" in facts
    header, row = b"".join(csv.streaming_content).decode().splitlines()[:2]
    assert "Shipping choice,Ship to country" in header and ",Express,DE," in row


def test_a_cart_changed_to_another_country_gets_a_new_payment_page(client, fake_stripe, europe, mug):
    order, session = placed(client, fake_stripe, mug)

    response = client.post(reverse("checkout:start"), {"email": "buyer@example.com", "ship_to": "FR"})

    assert response.status_code == 303
    order.refresh_from_db()
    assert order.ship_to == "FR" and order.revision == 2
    assert fake_stripe.sessions[session["id"]]["status"] == "expired"

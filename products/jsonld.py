"""schema.org Product/Offer for a product page, built as a plain dict."""

from datetime import date

from website.jsonld import organization_id
from website.money import quantize

SCHEMA = "https://schema.org/"


def availability(product):
    if not product.on_sale:
        return f"{SCHEMA}Discontinued"
    return f"{SCHEMA}InStock" if product.in_stock else f"{SCHEMA}OutOfStock"


RETURN_CATEGORIES = {
    "finite": f"{SCHEMA}MerchantReturnFiniteReturnWindow",
    "unlimited": f"{SCHEMA}MerchantReturnUnlimitedWindow",
    "none": f"{SCHEMA}MerchantReturnNotPermitted",
}
RETURN_FEES = {"free": f"{SCHEMA}FreeReturn", "customer": f"{SCHEMA}ReturnFeesCustomerResponsibility"}


def brand_node(brand, *, store_name, logo_url=None):
    """The product's Brand snippet, or the store itself for its own products."""
    if brand is None:
        return {"@type": "Brand", "name": store_name}
    node = {"@type": "Brand", "name": brand.name}
    if brand.url:
        node["url"] = brand.url
    if logo_url:
        node["logo"] = logo_url
    return node


def _days(low, high):
    return {"@type": "QuantitativeValue", "minValue": low, "maxValue": high, "unitCode": "DAY"}


def shipping_details_node(site_settings):
    """OfferShippingDetails from the store's flat rate, or None when the store has not set one."""
    countries = site_settings.shipping_countries
    if site_settings.shipping_rate is None or not countries:
        return None
    node = {
        "@type": "OfferShippingDetails",
        "shippingRate": {
            "@type": "MonetaryAmount",
            "value": str(quantize(site_settings.shipping_rate, site_settings.currency)),
            "currency": site_settings.currency,
        },
        "shippingDestination": [{"@type": "DefinedRegion", "addressCountry": code} for code in countries],
    }
    if site_settings.handling_days_max is not None and site_settings.transit_days_max is not None:
        node["deliveryTime"] = {
            "@type": "ShippingDeliveryTime",
            "handlingTime": _days(site_settings.handling_days_min, site_settings.handling_days_max),
            "transitTime": _days(site_settings.transit_days_min, site_settings.transit_days_max),
        }
    return node


def return_policy_node(site_settings, *, parcel=True):
    """MerchantReturnPolicy from the store's settings, or None when it has not stated one. A download goes back
    by no parcel: its policy names the window alone, without a return method or postage."""
    if not site_settings.return_policy or not site_settings.shipping_countries:
        return None
    countries = site_settings.shipping_countries
    node = {
        "@type": "MerchantReturnPolicy",
        "applicableCountry": countries[0] if len(countries) == 1 else countries,
        "returnPolicyCategory": RETURN_CATEGORIES[site_settings.return_policy],
    }
    if site_settings.return_policy == "finite":
        node["merchantReturnDays"] = site_settings.return_days
    if site_settings.return_policy != "none" and parcel:
        node["returnMethod"] = f"{SCHEMA}ReturnByMail"
        node["returnFees"] = RETURN_FEES[site_settings.return_fees]
    return node


def price_valid_until(today: date) -> str:
    """Prices here have no end date, and search engines drop an offer whose priceValidUntil has passed: the
    price is stated to hold to the end of next year, a date that moves once a year and is never in the past."""
    return date(today.year + 1, 12, 31).isoformat()


def rating_nodes(ratings) -> dict:
    """aggregateRating and review for a product with approved reviews; nothing at all without them (a rating
    of no reviews is an error to search engines). Authors are display names only."""
    if ratings is None or not ratings.count:
        return {}
    return {
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": str(ratings.average),
            "reviewCount": ratings.count,
            "bestRating": 5,
            "worstRating": 1,
        },
        "review": [
            {
                "@type": "Review",
                "author": {"@type": "Person", "name": review.author},
                "reviewRating": {"@type": "Rating", "ratingValue": review.rating, "bestRating": 5, "worstRating": 1},
                "reviewBody": review.body,
                "datePublished": review.published_at.date().isoformat(),
            }
            for review in ratings.newest
        ],
    }


def product_node(product, *, url, image_urls, site_settings, root_url, today, brand_logo_url=None, ratings=None):
    offer = {
        "@type": "Offer",
        "url": url,
        "price": str(quantize(product.price, site_settings.currency)),
        "priceCurrency": site_settings.currency,
        "priceValidUntil": price_valid_until(today),
        "availability": availability(product),
        "seller": {"@id": organization_id(root_url)},
    }
    returns = return_policy_node(site_settings, parcel=not product.is_digital)
    if returns:
        offer["hasMerchantReturnPolicy"] = returns
    if not product.is_digital:
        # Shipping describes parcels, so only physical goods carry it.
        offer["itemCondition"] = f"{SCHEMA}NewCondition"
        shipping = shipping_details_node(site_settings)
        if shipping:
            offer["shippingDetails"] = shipping
    node = {
        "@type": "Product",
        "@id": f"{url}#product",
        "name": product.title,
        "description": product.seo_description,
        "sku": product.sku,
        "url": url,
        "brand": brand_node(product.brand, store_name=site_settings.brand_name, logo_url=brand_logo_url),
        "offers": offer,
    }
    if image_urls:
        node["image"] = image_urls
    categories = [category.name for category in product.categories.all()]
    if categories:
        node["category"] = categories[0]
    node.update(rating_nodes(ratings))
    return node

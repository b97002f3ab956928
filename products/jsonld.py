"""schema.org Product/Offer for a product page, built as a plain dict."""

from website.jsonld import organization_id
from website.money import quantize

SCHEMA = "https://schema.org/"


def availability(product):
    if not product.on_sale:
        return f"{SCHEMA}Discontinued"
    return f"{SCHEMA}InStock" if product.in_stock else f"{SCHEMA}OutOfStock"


def product_node(product, *, url, image_urls, currency, brand_name, root_url):
    offer = {
        "@type": "Offer",
        "url": url,
        "price": str(quantize(product.price, currency)),
        "priceCurrency": currency,
        "availability": availability(product),
        "seller": {"@id": organization_id(root_url)},
    }
    if not product.is_digital:
        offer["itemCondition"] = f"{SCHEMA}NewCondition"
    node = {
        "@type": "Product",
        "@id": f"{url}#product",
        "name": product.title,
        "description": product.seo_description,
        "sku": product.sku,
        "url": url,
        "brand": {"@type": "Brand", "name": brand_name},
        "offers": offer,
    }
    if image_urls:
        node["image"] = image_urls
    categories = [category.name for category in product.categories.all()]
    if categories:
        node["category"] = categories[0]
    return node

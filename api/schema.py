"""The OpenAPI 3 description of the API, served at /api/v2/schema/ and checked by schemathesis in the tests.

Written out rather than generated: Wagtail's endpoints describe themselves to no generator, and a
hand-kept schema that the tests fuzz against the real views cannot drift without a failing test.
"""

from rest_framework.decorators import api_view, authentication_classes, permission_classes, renderer_classes
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from checkout.admin.attribution import SORT_CHOICES
from checkout.admin.attribution_report import DIMENSIONS
from checkout.forms import MAX_ID
from products.models import MAX_LINE_QUANTITY

from .pagination import MAX_OFFSET


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _json_body(required, properties):
    schema = {"type": "object", "required": required, "properties": properties}
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _error(description):
    return _json(_ref("Error"), description)


def _wagtail_error(description):
    return _json(_ref("WagtailError"), description)


MONEY = {"type": "string", "pattern": r"^\d+\.\d{2}$", "example": "19.00"}
NULLABLE_MONEY = {**MONEY, "nullable": True}
PRICE_FILTER = {"type": "string", "pattern": r"^\d{1,8}(\.\d{1,2})?$", "example": "19.99"}
TIMESTAMP = {"type": "string", "format": "date-time"}
PAGING = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 20}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET}},
]
PAGE_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
PRODUCT_ID = {
    "name": "product_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}
SIGNED_IN = [{"token": []}, {"session": []}]
SHOPPER_ERRORS = {
    "401": _error("No valid token or session."),
    "403": _error("Signed in by session without a CSRF token."),
    "429": _error("Too many requests: try again in a minute."),
}


def _listing(item):
    return {
        "type": "object",
        "required": ["meta", "items"],
        "properties": {
            "meta": {"type": "object", "required": ["total_count"], "properties": {"total_count": {"type": "integer"}}},
            "items": {"type": "array", "items": item},
        },
    }


def _wagtail_listing(summary, item, extra_parameters=()):
    return {
        "get": {
            "summary": summary,
            "parameters": [*PAGING, *extra_parameters],
            "responses": {
                "200": _json(_listing(item), "One page of results."),
                "400": _wagtail_error("A parameter is not understood; the message says which."),
                "429": _error("Too many requests from this address."),
            },
        }
    }


def _wagtail_detail(summary, item):
    return {
        "get": {
            "summary": summary,
            "parameters": [PAGE_ID],
            "responses": {
                "200": _json(item, "The item."),
                "400": _wagtail_error("A parameter is not understood."),
                "404": _json(
                    {"anyOf": [_ref("WagtailError"), _ref("Error")]},
                    "No public item has this id, or it is not a number.",
                ),
                "429": _error("Too many requests from this address."),
            },
        }
    }


PAGE_TYPES = [
    "products.ProductPage",
    "products.ProductIndexPage",
    "blog.BlogPostPage",
    "blog.BlogIndexPage",
    "infopages.InfoPage",
    "infopages.ContactPage",
    "home.HomePage",
]
PAGE_PARAMETERS = [
    {"name": "type", "in": "query", "schema": {"type": "string", "enum": PAGE_TYPES}},
    {"name": "search", "in": "query", "schema": {"type": "string"}},
    {"name": "search_operator", "in": "query", "schema": {"type": "string", "enum": ["and", "or"]}},
    {"name": "category", "in": "query", "schema": {"type": "string"}, "description": "A product category's slug."},
    {"name": "price_min", "in": "query", "schema": PRICE_FILTER},
    {"name": "price_max", "in": "query", "schema": PRICE_FILTER},
    {
        "name": "fields",
        "in": "query",
        # Wagtail's grammar, loosely: names, -name to drop one, * (all) or _ (none) first, name(sub,fields).
        "schema": {"type": "string", "minLength": 1, "pattern": r"^[-*_(),A-Za-z0-9]+$", "example": "title,html_url"},
        "description": "Which fields each item shows, comma-separated: e.g. title, -title, *, _,title,html_url; "
        "with type=products.ProductPage also price,currency,availability,sku,images,categories (docs/api.md). "
        "An unknown name, a syntax error or an empty value is a 400 (leave fields out for the default fields).",
    },
]

ITEM = {
    "type": "object",
    "required": ["id", "meta"],
    "properties": {"id": {"type": "integer"}, "meta": {"type": "object"}},
}

SCHEMAS = {
    "Error": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
    "WagtailError": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
    "Page": {**ITEM, "properties": {**ITEM["properties"], "title": {"type": "string"}}},
    "Image": {**ITEM, "properties": {**ITEM["properties"], "title": {"type": "string"}}},
    "Document": {**ITEM, "properties": {**ITEM["properties"], "title": {"type": "string"}}},
    "CartLine": {
        "type": "object",
        "required": ["product", "title", "sku", "quantity", "max_quantity", "unit_price", "line_total", "problem"],
        "properties": {
            "product": {"type": "integer"},
            "title": {"type": "string"},
            "sku": {"type": "string"},
            "quantity": {"type": "integer"},
            "max_quantity": {"type": "integer", "nullable": True, "description": "null for digital items"},
            "unit_price": MONEY,
            "line_total": MONEY,
            "problem": {"type": "string", "description": "Why the line cannot be bought as it is; empty if it can."},
        },
    },
    "Cart": {
        "type": "object",
        "required": ["currency", "count", "lines", "subtotal", "shipping", "total", "can_check_out"],
        "properties": {
            "currency": {"type": "string", "minLength": 3, "maxLength": 3},
            "count": {"type": "integer"},
            "lines": {"type": "array", "items": _ref("CartLine")},
            "subtotal": MONEY,
            "shipping": NULLABLE_MONEY,
            "total": MONEY,
            "can_check_out": {"type": "boolean"},
        },
    },
    "OrderLine": {
        "type": "object",
        "required": ["product", "title", "sku", "quantity", "unit_price", "refunded"],
        "properties": {
            "product": {"type": "integer", "nullable": True},
            "title": {"type": "string"},
            "sku": {"type": "string"},
            "quantity": {"type": "integer"},
            "unit_price": MONEY,
            "refunded": {"type": "boolean"},
        },
    },
    "OrderSummary": {
        "type": "object",
        "required": ["number", "status", "created_at", "paid_at", "currency", "subtotal", "shipping", "total", "lines"],
        "properties": {
            "number": {"type": "string"},
            "status": {"type": "string"},
            "created_at": TIMESTAMP,
            "paid_at": {**TIMESTAMP, "nullable": True},
            "currency": {"type": "string"},
            "subtotal": MONEY,
            "shipping": MONEY,
            "total": MONEY,
            "discount": {**MONEY, "description": "Taken off by a promotion code at payment"},
            "promotion_code": {"type": "string", "description": "The code the buyer entered, or empty"},
            "amount_paid": {**MONEY, "description": "What the buyer was charged: total less discount"},
            "refunded_amount": {**MONEY, "description": "Refunds that succeeded; pending ones are under refunds"},
            "lines": {"type": "array", "items": _ref("OrderLine")},
        },
    },
    "Refund": {
        "type": "object",
        "required": ["amount", "status", "created_at"],
        "properties": {
            "amount": MONEY,
            "status": {"type": "string", "enum": ["pending", "requires_action", "succeeded", "failed", "canceled"]},
            "created_at": TIMESTAMP,
        },
    },
    "Dispute": {
        "type": "object",
        "required": ["amount", "status"],
        "properties": {
            "amount": MONEY,
            "status": {"type": "string", "description": "Stripe's dispute status: needs_response, won, lost, ..."},
        },
    },
    "File": {
        "type": "object",
        "required": ["title", "state", "note", "downloads_left", "expires_at", "url"],
        "properties": {
            "title": {"type": "string"},
            "state": {"type": "string", "description": "ready, expired, exhausted, refunded, disputed, unpaid"},
            "note": {"type": "string"},
            "downloads_left": {"type": "integer"},
            "expires_at": TIMESTAMP,
            "url": {"type": "string", "format": "uri", "nullable": True},
        },
    },
    "Order": {
        "allOf": [
            _ref("OrderSummary"),
            {
                "type": "object",
                "required": ["files", "refunds", "disputes"],
                "properties": {
                    "files": {"type": "array", "items": _ref("File")},
                    "refunds": {"type": "array", "items": _ref("Refund")},
                    "disputes": {"type": "array", "items": _ref("Dispute")},
                },
            },
        ]
    },
}

CART_ANSWERS = {
    "200": _json(_ref("Cart"), "The cart as it is now."),
    **SHOPPER_ERRORS,
}
LINE_INPUT_ERRORS = {
    "400": _error("The body is not JSON, or a number is missing or out of range."),
    "404": _error("No product on sale has this id."),
    "409": _error("The cart's rules refuse the change (sold out, already in the cart, too many)."),
    "415": _error("The body is not application/json."),
}

PATHS = {
    "/api/v2/pages/": _wagtail_listing("Live, public pages", _ref("Page"), PAGE_PARAMETERS),
    "/api/v2/pages/{id}/": _wagtail_detail("One page, with every field of its type", _ref("Page")),
    "/api/v2/images/": _wagtail_listing("Images outside private collections", _ref("Image")),
    "/api/v2/images/{id}/": _wagtail_detail("One image", _ref("Image")),
    "/api/v2/documents/": _wagtail_listing("Documents outside private collections (metadata only)", _ref("Document")),
    "/api/v2/documents/{id}/": _wagtail_detail("One document's metadata", _ref("Document")),
    "/api/v2/auth/token/": {
        "post": {
            "summary": "Exchange a verified account's email and password for its API token",
            "requestBody": _json_body(
                ["email", "password"], {"email": {"type": "string"}, "password": {"type": "string"}}
            ),
            "security": [],
            "responses": {
                "200": _json(
                    {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}},
                    "Send it as `Authorization: Token <token>`.",
                ),
                "400": _error("Missing fields, a wrong email or password, or an unconfirmed address."),
                "401": _error("An Authorization header with a token that is not valid (send none to log in)."),
                "415": _error("The body is not application/json."),
                "429": _error("Too many attempts from this address or for this account."),
            },
        },
        "delete": {
            "summary": "Revoke the token (log the app out)",
            "security": [{"token": []}],
            "responses": {
                "204": {"description": "Revoked."},
                "401": _error("No valid token."),
                "429": _error("Too many requests: try again in a minute."),
            },
        },
    },
    "/api/v2/cart/": {"get": {"summary": "The shopper's cart", "security": SIGNED_IN, "responses": CART_ANSWERS}},
    "/api/v2/cart/lines/": {
        "post": {
            "summary": "Add a product (digital items once; physical up to the stock)",
            "security": SIGNED_IN,
            "requestBody": _json_body(
                ["product"],
                {
                    "product": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                    "quantity": {"type": "integer", "minimum": 1, "maximum": MAX_LINE_QUANTITY},
                },
            ),
            "responses": {
                "201": _json(_ref("Cart"), "Added; the cart as it is now."),
                **SHOPPER_ERRORS,
                **LINE_INPUT_ERRORS,
            },
        }
    },
    "/api/v2/cart/lines/{product_id}/": {
        "parameters": [PRODUCT_ID],
        "patch": {
            "summary": "Set a line's quantity (0 removes it)",
            "security": SIGNED_IN,
            "requestBody": _json_body(
                ["quantity"], {"quantity": {"type": "integer", "minimum": 0, "maximum": MAX_LINE_QUANTITY}}
            ),
            "responses": {**CART_ANSWERS, **LINE_INPUT_ERRORS},
        },
        "delete": {
            "summary": "Remove a line (no error if it is not there)",
            "security": SIGNED_IN,
            "responses": {**CART_ANSWERS, "404": _error("The id is not a product id.")},
        },
    },
    "/api/v2/checkout/": {
        "post": {
            "summary": "Place a pending order for the cart and get the payment page's URL",
            "security": SIGNED_IN,
            "responses": {
                "201": _json(
                    {
                        "type": "object",
                        "required": ["order", "payment_url", "expires_at"],
                        "properties": {
                            "order": {"type": "string"},
                            "payment_url": {"type": "string", "format": "uri"},
                            "expires_at": TIMESTAMP,
                        },
                    },
                    "Open payment_url in a browser; the order is paid when the shopper completes it.",
                ),
                **SHOPPER_ERRORS,
                "409": _error("The cart is empty, or an item is unavailable or sold out."),
                "502": _error("The payment provider could not be reached; nothing was charged."),
                "503": _error("Online payment is switched off."),
            },
        }
    },
    "/api/v2/orders/": {
        "get": {
            "summary": "The shopper's placed orders, newest first",
            "security": SIGNED_IN,
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10**6}},
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["count", "orders"],
                        "properties": {
                            "count": {"type": "integer"},
                            "orders": {"type": "array", "items": _ref("OrderSummary")},
                        },
                    },
                    "One page of orders.",
                ),
                "400": _error("limit or offset out of range."),
                **SHOPPER_ERRORS,
            },
        }
    },
    "/api/v2/orders/{number}/": {
        "get": {
            "summary": "One of the shopper's orders, with its files and download links",
            "security": SIGNED_IN,
            "parameters": [{"name": "number", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": _json(_ref("Order"), "The order."),
                "404": _error("No order of this shopper has this number (another shopper's included)."),
                **SHOPPER_ERRORS,
            },
        }
    },
}

SOLD_BY_ROW = {
    "type": "object",
    "required": ["orders", "units", "refunded_units", "revenue", "refunds", "net"],
    "properties": {
        "page_id": {"type": "integer", "nullable": True, "description": "The page whose buy button sold it."},
        "title": {"type": "string", "nullable": True, "description": "Its title when it sold."},
        "url": {"type": "string", "nullable": True, "description": "Its URL when it sold."},
        "live_title": {"type": "string", "nullable": True, "description": "Its title now; null once deleted."},
        "block": {"type": "string", "description": "The StreamField block's id; empty for the page itself."},
        "utm_source": {"type": "string", "nullable": True},
        "utm_medium": {"type": "string", "nullable": True},
        "utm_campaign": {"type": "string", "nullable": True},
        "day": {"type": "string", "format": "date"},
        "orders": {"type": "integer"},
        "units": {"type": "integer"},
        "refunded_units": {"type": "integer"},
        "revenue": MONEY,
        "refunds": MONEY,
        "net": MONEY,
    },
}
DATE_PARAMETER = {"type": "string", "format": "date", "example": "2026-03-01"}
PATHS["/api/v2/reports/sold-by/"] = {
    "get": {
        "summary": "Revenue, orders, units and refunds per page, block, campaign or day (staff who may see orders)",
        "description": "Shop › Sold by as JSON. Sales of orders paid from start to end (at most 366 days; "
        "the last 30 by default); revenue is price × quantity as sold, refunds what came back of those sales.",
        "security": SIGNED_IN,
        "parameters": [
            {"name": "start", "in": "query", "schema": DATE_PARAMETER},
            {"name": "end", "in": "query", "schema": DATE_PARAMETER},
            {"name": "by", "in": "query", "schema": {"type": "string", "enum": list(DIMENSIONS)}},
            {
                "name": "sort",
                "in": "query",
                "schema": {"type": "string", "enum": [value for value, _label in SORT_CHOICES]},
            },
            {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
        ],
        "responses": {
            "200": _json(
                {
                    "type": "object",
                    "required": ["start", "end", "by", "currency", "rows"],
                    "properties": {
                        "start": {"type": "string", "format": "date"},
                        "end": {"type": "string", "format": "date"},
                        "by": {"type": "string"},
                        "currency": {"type": "string"},
                        "rows": {"type": "array", "items": SOLD_BY_ROW},
                    },
                },
                "One row per page, block, campaign or day that sold.",
            ),
            "400": _error("A parameter is not understood, or the period is back to front or too long."),
            **SHOPPER_ERRORS,
            "403": _error("Not staff who may see orders, or signed in by session without a CSRF token."),
        },
    }
}

SCHEMA = {
    "openapi": "3.0.3",
    "info": {
        "title": "Pagecart API",
        "version": "2",
        "description": "Public pages, images and documents (Wagtail API v2), and a signed-in shopper's cart, "
        'checkout and orders. Errors answer {"detail": reason}; Wagtail\'s endpoints {"message": reason}.',
    },
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "token": {"type": "apiKey", "in": "header", "name": "Authorization", "description": "Token <token>"},
            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid", "description": "plus X-CSRFToken"},
        },
    },
}


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
@renderer_classes([JSONRenderer])
def schema_view(request):
    return Response(SCHEMA)

"""URL parts the shop hands out itself: order numbers and access tokens. A path with anything else in their
place matches no URL, so it is a 404 before it reaches a query (PostgreSQL refuses a NUL in one outright)."""

from django.urls import register_converter
from django.urls.converters import StringConverter


class OrderNumberConverter(StringConverter):
    regex = "[0-9A-Z]{1,12}"  # Order.number: new_order_number()'s alphabet, within max_length


class AccessTokenConverter(StringConverter):
    regex = "[A-Za-z0-9_-]{1,64}"  # Order.access_token: secrets.token_urlsafe(), within max_length


register_converter(OrderNumberConverter, "order_number")
register_converter(AccessTokenConverter, "access_token")

from django.urls import path

import checkout.converters  # noqa: F401 - registers <order_number:>

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<order_number:number>/", views.order_detail, name="order"),
    path("downloads/", views.downloads, name="downloads"),
    path("wishlist/", views.wishlist_detail, name="wishlist"),
    path("wishlist/add/", views.wishlist_add, name="wishlist_add"),
    path("wishlist/remove/", views.wishlist_remove, name="wishlist_remove"),
    path("visitor/", views.visitor_parts, name="visitor"),
    path("membership/", views.membership, name="membership"),
    path("settings/", views.settings, name="settings"),
]

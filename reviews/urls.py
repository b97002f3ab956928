from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("<int:product_id>/write/", views.write, name="write"),
    path("<int:product_id>/edit/", views.edit, name="edit"),
]

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"

    def ready(self):
        # Imported here: the app registry must be ready before the models these modules import load.
        from checkout.lifecycle import order_status_changed
        from products.ratings import register as register_ratings
        from website.page_cache import register_cache_dependency

        from .models import Review
        from .ratings import ReviewRatings
        from .signals import take_down_refunded

        # Product pages and cards show approved reviews: approving, rejecting or removing one empties the cache.
        register_cache_dependency(Review)
        register_ratings(ReviewRatings())
        order_status_changed.connect(take_down_refunded, dispatch_uid="reviews.take_down_refunded")

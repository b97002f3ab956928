"""The shop's filter form. It reads a listing's GET parameters, which shoppers share, bookmark and edit by hand:
a value that does not validate is left out of the listing and explained, never turned into an error page."""

from django import forms
from django.utils.text import Truncator

SORT_CHOICES = [
    ("newest", "Newest"),
    ("price-asc", "Price: low to high"),
    ("price-desc", "Price: high to low"),
    ("name", "Name: A to Z"),
]
DEFAULT_SORT = "newest"
KIND_CHOICES = [("digital", "Digital downloads"), ("physical", "Physical products")]


class PriceField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            min_value=0,
            max_digits=10,
            decimal_places=2,
            error_messages={
                "invalid": "Enter a price as a number, like 25 or 19.99.",
                "min_value": "Enter a price of 0 or more.",
                "max_digits": "Enter a price below 100,000,000.",
                "max_whole_digits": "Enter a price below 100,000,000.",
                "max_decimal_places": "Enter a price with at most 2 decimal places.",
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        return abs(value) if value is not None else None  # "-0" passes min_value; keep the URL free of it


class CategoriesField(forms.MultipleChoiceField):
    """Category slugs. Unknown ones are dropped by the form (and named in its notes) rather than refused, so a
    link to a category that has since been renamed still lists the others."""

    def validate(self, value):
        pass


class CatalogueFilterForm(forms.Form):
    """Bind to request.GET. `categories` are the ProductCategory rows a shopper may pick from. The template
    (components/catalogue_filters.html) draws the fields itself, from the listing's normalised values."""

    category = CategoriesField(label="Category", required=False)
    min_price = PriceField(label="Price from")
    max_price = PriceField(label="Price to")
    kind = forms.ChoiceField(
        label="Type",
        choices=[("", "All products"), *KIND_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Choose digital downloads or physical products."},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": "That sort order is unknown, so the newest come first."},
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories_by_slug = {category.slug: category for category in categories}
        self.unknown_categories = []

    def clean_category(self):
        slugs = list(dict.fromkeys(self.cleaned_data["category"]))
        self.unknown_categories = [slug for slug in slugs if slug not in self.categories_by_slug]
        return sorted(slug for slug in slugs if slug in self.categories_by_slug)

    def clean(self):
        cleaned_data = super().clean()
        low, high = cleaned_data.get("min_price"), cleaned_data.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", "It is below the lowest price, so it was left out.")
        return cleaned_data

    def value_of(self, name, default=None):
        """The field's cleaned value, or the default when it was missing or did not validate."""
        value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
        return default if value in (None, "", []) else value

    @property
    def notes(self):
        """What the listing left out of the URL, in words a shopper understands."""
        notes = [f"There is no category “{Truncator(slug).chars(40)}”." for slug in self.unknown_categories[:3]]
        for name, errors in self.errors.items():
            if name in self.fields:
                notes.extend(f"{self.fields[name].label}: {error}" for error in errors)
        return notes

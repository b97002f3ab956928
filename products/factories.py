from decimal import Decimal

import factory
import wagtail_factories

from django.utils import timezone
from django.utils.text import slugify

from products.models import Brand, ProductCategory, ProductFile, ProductGalleryImage, ProductIndexPage, ProductPage
from website.factories import DocumentFactory


class ProductCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Kits {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))
    description = "Everything you need in one box."

    class Meta:
        model = ProductCategory


class BrandFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Maker {n}")
    url = "https://maker.example"

    class Meta:
        model = Brand


class ProductIndexPageFactory(wagtail_factories.PageFactory):
    title = "Shop"
    intro = "Kits, templates and guides."
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ProductIndexPage


class ProductPageFactory(wagtail_factories.PageFactory):
    """A digital product on sale. `physical=True` gives a boxed product with stock."""

    title = factory.Sequence(lambda n: f"Product {n}")
    summary = "A printable planner for a calmer week."
    price = Decimal("19.00")
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    kind = ProductPage.Kind.DIGITAL
    stock = None
    on_sale = True
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ProductPage
        skip_postgeneration_save = True

    class Params:
        physical = factory.Trait(kind=ProductPage.Kind.PHYSICAL, stock=10)
        draft = factory.Trait(live=False, first_published_at=None)

    @factory.post_generation
    def gallery(obj, create, extracted, **kwargs):
        """gallery=[image, ...] adds those images, in order."""
        if create and extracted:
            for order, image in enumerate(extracted):
                ProductGalleryImage.objects.create(page=obj, image=image, sort_order=order)

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)
            obj.save()


class ProductFileFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(ProductPageFactory)
    document = factory.SubFactory(DocumentFactory)

    class Meta:
        model = ProductFile

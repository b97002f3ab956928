"""Factories for Wagtail's media (images, private documents, collections) and the site settings."""

from io import BytesIO

import factory
import wagtail_factories
from PIL import Image as PILImage

from django.core.files.base import ContentFile
from django.utils.text import slugify

from wagtail.models import Collection, CollectionViewRestriction, Site

from website.models import PrivateDocument, SiteSettings


def tiny_png(name="tiny.png", size=(8, 6), colour=(67, 56, 202)):
    """A real PNG a few pixels wide: enough for renditions, cheap to resize and encode."""
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=name)


def root_collection():
    return Collection.get_first_root_node()


class CollectionFactory(wagtail_factories.CollectionFactory):
    """A collection inside the root one (wagtail-factories would otherwise make a second root)."""

    name = factory.Sequence(lambda n: f"Collection {n}")
    parent = factory.LazyFunction(root_collection)


class PrivateCollectionFactory(CollectionFactory):
    """A collection only superusers can view: where paid files live."""

    name = factory.Sequence(lambda n: f"Paid files {n}")

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def restriction(obj, create, extracted, **kwargs):
        if create:
            CollectionViewRestriction.objects.create(collection=obj, restriction_type=CollectionViewRestriction.GROUPS)


class ImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    collection = factory.LazyFunction(root_collection)
    file = factory.LazyAttribute(lambda obj: tiny_png(name=f"{slugify(obj.title)}.png"))


class DocumentFactory(factory.django.DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Guide {n}")
    collection = factory.SubFactory(PrivateCollectionFactory)
    file = factory.django.FileField(filename="guide.pdf", data=b"%PDF-1.4 a tiny paid guide")

    class Meta:
        model = PrivateDocument


class SiteSettingsFactory(factory.django.DjangoModelFactory):
    site = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True))
    currency = "USD"
    contact_email = "owner@example.com"

    class Meta:
        model = SiteSettings

    @classmethod
    def _create(cls, model_class, site, **kwargs):
        # One settings row per site: update the existing one (SiteSettings.for_site may have made it).
        settings, _created = model_class.objects.update_or_create(site=site, defaults=kwargs)
        return settings

"""The files a digital product delivers: which collections are private, the "Product files" collection they
go into by default, and the chooser the product editor picks and uploads them with.

A collection is private when it, or a collection it sits in, has a view restriction: Wagtail's document view
then refuses the public, and buyers reach the file only through the shop's download grants."""

from functools import cache

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import cached_property

from wagtail.documents.views.chooser import (
    DocumentChooseResultsView,
    DocumentChooserUploadView,
    DocumentChooserViewSet,
    DocumentChooseView,
    DocumentCreationFormMixin,
)
from wagtail.models import Collection, CollectionViewRestriction

from website.models import PrivateDocument

# Also created by migration products 0008 (which keeps its own copy: migrations do not import app code).
PRODUCT_FILES = "Product files"


def private_collections():
    """Every collection under a view restriction (one query for the restricted ones)."""
    paths = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    under_any = Q(pk__in=[])
    for path in paths:
        under_any |= Q(path__startswith=path)
    return Collection.objects.filter(under_any)


def is_private_collection(collection):
    """True when the collection, or one it sits in, has a view restriction."""
    ancestors_and_self = collection.get_ancestors(inclusive=True)
    return CollectionViewRestriction.objects.filter(collection__in=ancestors_and_self).exists()


def product_files_collection():
    """The private "Product files" collection, or None if an owner renamed it or lifted its restriction."""
    return private_collections().filter(name=PRODUCT_FILES, depth=2).first()


def not_private_error():
    collection = product_files_collection()
    where = f"the private “{collection.name}” collection" if collection else "a private collection"
    return f"Choose a file from {where}: this one is public, so anyone could download it without paying."


@cache
def product_file_form():
    """Wagtail's document form, offering only the private collections the user may add to, "Product files"
    the first choice. It keeps the collection field shown even with one choice, so the editor sees where the
    file goes. Built on first use: wagtail.documents.forms queries the database when imported."""
    from wagtail.documents.forms import get_document_form

    class ProductFileForm(get_document_form(PrivateDocument)):  # type: ignore[misc]
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.collections = self.collections.filter(pk__in=private_collections())
            if "collection" in self.fields:
                self.fields["collection"].queryset = self.collections
                default = product_files_collection()
                if default and not self.is_bound and any(c.pk == default.pk for c in self.collections):
                    self.initial["collection"] = default.pk

        def clean(self):
            cleaned_data = super().clean()
            if not self.collections:
                raise ValidationError(
                    "You may not add files to any private collection. Ask an administrator for permission to "
                    f"add documents to “{PRODUCT_FILES}”."
                )
            return cleaned_data

    return ProductFileForm


class ProductFileCreationFormMixin(DocumentCreationFormMixin):
    def get_creation_form_class(self):
        return product_file_form()


class PrivateOnlyMixin:
    """The chooser lists and filters by private collections only."""

    def get_object_list(self):
        return super().get_object_list().filter(collection__in=private_collections())  # type: ignore[misc]

    @cached_property
    def collections(self):
        collections = self.permission_policy.collections_user_has_permission_for(  # type: ignore[attr-defined]
            self.request.user,  # type: ignore[attr-defined]
            "choose",
        ).filter(pk__in=private_collections())
        return collections if len(collections) > 1 else None


class ProductFileChooseView(PrivateOnlyMixin, ProductFileCreationFormMixin, DocumentChooseView):
    pass


class ProductFileChooseResultsView(PrivateOnlyMixin, ProductFileCreationFormMixin, DocumentChooseResultsView):
    pass


class ProductFileUploadView(ProductFileCreationFormMixin, DocumentChooserUploadView):
    pass


class ProductFileChooserViewSet(DocumentChooserViewSet):
    choose_view_class = ProductFileChooseView
    choose_results_view_class = ProductFileChooseResultsView
    create_view_class = ProductFileUploadView
    choose_one_text = "Choose a product file"
    choose_another_text = "Choose another product file"


product_file_chooser = ProductFileChooserViewSet(
    "product_file_chooser", model=PrivateDocument, url_prefix="products/file-chooser"
)

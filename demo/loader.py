"""Find-or-update logic for the demo store.

Every object is looked up by a stable key (a slug, an SKU, a title, a collection name) and changed
only where it differs from `content.py`, so running the loader again creates nothing and publishes
no new revisions. StreamField content gets deterministic block ids for the same reason.
"""

import copy
import hashlib
import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from taggit.models import Tag
from wagtail import blocks as wagtail_blocks
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import BaseViewRestriction, Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from blog.models import Author, BlogCategory, BlogIndexPage, BlogPostPage
from checkout.models import Order
from home.models import HomePage
from infopages.models import ContactFormField, ContactPage, InfoPage
from products.models import Brand, ProductCategory, ProductFile, ProductGalleryImage, ProductIndexPage, ProductPage
from reviews.models import Review
from website.models import SiteSettings
from website.site_url import configured_site_address

from . import art, catalogue, content, files, orders, pictures
from .blocks import CategoryRef, ImageRef, PageRef, ProductRef

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "changeme"  # noqa: S105 - the documented demo login, only ever created with DEBUG on  # nosec B105
CUSTOMER_EMAIL = "shopper@example.com"
CUSTOMER_PASSWORD = "changeme"  # noqa: S105 - the documented demo shopper, only ever created with DEBUG on  # nosec B105

ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://northwindstudio.example/demo")
LINK_MARKER = re.compile(r"\[\[(page|product):([\w-]+)\]\]")


class DemoContentError(Exception):
    """The database holds something the demo cannot safely update in place."""


@dataclass
class PageSpec:
    """What a page should be. `fields` are model fields (related objects as instances), `streams` are
    StreamField contents already in canonical JSON, `children` are rows of a child relation given by
    their field values."""

    model: type
    slug: str
    fields: dict
    streams: dict = field(default_factory=dict)
    m2m: dict = field(default_factory=dict)
    tags: list | None = None
    children: dict = field(default_factory=dict)
    # Set only when the page is first made (dates anchored to the day of the first load).
    initial: dict = field(default_factory=dict)


OUTCOMES = ("created", "updated", "unchanged", "kept beyond the total asked for")


@dataclass
class Report:
    changes: Counter = field(default_factory=Counter)
    counts: dict = field(default_factory=dict)
    admin: str = ""
    customer: str = ""

    def note(self, kind, outcome):
        self.changes[(kind, outcome)] += 1

    def change_lines(self):
        kinds = sorted({kind for kind, _outcome in self.changes})
        for kind in kinds:
            parts = [f"{self.changes[(kind, o)]} {o}" for o in OUTCOMES if self.changes[(kind, o)]]
            yield f"{kind}: {', '.join(parts)}"


def stable_id(key):
    return str(uuid.uuid5(ID_NAMESPACE, key))


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def canonical(block, raw):
    """StreamField data as Wagtail itself would store it, so two versions compare equal when they
    mean the same thing."""
    value = block.to_python(copy.deepcopy(raw))
    list(value)  # build every child, so get_prep_value normalises each one rather than echoing raw data
    return as_json(block.get_prep_value(value))


class DemoLoader:
    def __init__(self, products=0):
        self.products_total = products  # fill the shop up to this many with generated products
        self.report = Report()
        self.images = {}
        self.documents = {}
        self.brands = {}
        self.categories = {}
        self.blog_categories = {}
        self.authors = {}
        self.pages = {}
        self.products = {}
        self.now = timezone.now()

    def run(self):
        with transaction.atomic():
            image_collections = {name: self.collection(name) for name in pictures.IMAGE_COLLECTIONS}
            private = self.private_collection(content.PRIVATE_COLLECTION)
            for picture in pictures.PICTURES:
                self.images[picture.key] = self.image(picture, image_collections[picture.collection])
            for deliverable in files.DELIVERABLES:
                self.documents[deliverable.key] = self.document(deliverable, private)
            self.snippets()

            site, home = self.site_and_home()
            self.pages["home"] = home
            self.pages["shop"] = self.upsert_page(home, self.index_spec(ProductIndexPage, "shop", content.SHOP))
            self.pages["journal"] = self.upsert_page(home, self.index_spec(BlogIndexPage, "journal", content.JOURNAL))
            # The contact page and the FAQ link to each other, so the contact page is made first and
            # filled in once the FAQ exists (the home page is handled the same way).
            self.pages["contact"] = self.ensure_page(home, ContactPage, "contact", title=content.CONTACT["title"])
            self.groups = {content.CLUB_GROUP: self.group(content.CLUB_GROUP)}
            for product in content.PRODUCTS:
                self.products[product["sku"]] = self.upsert_page(self.pages["shop"], self.product_spec(product))
            for info in content.INFO_PAGES:
                self.pages[info["key"]] = self.upsert_page(home, self.info_spec(info))
                if info.get("members_only"):
                    self.restrict_to_group(self.pages[info["key"]], self.groups[info["members_only"]])
            self.pages["contact"] = self.sync_page(self.pages["contact"], self.contact_spec())
            for post in content.POSTS:
                self.upsert_page(self.pages["journal"], self.post_spec(post))
            self.pages["home"] = self.sync_page(home, self.home_spec())
            site_settings = self.site_settings(site)
            if settings.DEBUG:
                self.report.admin = self.admin_user()
                self.report.customer = self.customer_user()
            shopper = get_user_model().objects.filter(email__iexact=CUSTOMER_EMAIL).first()
            orders.load_orders(self.products, site_settings, shopper=shopper, now=self.now, report=self.report)
        if self.products_total:
            self.generated_products()
        self.report.counts = self.counts()
        return self.report

    # References and StreamField content ------------------------------------------------------

    def resolve(self, ref):
        if isinstance(ref, ImageRef):
            return self.images[ref.key].pk
        if isinstance(ref, ProductRef):
            return self.products[ref.sku].pk
        if isinstance(ref, PageRef):
            return self.pages[ref.key].pk
        if isinstance(ref, CategoryRef):
            return self.categories[ref.slug].pk
        raise TypeError(f"Not a demo reference: {ref!r}")

    def text(self, html):
        """Rich text with its [[page:key]] / [[product:SKU]] markers replaced by page ids."""

        def page_id(match):
            kind, key = match.groups()
            return str(self.products[key].pk if kind == "product" else self.pages[key].pk)

        return LINK_MARKER.sub(page_id, html)

    def raw(self, block, value, key):
        """Authoring shorthand to Wagtail's raw JSON, with ids derived from `key` so they never change."""
        if isinstance(value, ImageRef | ProductRef | PageRef | CategoryRef):
            return self.resolve(value)
        if isinstance(block, wagtail_blocks.StreamBlock):
            return [
                {
                    "type": name,
                    "value": self.raw(block.child_blocks[name], child, f"{key}/{i}"),
                    "id": stable_id(f"{key}/{i}"),
                }
                for i, (name, child) in enumerate(value)
            ]
        if isinstance(block, wagtail_blocks.ListBlock):
            return [
                {
                    "type": "item",
                    "value": self.raw(block.child_block, child, f"{key}/{i}"),
                    "id": stable_id(f"{key}/{i}"),
                }
                for i, child in enumerate(value)
            ]
        if isinstance(block, wagtail_blocks.StructBlock):
            return {name: self.raw(block.child_blocks[name], child, f"{key}/{name}") for name, child in value.items()}
        if isinstance(value, str):
            return self.text(value)
        return value

    def stream(self, model, field_name, items, key):
        """Validated, canonical JSON for a StreamField, ready to compare or assign."""
        block = model._meta.get_field(field_name).stream_block
        raw = self.raw(block, items, key)
        cleaned = block.clean(block.to_python(raw))  # raises ValidationError if the demo content is wrong
        return as_json(block.get_prep_value(cleaned))

    # Collections, images, documents ------------------------------------------------------------

    def collection(self, name):
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name=name).first()
        if existing:
            self.report.note("collections", "unchanged")
            return existing
        self.report.note("collections", "created")
        return root.add_child(name=name)

    def private_collection(self, name):
        """The collection paid files live in: restricted to a group list that is empty, so Wagtail's own
        document view refuses everyone but superusers and downloads go through the shop's grants."""
        collection = self.collection(name)
        if not CollectionViewRestriction.objects.filter(collection=collection).exists():
            CollectionViewRestriction.objects.create(collection=collection, restriction_type=BaseViewRestriction.GROUPS)
        return collection

    def group(self, name):
        group, created = Group.objects.get_or_create(name=name)
        self.report.note("groups", "created" if created else "unchanged")
        return group

    def restrict_to_group(self, page, group):
        """Wagtail page privacy: only members of the group (and editors) may read the page."""
        restriction = PageViewRestriction.objects.filter(page=page).first()
        if restriction is None:
            restriction = PageViewRestriction.objects.create(page=page, restriction_type=BaseViewRestriction.GROUPS)
        if restriction.restriction_type != BaseViewRestriction.GROUPS or list(restriction.groups.all()) != [group]:
            restriction.restriction_type = BaseViewRestriction.GROUPS
            restriction.save()
            restriction.groups.set([group])

    def store_file(self, instance, filename, data):
        """Attach `data` to instance.file, reusing an identical file already in storage under that name
        (for example after the database was reset but the media folder kept)."""
        fieldfile = instance.file
        name = fieldfile.field.generate_filename(instance, filename)
        storage = fieldfile.storage
        if storage.exists(name) and storage.size(name) == len(data):
            with storage.open(name) as existing:
                if hashlib.sha256(existing.read()).digest() == hashlib.sha256(data).digest():
                    fieldfile.name = name
                    return
        fieldfile.save(filename, ContentFile(data), save=False)

    def image(self, picture, collection):
        image_model = get_image_model()
        image = image_model.objects.filter(title=picture.title).order_by("pk").first()
        if image and image.file and image.file.storage.exists(image.file.name):
            if image.collection_id != collection.pk or image.description != picture.alt:
                image.collection, image.description = collection, picture.alt
                image.save(update_fields=["collection", "description"])
                self.report.note("images", "updated")
            else:
                self.report.note("images", "unchanged")
            return image
        drawn = picture.paint()
        outcome = "updated" if image else "created"
        image = image or image_model(title=picture.title)
        image.collection = collection
        image.description = picture.alt
        self.store_file(image, picture.filename, art.encode(drawn, picture.format))
        image.width, image.height = drawn.size
        image._set_image_file_metadata()
        image.save()
        self.report.note("images", outcome)
        return image

    def document(self, deliverable, collection):
        document_model = get_document_model()
        document = document_model.objects.filter(title=deliverable.title).order_by("pk").first()
        if document and document.file and document.file.storage.exists(document.file.name):
            if document.collection_id != collection.pk:
                document.collection = collection
                document.save(update_fields=["collection"])
                self.report.note("documents", "updated")
            else:
                self.report.note("documents", "unchanged")
            return document
        outcome = "updated" if document else "created"
        document = document or document_model(title=deliverable.title)
        document.collection = collection
        self.store_file(document, deliverable.filename, deliverable.make())
        document._set_document_file_metadata()
        document.save()
        self.report.note("documents", outcome)
        return document

    # Snippets ----------------------------------------------------------------------------------

    def upsert(self, model, lookup, fields, streams=None, kind=None):
        """Get by `lookup` or create, then set `fields` and `streams`; save only when something changed."""
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        obj = obj or model(**lookup)
        changed = created
        for name, value in fields.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        for name, value in (streams or {}).items():
            block = model._meta.get_field(name).stream_block
            if canonical(block, list(getattr(obj, name).raw_data)) != value:
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.save()
        outcome = "created" if created else "updated" if changed else "unchanged"
        self.report.note(kind or str(model._meta.verbose_name_plural), outcome)
        return obj

    def snippets(self):
        for brand in content.BRANDS:
            self.brands[brand["name"]] = self.upsert(
                Brand, {"name": brand["name"]}, {"url": brand["url"], "description": brand["description"]}
            )
        for category in content.PRODUCT_CATEGORIES:
            self.categories[category["slug"]] = self.upsert(
                ProductCategory,
                {"slug": category["slug"]},
                {"name": category["name"], "description": category["description"]},
            )
        for category in content.BLOG_CATEGORIES:
            self.blog_categories[category["slug"]] = self.upsert(
                BlogCategory, {"slug": category["slug"]}, {"name": category["name"]}
            )
        for author in content.AUTHORS:
            profiles = self.stream(
                Author, "profiles", [("url", url) for url in author["profiles"]], f"author:{author['name']}"
            )
            self.authors[author["name"]] = self.upsert(
                Author,
                {"name": author["name"]},
                {
                    "role": author["role"],
                    "bio": author["bio"],
                    "url": author["url"],
                    "photo": self.images[author["photo"]],
                },
                {"profiles": profiles},
            )

    # Pages -------------------------------------------------------------------------------------

    def site_and_home(self):
        """The HomePage at the top of the tree, as the default site's root. On a fresh database it
        replaces Wagtail's "Welcome to your new Wagtail site!" page."""
        root = Page.get_first_root_node()
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.order_by("pk").first()
        if site and isinstance(site.root_page.specific, HomePage):
            home = site.root_page.specific
        else:
            home = HomePage.objects.child_of(root).filter(slug="home").first()
        welcome = None
        if home is None:
            welcome = Page.objects.child_of(root).filter(slug="home").first()
            if welcome:
                # Step aside so the new home page can take the slug; deleted below once no site uses it.
                welcome.slug = f"home-before-demo-{welcome.pk}"
                welcome.save()
            home = self.ensure_page(root, HomePage, "home", title=content.HOME["title"], hero_heading="Welcome")
        wanted = {**content.SITE, **(configured_site_address() or {}), "root_page_id": home.pk, "is_default_site": True}
        if site is None:
            site = Site.objects.create(**wanted)
        elif any(getattr(site, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(site, name, value)
            site.save()
        unused = welcome and welcome.numchild == 0 and not welcome.sites_rooted_here.exists()
        if unused and welcome.specific_class is Page:
            welcome.delete()
        return site, home

    def ensure_page(self, parent, model, slug, **fields):
        """Find a page, or make a bare one (live, no revision yet) for sync_page() to fill in later."""
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is not None:
            return page
        other = Page.objects.child_of(parent).filter(slug=slug).first()
        if other is not None:
            raise DemoContentError(f"'{other.url_path}' is a {other.specific_class.__name__}, not a {model.__name__}.")
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        return page

    def upsert_page(self, parent, spec):
        page = spec.model.objects.child_of(parent).filter(slug=spec.slug).first()
        if page is not None:
            return self.sync_page(page, spec)
        other = Page.objects.child_of(parent).filter(slug=spec.slug).first()
        if other is not None:
            raise DemoContentError(
                f"'{other.url_path}' is a {other.specific_class.__name__}, not a {spec.model.__name__}."
            )
        page = spec.model(slug=spec.slug)
        for name, value in spec.initial.items():
            setattr(page, name, value)
        self.apply(page, spec)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.report.note("pages", "created")
        return page

    def sync_page(self, page, spec):
        """Publish a new revision only when the page differs from the spec (or was never published)."""
        page = page.specific
        never_published = page.latest_revision_id is None
        current = page.get_latest_revision_as_object()
        if never_published or self.differs(current, spec):
            self.apply(current, spec)
            current.save_revision().publish()
            self.report.note("pages", "created" if never_published else "updated")
        elif not page.live or page.has_unpublished_changes:
            page.get_latest_revision().publish()
            self.report.note("pages", "updated")
        else:
            self.report.note("pages", "unchanged")
            return page
        return spec.model.objects.get(pk=page.pk)

    @staticmethod
    def child_rows(page, relation, names):
        rows = sorted(getattr(page, relation).all(), key=lambda row: row.sort_order or 0)
        return [{name: getattr(row, name) for name in names} for row in rows]

    def differs(self, page, spec):
        for name, value in spec.fields.items():
            model_field = page._meta.get_field(name)
            if model_field.is_relation:
                if getattr(page, model_field.attname) != (value.pk if value else None):
                    return True
            elif getattr(page, name) != value:
                return True
        for name, value in spec.streams.items():
            block = page._meta.get_field(name).stream_block
            if canonical(block, list(getattr(page, name).raw_data)) != value:
                return True
        for name, objects in spec.m2m.items():
            if sorted(obj.pk for obj in getattr(page, name).all()) != sorted(obj.pk for obj in objects):
                return True
        if spec.tags is not None and sorted(t.name.lower() for t in page.tags.all()) != sorted(spec.tags):
            return True
        return any(self.rows_differ(page, relation, rows) for relation, rows in spec.children.items())

    def rows_differ(self, page, relation, rows):
        names = rows[0].keys() if rows else ()
        return self.child_rows(page, relation, names) != rows

    def apply(self, page, spec):
        for name, value in {**spec.fields, **spec.streams}.items():
            setattr(page, name, value)
        for name, objects in spec.m2m.items():
            getattr(page, name).set(objects)
        if spec.tags is not None:
            page.tags.set(spec.tags)
        for relation, rows in spec.children.items():
            if self.rows_differ(page, relation, rows):
                row_model = page._meta.get_field(relation).related_model
                setattr(page, relation, [row_model(sort_order=i, **row) for i, row in enumerate(rows)])

    # Page specs ----------------------------------------------------------------------------------

    def index_spec(self, model, key, data):
        return PageSpec(
            model,
            slug=key,
            fields={
                "title": data["title"],
                "intro": data["intro"],
                "search_description": data["search_description"],
                "show_in_menus": key in content.MENU_PAGES,
            },
        )

    def product_spec(self, data):
        sku = data["sku"]
        physical = data["kind"] == ProductPage.Kind.PHYSICAL
        released = self.now - timedelta(days=data["released_days_ago"])
        return PageSpec(
            ProductPage,
            slug=data["slug"],
            fields={
                "title": data["title"],
                "summary": data["summary"],
                "search_description": data["summary"],
                "sku": sku,
                "price": data["price"],
                "kind": data["kind"],
                "on_sale": data.get("on_sale", True),
                "brand": self.brands.get(data.get("brand")),
                "membership_group": self.groups.get(data.get("membership")),
            },
            streams={"body": self.stream(ProductPage, "body", data["body"], f"product:{sku}:body")},
            m2m={"categories": [self.categories[slug] for slug in data["categories"]]},
            children={
                "gallery_images": [
                    {"image_id": self.images[key].pk, "caption": caption} for key, caption in data["gallery"]
                ],
                "deliverables": [{"document_id": self.documents[key].pk} for key in data.get("files", [])],
            },
            # Stock is set once: after that sales move it, and a reload must not undo them.
            initial={"first_published_at": released, "stock": data["stock"] if physical else None},
        )

    def post_spec(self, data):
        date = (self.now - timedelta(days=data["days_ago"])).date()
        return PageSpec(
            BlogPostPage,
            slug=data["slug"],
            fields={
                "title": data["title"],
                "summary": data["summary"],
                "search_description": data["summary"],
                "author": self.authors[data["author"]],
                "hero_image": self.images[data["hero"]],
            },
            streams={"body": self.stream(BlogPostPage, "body", data["body"], f"post:{data['slug']}:body")},
            m2m={"categories": [self.blog_categories[slug] for slug in data["categories"]]},
            tags=sorted(data["tags"]),
            initial={
                "date": date,
                "first_published_at": timezone.make_aware(datetime.combine(date, time(9, 0))),
            },
        )

    def info_spec(self, data):
        return PageSpec(
            InfoPage,
            slug=data["slug"],
            fields={
                "title": data["title"],
                "intro": data["intro"],
                "search_description": data["search_description"],
                "show_in_menus": data["key"] in content.MENU_PAGES,
            },
            streams={"body": self.stream(InfoPage, "body", data["body"], f"info:{data['slug']}:body")},
        )

    def contact_spec(self):
        data = content.CONTACT
        # clean_name is left out: Wagtail derives it from the label when a field is first saved.
        defaults = {
            "label": "",
            "field_type": "",
            "required": True,
            "choices": "",
            "default_value": "",
            "help_text": "",
        }
        return PageSpec(
            ContactPage,
            slug="contact",
            fields={
                "title": data["title"],
                "search_description": data["search_description"],
                "intro": data["intro"],
                "thank_you_text": self.text(data["thank_you_text"]),
                "subject": data["subject"],
                "to_address": "",
                "from_address": "",
                "show_in_menus": "contact" in content.MENU_PAGES,
            },
            children={
                "form_fields": [
                    {name: row.get(name, default) for name, default in defaults.items()} for row in data["fields"]
                ]
            },
        )

    def home_spec(self):
        data = content.HOME
        return PageSpec(
            HomePage,
            slug="home",
            fields={
                "title": data["title"],
                "seo_title": data["seo_title"],
                "search_description": data["search_description"],
                "hero_heading": data["hero_heading"],
                "hero_text": data["hero_text"],
                "hero_image": self.images[data["hero_image"]],
                "hero_cta_label": data["hero_cta_label"],
                "hero_cta_page": self.pages[data["hero_cta_page"]],
            },
            streams={"body": self.stream(HomePage, "body", data["body"], "home:body")},
        )

    def generated_products(self):
        """The shop filled up to `products_total` with generated products that reuse the demo's pictures."""
        gallery = dict.fromkeys(key for product in content.PRODUCTS for key, _caption in product["gallery"])
        result = catalogue.fill_catalogue(
            self.products_total,
            shop=self.pages["shop"],
            images=[self.images[key] for key in gallery],
            categories=list(self.categories.values()),
            brands=list(self.brands.values()),
        )
        self.report.changes[("generated products", "created")] += result.created
        self.report.changes[("generated products", "unchanged")] += result.existing
        self.report.changes[("generated products", OUTCOMES[3])] += result.kept

    # Settings and the admin login ------------------------------------------------------------

    def site_settings(self, site):
        data = content.SETTINGS
        stream = self.stream

        def links(name):
            return stream(
                SiteSettings,
                name,
                [("link", {"label": label, "page": PageRef(key), "url": ""}) for label, key in data[name]],
                f"settings:{name}",
            )

        social = stream(
            SiteSettings,
            "social_links",
            [("link", {"network": network, "url": url}) for network, url in data["social_links"]],
            "settings:social_links",
        )
        fields = {
            name: data[name]
            for name in (
                "brand_name",
                "tagline",
                "primary_colour",
                "accent_colour",
                "contact_email",
                "currency",
                "ships_to",
                "shipping_rate",
                "handling_days_min",
                "handling_days_max",
                "transit_days_min",
                "transit_days_max",
                "return_policy",
                "return_days",
                "return_fees",
            )
        }
        fields["logo"] = self.images[data["logo"]]
        return self.upsert(
            SiteSettings,
            {"site": site},
            fields,
            {"social_links": social, "header_links": links("header_links"), "footer_links": links("footer_links")},
            kind="site settings",
        )

    def admin_user(self):
        user_model = get_user_model()
        user = user_model.objects.filter(email__iexact=ADMIN_EMAIL).first()
        if user is None:
            user_model.objects.create_superuser(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
            self.report.note("users", "created")
        elif not user.check_password(ADMIN_PASSWORD):
            self.report.note("users", "unchanged")
            return f"Admin: {content.served_at('/admin/')}  email {ADMIN_EMAIL}  (password was changed; kept as it is)"
        else:
            self.report.note("users", "unchanged")
        return f"Admin: {content.served_at('/admin/')}  email {ADMIN_EMAIL}  password {ADMIN_PASSWORD}"

    def customer_user(self):
        """A verified shopper account, so the dashboard can be tried without waiting for an email."""
        user_model = get_user_model()
        user = user_model.objects.filter(email__iexact=CUSTOMER_EMAIL).first()
        if user is None:
            user = user_model.objects.create_user(email=CUSTOMER_EMAIL, password=CUSTOMER_PASSWORD, first_name="Robin")
            self.report.note("users", "created")
        else:
            self.report.note("users", "unchanged")
        EmailAddress.objects.update_or_create(
            user=user, email=CUSTOMER_EMAIL, defaults={"verified": True, "primary": True}
        )
        return f"Shopper: {content.served_at('/account/login/')}  email {CUSTOMER_EMAIL}  password {CUSTOMER_PASSWORD}"

    # Summary -----------------------------------------------------------------------------------

    @staticmethod
    def counts():
        return {
            "home pages": HomePage.objects.count(),
            "product index pages": ProductIndexPage.objects.count(),
            "products": ProductPage.objects.count(),
            "products live": ProductPage.objects.live().count(),
            "blog index pages": BlogIndexPage.objects.count(),
            "blog posts": BlogPostPage.objects.count(),
            "info pages": InfoPage.objects.count(),
            "contact pages": ContactPage.objects.count(),
            "contact form fields": ContactFormField.objects.count(),
            "gallery images": ProductGalleryImage.objects.count(),
            "product files": ProductFile.objects.count(),
            "brands": Brand.objects.count(),
            "product categories": ProductCategory.objects.count(),
            "blog categories": BlogCategory.objects.count(),
            "authors": Author.objects.count(),
            "tags": Tag.objects.count(),
            "images": get_image_model().objects.count(),
            "documents": get_document_model().objects.count(),
            "collections": Collection.objects.count(),
            "users": get_user_model().objects.count(),
            "orders": Order.objects.count(),
            "reviews": Review.objects.count(),
        }


def load_demo(products=0):
    return DemoLoader(products=products).run()

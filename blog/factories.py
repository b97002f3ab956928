import datetime

import factory
import wagtail_factories

from django.utils import timezone
from django.utils.text import slugify

from blog.models import Author, BlogCategory, BlogIndexPage, BlogPostPage


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Author {n}")
    role = "Editor"
    bio = "Writes about tools, process and the business of making."

    class Meta:
        model = Author


class BlogCategoryFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))

    class Meta:
        model = BlogCategory


class BlogIndexPageFactory(wagtail_factories.PageFactory):
    title = "Journal"
    intro = "Notes from the workshop."
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = BlogIndexPage


class BlogPostPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Post {n}")
    author = factory.SubFactory(AuthorFactory)
    date = datetime.date(2025, 3, 14)
    summary = "What we learned shipping our first kit."
    body = factory.LazyFunction(lambda: [{"type": "paragraph", "value": "<p>It started with a sketch.</p>"}])
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = BlogPostPage
        skip_postgeneration_save = True

    class Params:
        draft = factory.Trait(live=False, first_published_at=None)

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)
            obj.save()

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)
            obj.save()

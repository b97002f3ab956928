"""The page cache's registry of models whose changes reach cached pages: the base app names none of the apps
above it, and each app registers the snippets its pages show from its own AppConfig.ready."""

import pytest

from django.db.models.signals import post_delete, post_save

from wagtail.contrib.redirects.models import Redirect

from blog.factories import AuthorFactory, BlogCategoryFactory
from products.factories import BrandFactory, ProductCategoryFactory
from website.page_cache import GENERATION_KEY, invalidate, page_cache, register_cache_dependency

pytestmark = pytest.mark.django_db


@pytest.fixture
def generation(django_capture_on_commit_callbacks):
    """Run `change` as a committed transaction would, and say whether the cache's generation moved."""

    def moved_by(change):
        invalidate()
        before = page_cache().get(GENERATION_KEY)
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return page_cache().get(GENERATION_KEY) != before

    return moved_by


@pytest.mark.parametrize("factory", [AuthorFactory, BlogCategoryFactory, BrandFactory, ProductCategoryFactory])
def test_each_app_registers_the_snippets_its_pages_show(generation, factory):
    snippet = factory()

    assert generation(snippet.save)
    assert generation(snippet.delete)


@pytest.fixture
def redirects_registered():
    """Redirect is not a cache dependency of this site: registered for one test, then let go again."""
    yield
    post_save.disconnect(sender=Redirect, dispatch_uid="page_cache.wagtailredirects.Redirect.save")
    post_delete.disconnect(sender=Redirect, dispatch_uid="page_cache.wagtailredirects.Redirect.delete")


def test_a_registered_model_empties_the_cache_when_saved_or_deleted_and_registering_twice_adds_nothing(
    generation, redirects_registered
):
    redirect = Redirect(old_path="/old", redirect_link="https://example.com/")
    assert not generation(redirect.save)

    register_cache_dependency(Redirect)
    receivers = len(post_save.receivers), len(post_delete.receivers)
    register_cache_dependency(Redirect)

    assert (len(post_save.receivers), len(post_delete.receivers)) == receivers
    assert generation(redirect.save)
    assert generation(redirect.delete)

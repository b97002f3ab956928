"""The editor's SEO check: plain warnings on the Promote tab and a live search/social preview mode."""

import pytest

from django.urls import reverse

from wagtail.test.utils.form_data import querydict_from_html
from wagtailseo.models import SeoSettings

from blog.factories import BlogPostPageFactory
from infopages.factories import InfoPageFactory
from products.factories import ProductPageFactory
from products.models import ProductPage
from website.factories import ImageFactory
from website.seo_checks import seo_problems
from website.tests.html import soup

pytestmark = pytest.mark.django_db

GOOD_DESCRIPTION = "Twelve gouache brushes for Procreate, made from scans of real paint on cold-press paper."


def figure(image, alt="", decorative=False):
    """An image block as stored (raw JSON)."""
    value = {"image": {"image": image.pk, "alt_text": alt, "decorative": decorative}, "caption": "", "width": "content"}
    return {"type": "image", "value": value}


@pytest.fixture
def described_image(db):
    return ImageFactory(title="IMG_2041", description="A gouache swatch sheet in six colours")


def test_a_well_prepared_page_has_no_problems(blog_index, site_settings, described_image):
    post = BlogPostPageFactory(
        parent=blog_index,
        title="Five gouache habits",
        search_description=GOOD_DESCRIPTION,
        hero_image=described_image,
        body=[figure(described_image, alt="Swatches"), figure(described_image, decorative=True)],
    )
    assert seo_problems(post) == []


def test_each_problem_is_named_in_plain_words(blog_index, site_settings):
    bare = ImageFactory(title="IMG_2041", description="")
    post = BlogPostPageFactory(
        parent=blog_index,
        title="A very long title that goes on well past what any search engine will show",
        search_description="Too short.",
        hero_image=bare,
        body=[figure(bare, alt="")],
    )

    problems = seo_problems(post)

    assert problems == [
        "The title is 73 characters; search results cut titles off after about 60. Shorten it, or set a shorter "
        "title tag on the Promote tab.",
        "The description (from the search description) is 10 characters; aim for 50 to 160 so search results show "
        "it whole. Write a search description on the Promote tab.",
        "The hero image “IMG_2041” has no description, so its file title is read out as alt text.",
        "Image 1 in the body has no alt text. Describe it, or mark it decorative.",
    ]


def test_a_page_without_description_or_any_image_says_so(home_page, site_settings):
    page = InfoPageFactory(parent=home_page, title="About", intro="", body=[])

    assert seo_problems(page) == [
        "There is no description. Write a search description on the Promote tab.",
        "There is no social image. Choose a preview image on the Promote tab, or a site default in Settings.",
    ]


def test_the_site_default_social_image_counts(home_page, site_settings, described_image):
    SeoSettings.objects.update_or_create(site=site_settings.site, defaults={"og_image_default": described_image})
    page = InfoPageFactory(parent=home_page, title="About", search_description=GOOD_DESCRIPTION, body=[])

    assert seo_problems(page) == []


def test_an_uncaptioned_gallery_image_without_description_is_flagged(product_index, site_settings):
    product = ProductPageFactory(
        parent=product_index, summary=GOOD_DESCRIPTION, gallery=[ImageFactory(title="scan-03", description="")]
    )
    assert seo_problems(product) == [
        "The gallery image “scan-03” has no description, so its file title is read out as alt text."
    ]


def test_the_promote_tab_lists_the_problems_and_points_to_the_preview(editor_client, blog_index, site_settings):
    post = BlogPostPageFactory(parent=blog_index, title="T" * 70, search_description=GOOD_DESCRIPTION)

    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[post.pk]))

    assert response.status_code == 200
    text = " ".join(soup(response.content).get_text().split())
    assert "2 things to fix before publishing (warnings only; you can still publish)" in text
    assert "The title is 70 characters" in text
    assert "There is no social image." in text
    assert "choose SEO Preview" in text


def test_a_new_page_has_its_promote_tab_with_the_slug_and_seo_fields(editor_client, product_index, site_settings):
    response = editor_client.get(reverse("wagtailadmin_pages:add", args=("products", "productpage", product_index.pk)))

    promote = soup(response.content).find(id="tab-promote")
    fields = {field["name"] for field in promote.find_all(["input", "textarea"]) if field.get("name")}
    assert {"slug", "seo_title", "search_description", "og_image", "noindex"} <= fields
    assert "There is no social image." in promote.get_text()  # a page with no site yet has no site default


def preview_unsaved(client, page, **changes):
    """Send the page's edit form with `changes` to Wagtail's preview view, as the preview panel and the Promote
    tab's check do, and return the SEO preview of the unsaved values, parsed."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data.update(changes)
    data["body-count"] = "0"  # the StreamField's inputs are drawn by JavaScript, so the HTML lacks them

    posted = client.post(f"{preview_url}?mode=wagtail-seo", data)
    assert posted.json() == {"is_valid": True, "is_available": True}
    response = client.get(preview_url, {"mode": "wagtail-seo"})
    assert response.status_code == 200
    return soup(response.content)


LONG_TITLE = "Riverstone Gouache Brushes for Procreate, Photoshop, Krita and Affinity Photo"


def test_the_seo_preview_mode_shows_unsaved_edits_with_warnings(editor_client, product_index, site_settings, image):
    product = ProductPageFactory(
        parent=product_index, title="Riverstone Brushes", summary=GOOD_DESCRIPTION, gallery=[image]
    )

    page = preview_unsaved(editor_client, product, title=LONG_TITLE)

    assert page.select_one("[data-seo-title]").get_text() == LONG_TITLE
    assert page.select_one("[data-seo-description]").get_text() == GOOD_DESCRIPTION
    assert "fill-1200x630" in page.select_one("[data-seo-image]")["src"]
    problems = [item.get_text(strip=True) for item in page.select("[data-seo-problems] li")]
    assert problems[0].startswith("The title is 77 characters")
    assert "localhost › shop › " in page.get_text()
    assert product.specific.__class__.objects.get(pk=product.pk).title == "Riverstone Brushes"  # nothing saved


def test_the_seo_preview_shows_the_address_with_the_unsaved_slug(editor_client, product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Riverstone Brushes", slug="riverstone")

    page = preview_unsaved(editor_client, product, slug="riverstone-gouache-brushes")

    address = " ".join(page.select_one("#search-result + div p span span:last-child").get_text().split())
    assert address == "localhost › shop › riverstone-gouache-brushes"
    assert ProductPage.objects.get(pk=product.pk).url_path.endswith("/riverstone/")  # nothing saved


def test_the_seo_preview_carries_the_promote_tabs_check_of_the_same_values(
    editor_client, product_index, site_settings, described_image
):
    product = ProductPageFactory(parent=product_index, title="Brushes", summary=GOOD_DESCRIPTION, gallery=[])
    new_image = ImageFactory(title="brush-card", description="")

    page = preview_unsaved(
        editor_client, product, seo_title=LONG_TITLE, search_description="Brushes.", og_image=str(new_image.pk)
    )

    shown = [item.get_text(strip=True) for item in page.select("[data-seo-problems] li")]
    # What the Promote tab's check puts in its place; read on its own, as the browser reads a <template>'s content.
    check = soup(page.select_one("template[data-seo-checks-template]").decode_contents())
    assert [item.get_text(strip=True) for item in check.select("li")] == shown
    assert len(shown) == 3 and shown[2] == (
        "The social image “brush-card” has no description, so its file title is read out as alt text."
    )
    assert "3 things to fix before publishing" in check.get_text()


@pytest.mark.parametrize("adding", [False, True])
def test_the_promote_tabs_check_sends_the_form_where_the_preview_panel_does(
    editor_client, product_index, site_settings, adding
):
    if adding:
        url = reverse("wagtailadmin_pages:add", args=("products", "productpage", product_index.pk))
        preview_url = reverse("wagtailadmin_pages:preview_on_add", args=("products", "productpage", product_index.pk))
    else:
        product = ProductPageFactory(parent=product_index)
        url = reverse("wagtailadmin_pages:edit", args=[product.pk])
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[product.pk])

    page = soup(editor_client.get(url).content)

    panel = page.select_one("#tab-promote [data-seo-checks-panel]")
    assert panel["data-seo-checks-url"] == preview_url
    assert page.select_one('[data-controller~="w-preview"]')["data-w-preview-url-value"] == preview_url
    assert page.select_one('script[src$="/website/js/seo_checks.js"]')


@pytest.mark.parametrize(
    "url_name", ["wagtailredirects:index", "wagtailredirects:add", "wagtailsearchpromotions:index"]
)
def test_marketers_manage_redirects_and_promoted_search_results(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_a_redirect_made_in_the_admin_sends_visitors_on(client, home_page):
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/old-planner", redirect_link="/shop/", is_permanent=True)

    response = client.get("/old-planner/")

    assert response.status_code == 301 and response["Location"] == "/shop/"

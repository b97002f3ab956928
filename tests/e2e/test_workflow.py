"""Moderation and scheduled publishing in the Wagtail admin, with the page cache on: the demo's editor edits a
journal post and submits it to Editorial review (there is no Publish for them), the moderator finds it awaiting
their review and approves, and an anonymous visitor gets the change, not the cached old page; the admin
schedules a change for the next minute, it is not live until the scheduler's job runs, then it is."""

import os
import time
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from django.core.management import call_command
from django.utils import timezone

from accounts.factories import UserFactory
from blog.factories import BlogPostPageFactory
from demo.loader import Report
from demo.workflow import EDITORS, MODERATORS, WORKFLOW_NAME, load_workflow
from tests.e2e.conftest import admin_login

SHOTS = os.environ.get("PAGECART_SCREENSHOTS")  # a folder: the journeys save what they show there, for a look
DESKTOP = {"width": 1280, "height": 900}


def setup_shop(settings, blog_index):
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 600
    load_workflow(Report())  # the demo's groups and Editorial review (its logins are made only with DEBUG on)
    post = BlogPostPageFactory(parent=blog_index, title="Winter kits", slug="winter-kits")
    post.save_revision().publish()  # as an editor's Publish leaves it, with a live revision
    return post


def staff(email, group_name):
    from django.contrib.auth.models import Group

    user = UserFactory(email=email, is_staff=False)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def visitor_sees(browser, live_server, url):
    """The post's heading as an anonymous visitor gets it (through the page cache), in a browser of their own."""
    context = browser.new_context()
    try:
        visit = context.new_page()
        response = visit.goto(live_server.url + url)
        return response.status, visit.get_by_role("heading", level=1).inner_text()
    finally:
        context.close()


def shot(page, name, viewport):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(400)  # Wagtail's menus fade in
        page.screenshot(path=Path(SHOTS) / f"{name}-{viewport}.png")


def test_the_editor_submits_the_moderator_approves_and_visitors_get_the_change(
    page, viewport, browser, live_server, settings, site_settings, blog_index
):
    post = setup_shop(settings, blog_index)
    editor = staff("editor@example.com", EDITORS)
    staff("moderator@example.com", MODERATORS)
    assert visitor_sees(browser, live_server, post.url) == (200, "Winter kits")  # now in the page cache

    admin_login(page, live_server, email=editor.email)
    page.goto(f"{live_server.url}/admin/pages/{post.pk}/edit/")
    page.get_by_role("textbox", name="Title*").fill("Winter kits, with seed trays")
    page.get_by_role("button", name="More actions").click()
    submit = page.get_by_role("button", name=f"Submit to {WORKFLOW_NAME}")
    expect(submit).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)  # editors cannot publish
    shot(page, "editor-submits", viewport)
    submit.click()
    expect(page.get_by_text("has been submitted for moderation", exact=False)).to_be_visible()
    assert visitor_sees(browser, live_server, post.url) == (200, "Winter kits")  # not live until approved

    page.context.clear_cookies()
    admin_login(page, live_server, email="moderator@example.com")
    if viewport == "desktop":
        page.set_viewport_size(DESKTOP)
    review = page.get_by_role("region", name="Awaiting your review")
    expect(review.get_by_role("link", name="Winter kits, with seed trays")).to_be_visible()
    shot(page, "moderator-dashboard", viewport)
    review.get_by_role("link", name="Winter kits, with seed trays").click()
    page.wait_for_url(f"**/admin/pages/{post.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    approve = page.get_by_role("button", name="Approve and Publish")
    expect(approve).to_be_visible()
    shot(page, "moderator-review", viewport)
    approve.click()
    expect(page.get_by_text("has been updated", exact=False)).to_be_visible()  # approved and published

    assert visitor_sees(browser, live_server, post.url) == (200, "Winter kits, with seed trays")


def test_a_change_scheduled_for_the_next_minute_goes_live_when_the_scheduler_runs(
    page, viewport, browser, live_server, settings, site_settings, blog_index, superuser
):
    post = setup_shop(settings, blog_index)
    assert visitor_sees(browser, live_server, post.url) == (200, "Winter kits")
    if viewport == "desktop":
        page.set_viewport_size(DESKTOP)

    admin_login(page, live_server, email=superuser.email)
    page.goto(f"{live_server.url}/admin/pages/{post.pk}/edit/")
    page.get_by_role("textbox", name="Title*").fill("Winter kits: the spring edition")
    # The schedule dialog's picker takes whole minutes: the next one at least ten seconds away.
    go_live = (timezone.localtime() + timedelta(seconds=70)).replace(second=0, microsecond=0)
    page.get_by_role("button", name="Toggle status").click()
    page.get_by_role("button", name="Set schedule").click()
    dialog = page.get_by_role("dialog", name="Set publishing schedule")
    go_live_field = dialog.get_by_role("textbox", name="Go live date/time")
    go_live_field.fill(go_live.strftime("%Y-%m-%d %H:%M"))
    expect(go_live_field).to_have_value(go_live.strftime("%Y-%m-%d %H:%M"))
    shot(page, "schedule-dialog", viewport)
    # The date picker stays open over the button; a keyboard user presses it as well.
    dialog.get_by_role("button", name="Save schedule").press("Enter")
    expect(dialog).to_be_hidden()
    if viewport == "phone":  # the status panel covers the whole screen there: close it to reach the actions
        page.get_by_role("button", name="Toggle status").click()
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Schedule to publish").click()
    page.wait_for_url(f"**/admin/pages/{blog_index.pk}/")

    post.refresh_from_db()
    assert post.live and post.title == "Winter kits"  # the change waits for its time
    assert visitor_sees(browser, live_server, post.url) == (200, "Winter kits")

    time.sleep(max(0.0, (go_live - timezone.localtime()).total_seconds()) + 0.5)
    call_command("publish_scheduled")  # the scheduler's job, as run_scheduler runs it

    assert visitor_sees(browser, live_server, post.url) == (200, "Winter kits: the spring edition")

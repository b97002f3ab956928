"""The demo's editorial team (demo.workflow): the editor may write and submit but not publish, the moderator is
told and approves, the change goes live; a mail server that is down never loses the submission."""

import logging
from io import StringIO

import pytest

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowState

from blog.factories import BlogPostPageFactory
from blog.models import BlogPostPage
from demo.loader import Report
from demo.workflow import EDITOR, MODERATOR, PASSWORD, TASK_NAME, WORKFLOW_NAME, load_workflow
from products.factories import ProductPageFactory
from website.tests.servers import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(settings, site_settings):
    settings.DEBUG = True  # the logins are made only for local development, as the admin's is
    lines = load_workflow(Report())
    editor = get_user_model().objects.get(email=EDITOR["email"])
    return {"editor": editor, "lines": lines}


@pytest.fixture
def post(blog_index):
    return BlogPostPageFactory(parent=blog_index, title="Winter kits", slug="winter-kits")


def signed_in(email):
    client = Client()
    response = client.post(reverse("wagtailadmin_login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302, "the documented demo login should work"
    return client


def submitted_by_the_editor(post, editor, title):
    """What the editor's Submit does: a revision of the change, and the page's workflow started on it."""
    post.title = title
    post.save_revision(user=editor)
    return post.get_workflow().start(post, editor)


def test_every_page_of_the_site_goes_through_editorial_review(team, post, product_index):
    mug = ProductPageFactory(parent=product_index, title="Studio Mug", sku="MUG-1")

    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow == workflow
    assert post.get_workflow() == workflow and mug.get_workflow() == workflow  # a price change too
    assert [task.specific.groups.get().name for task in workflow.tasks] == ["Moderators"]
    assert team["lines"] == [
        f"Editor: http://127.0.0.1:8000/admin/  email {EDITOR['email']}  password {PASSWORD}",
        f"Moderator: http://127.0.0.1:8000/admin/  email {MODERATOR['email']}  password {PASSWORD}",
    ]


def test_the_editor_edits_and_submits_but_cannot_publish(team, post, blog_index):
    editor = team["editor"]
    permissions = post.permissions_for_user(editor)
    assert permissions.can_edit() and not permissions.can_publish()
    assert blog_index.permissions_for_user(editor).can_add_subpage()  # new posts too

    editing = signed_in(editor.email).get(reverse("wagtailadmin_pages:edit", args=[post.pk])).content.decode()
    assert f"Submit to {WORKFLOW_NAME}" in editing
    assert 'name="action-publish"' not in editing


def test_a_submission_mails_the_moderator_who_approves_and_the_change_goes_live(team, post, client):
    state = submitted_by_the_editor(post, team["editor"], "Winter kits, revised")

    told = [message for message in mail.outbox if MODERATOR["email"] in message.to]
    assert len(told) == 1 and "Winter kits, revised" in told[0].subject
    assert f"/admin/pages/{post.pk}/edit/" in told[0].body  # a link straight to the review
    assert client.get(post.url).content.decode().count("Winter kits, revised") == 0  # not live yet

    moderator = signed_in(MODERATOR["email"])
    dashboard = moderator.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting your review" in dashboard and "Winter kits, revised" in dashboard
    task_state = state.current_task_state
    response = moderator.post(
        reverse("wagtailadmin_pages:workflow_action", args=[post.pk, "approve", task_state.pk]), {"comment": ""}
    )

    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert BlogPostPage.objects.get(pk=post.pk).title == "Winter kits, revised"
    assert "Winter kits, revised" in client.get(post.url).content.decode()


def test_the_editor_cannot_approve_their_own_submission(team, post):
    state = submitted_by_the_editor(post, team["editor"], "Winter kits, self-approved")

    response = signed_in(EDITOR["email"]).post(
        reverse("wagtailadmin_pages:workflow_action", args=[post.pk, "approve", state.current_task_state.pk])
    )

    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")  # "permission denied"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert BlogPostPage.objects.get(pk=post.pk).title == "Winter kits"


def test_a_mail_server_that_is_down_does_not_lose_the_submission(team, post, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2

    with caplog.at_level(logging.ERROR, logger="wagtail.admin"):
        state = submitted_by_the_editor(post, team["editor"], "Winter kits, while mail was down")

    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == TASK_NAME  # waiting for the moderator, as usual
    assert "notification" in caplog.text.lower()  # logged for the operator, not raised at the editor


def test_loading_the_demo_again_changes_nothing_in_the_team(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())

    def team_rows():
        return (
            get_user_model().objects.count(),
            Workflow.objects.count(),
            WorkflowPage.objects.count(),
            GroupApprovalTask.objects.count(),
            GroupPagePermission.objects.count(),
            sorted(get_user_model().objects.get(email=EDITOR["email"]).groups.values_list("name", flat=True)),
        )

    first = team_rows()
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())

    assert team_rows() == first
    assert first[5] == ["Editors"]
    assert "workflows: 1 unchanged" in out.getvalue()
    assert f"Moderator: http://127.0.0.1:8000/admin/  email {MODERATOR['email']}  password changeme" in out.getvalue()

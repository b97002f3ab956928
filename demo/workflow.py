"""The demo's editorial team: an editor who writes and submits, a moderator who approves, and the "Editorial
review" workflow between them, so a new owner can try moderation in the first hour.

The workflow covers the whole page tree (it is assigned to the root page, where Wagtail's own default "Moderators
approval" sat): in a shop every page matters, a product's price as much as a journal post's words. Editors may
add and edit pages and submit them; only Moderators (and the superuser admin) publish, directly or by approving.

Wagtail's data migrations already make the Editors and Moderators groups; they are found or made here and given
what the demo needs, so the demo works even where an owner removed them. Running it again changes nothing. The
logins are made only with DEBUG on, as the admin's is, and a password someone changed is kept.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .content import served_at

WORKFLOW_NAME = "Editorial review"
TASK_NAME = "Moderators approve"
EDITORS, MODERATORS = "Editors", "Moderators"
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
IMAGE_PERMISSIONS = ["add_image", "choose_image"]  # to illustrate a post; paid files stay out of reach
PASSWORD = "changeme"  # noqa: S105 - the documented demo logins, only ever made with DEBUG on  # nosec B105
EDITOR = {"email": "editor@example.com", "first_name": "Sam", "last_name": "Editor", "group": EDITORS}
MODERATOR = {"email": "moderator@example.com", "first_name": "Morgan", "last_name": "Moderator", "group": MODERATORS}


def load_workflow(report) -> list[str]:
    """Make (or bring back in line) the groups, the workflow and, with DEBUG on, the two logins. Returns the
    lines load_demo prints about the logins."""
    with transaction.atomic():
        groups = {name: team_group(name) for name in PAGE_PERMISSIONS}
        workflow, created = editorial_review(groups[MODERATORS])
        root = Page.get_first_root_node()
        assigned = WorkflowPage.objects.filter(page=root, workflow=workflow).exists()
        if not assigned:
            WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
        report.note("workflows", "created" if created else "unchanged" if assigned else "updated")
        if not settings.DEBUG:
            return []
        return [staff_login(person, groups[person["group"]], report) for person in (EDITOR, MODERATOR)]


def team_group(name):
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in PAGE_PERMISSIONS[name]:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    images = Collection.get_first_root_node()
    for codename in IMAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=images, permission=permission)
    return group


def editorial_review(moderators):
    """The workflow with its one task, Moderators' approval, found by name; and whether it was made now."""
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(moderators)
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow, created


def staff_login(person, group, report):
    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=person["email"]).first()
    if user is None:
        user = user_model.objects.create_user(
            email=person["email"], password=PASSWORD, first_name=person["first_name"], last_name=person["last_name"]
        )
        report.note("users", "created")
    else:
        report.note("users", "unchanged")
    user.groups.add(group)
    role = person["group"][:-1]  # Editor, Moderator
    if not user.check_password(PASSWORD):
        return f"{role}: {served_at('/admin/')}  email {person['email']}  (password was changed; kept as it is)"
    return f"{role}: {served_at('/admin/')}  email {person['email']}  password {PASSWORD}"

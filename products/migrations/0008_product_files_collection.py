"""The private "Product files" collection every shop has, so a new owner's first paid file has somewhere safe
to go. Idempotent: an existing "Product files" collection is kept and only given its restriction if it lacks one.

Private here means a view restriction to a list of groups that is empty: Wagtail's own document view then
refuses everyone but superusers, and buyers download through the shop's grants (checkout.delivery.downloads)."""

from django.db import migrations

NAME = "Product files"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node path alphabet, 4 characters a step
STEP = 4


def _path_step(number):
    digits = ""
    while number:
        number, digit = divmod(number, len(ALPHABET))
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEP, "0")


def create_product_files(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    collection = children.filter(name=NAME).first()
    if collection is None:
        last = children.order_by("-path").values_list("path", flat=True).first()
        number = int(last[-STEP:], len(ALPHABET)) + 1 if last else 1
        collection = Collection.objects.create(name=NAME, path=root.path + _path_step(number), depth=2, numchild=0)
        root.numchild = Collection.objects.filter(depth=2, path__startswith=root.path).count()
        root.save(update_fields=["numchild"])
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        CollectionViewRestriction.objects.create(collection=collection, restriction_type="groups")


class Migration(migrations.Migration):
    dependencies = [
        ("products", "0007_tax_code"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(create_product_files, migrations.RunPython.noop)]

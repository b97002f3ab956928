"""How fast Shop › Sold by answers with 10,000 orders: one command, run by hand (never by the test suite).

    bench/sold-by                   # 10,000 orders over 90 days, each report shown 7 times
    bench/sold-by --orders 50000 --repeat 5
    bench/sold-by --keep            # keep the data folder

In a throwaway folder (deleted at the end) with bench.settings (production settings, SQLite, or the
PostgreSQL that DATABASE_URL names under bin/with-services): migrates, loads the demo store, collects static
files (the admin's pages name them), then adds N paid orders of one to three lines over the last 90 days, each
line sold by a demo blog post or product page (and a block of it for teasers), most with a campaign's first and
last touch; one order in twenty refunded as a whole and one in twenty partly (money refunded without naming
lines). Then, signed in as a superuser through Django's test client (the whole view: form, query, template), it
times the report by page, block, campaign, first-touch campaign and day for the 90 days, its CSV export, the
page filter, and a page's edit view with its "sold in the last 30 days" line, and prints each one's median and
worst time against the 300 ms target.
"""

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from bench.runner import VENV_PYTHON, bench_env, manage, print_machine, run_then_clean_up

TARGET_MS = 300

ORDERS_SCRIPT = """
import random, uuid
from datetime import timedelta
from decimal import Decimal
from django.db import transaction
from django.utils import timezone
from blog.models import BlogPostPage
from checkout.models import Order, OrderLine
from products.models import ProductPage

N = {orders}
random.seed(22)
posts = list(BlogPostPage.objects.live())
products = list(ProductPage.objects.live()[:200])
blocks = {{post.pk: [str(uuid.uuid4()) for _ in range(3)] for post in posts}}
campaigns = [("newsletter", "email", "spring"), ("instagram", "social", "launch"), ("google", "cpc", "brand"), None]
now = timezone.now()
with transaction.atomic():
    orders = []
    for n in range(N):
        campaign = random.choice(campaigns)
        touch = {{"landing": "/journal/"}}
        if campaign:
            touch.update(utm_source=campaign[0], utm_medium=campaign[1], utm_campaign=campaign[2])
        paid = now - timedelta(days=random.uniform(0, 89), minutes=n % 60)
        orders.append(Order(
            number=f"B{{n:07d}}", access_token=uuid.uuid4().hex, email=f"buyer{{n}}@example.com",
            status=Order.Status.COMPLETED, currency="USD", subtotal=0, total=0, paid_at=paid,
            touches={{"first": touch, "last": touch}},
        ))
    Order.objects.bulk_create(orders, batch_size=1000)
    lines = []
    for order in Order.objects.filter(number__startswith="B").only("pk", "number"):
        for _ in range(random.randint(1, 3)):
            product = random.choice(products)
            source = random.choice(posts + [product])
            lines.append(OrderLine(
                order_id=order.pk, product=product, title=product.title, sku=product.sku, is_digital=True,
                unit_price=product.price, quantity=random.randint(1, 2), source_page=source.pk,
                source_title=source.title, source_url=source.url or "",
                source_block=random.choice(blocks[source.pk]) if source.pk in blocks else "",
            ))
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    refunded = list(Order.objects.filter(number__startswith="B").values_list("pk", flat=True)[::20])
    OrderLine.objects.filter(order_id__in=refunded).update(refunded=True)
    Order.objects.filter(pk__in=refunded).update(status=Order.Status.REFUNDED)
    partly = Order.objects.filter(number__startswith="B").values_list("pk", flat=True)[10::20]
    Order.objects.filter(pk__in=list(partly)).update(refunded_amount=Decimal("5.00"))
bench_orders = Order.objects.filter(number__startswith="B")
print(bench_orders.count(), OrderLine.objects.filter(order__in=bench_orders).count())
"""

TIMING_SCRIPT = """
import json, statistics, time
from datetime import timedelta
from django.test import Client
from django.utils import timezone
from django.urls import reverse
from accounts.models import User
from blog.models import BlogPostPage

admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
    email="bench-owner@example.com", password=None)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(admin)
post = BlogPostPage.objects.live().first()
report = reverse("shop_sold_by")
end = timezone.localdate()
period = f"start={{end - timedelta(days=89)}}&end={{end}}"
dimensions = ("page", "block", "campaign", "first_campaign", "day")
cases = {{f"report by {{by}}": f"{{report}}?by={{by}}&{{period}}" for by in dimensions}}
cases["CSV by block"] = f"{{report}}?by=block&{{period}}&export=csv"
cases["one page's blocks"] = f"{{report}}?by=block&{{period}}&page={{post.pk}}"
cases["post's edit view"] = reverse("wagtailadmin_pages:edit", args=[post.pk])
results = {{}}
for name, url in cases.items():
    assert client.get(url).status_code == 200, url  # warm: templates compiled, connection open
    times = []
    for _ in range({repeat}):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    results[name] = {{"median": statistics.median(times), "worst": max(times), "bytes": len(response.content)}}
print(json.dumps(results))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=10_000, help="paid orders to add (default 10,000)")
    parser.add_argument("--repeat", type=int, default=7, help="times each report is shown (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="pagecart-sold-by-"))
    env = {**bench_env(workdir), "CHECKOUT_ENABLED": "false"}

    def run():
        print_machine(str(VENV_PYTHON))
        print(f"Data folder: {workdir}")
        for step in (("migrate", "--noinput"), ("load_demo",), ("collectstatic", "--noinput")):
            _out, seconds = manage(env, *step)
            print(f"  {' '.join(step):34} {seconds:6.1f} s")
        out, seconds = manage(env, "shell", "-c", ORDERS_SCRIPT.format(orders=args.orders))
        orders, lines = out.strip().splitlines()[-1].split()
        print(f"  {orders} orders, {lines} lines added      {seconds:6.1f} s")
        out, _seconds = manage(env, "shell", "-c", TIMING_SCRIPT.format(repeat=args.repeat))
        results = json.loads(out.strip().splitlines()[-1])
        print(f"\n{'what':22} {'median ms':>10} {'worst ms':>10} {'bytes':>9}")
        for name, figures in results.items():
            print(f"{name:22} {figures['median']:10.1f} {figures['worst']:10.1f} {figures['bytes']:9d}")
        slow = [name for name, figures in results.items() if figures["median"] >= TARGET_MS]
        for name in results:
            verdict = "FAIL" if name in slow else "PASS"
            print(f"{verdict}  {name}: median under {TARGET_MS} ms with {orders} orders")
        return 1 if slow else 0

    def cleanup():
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    sys.exit(run_then_clean_up(run, cleanup))


if __name__ == "__main__":
    main()

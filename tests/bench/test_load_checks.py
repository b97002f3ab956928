"""bench/load's count check: it passes a run whose every completed checkout became one paid order, and names
each way a run can go wrong (bench/load itself is run by hand; this keeps its verdict honest)."""

import json

import pytest

from bench.load_checks import count_check
from checkout.factories import OrderFactory
from checkout.models import Notification, Order, OrderStatusChange


def paid_order(session_id):
    order = OrderFactory(payment_session_id=session_id)
    OrderStatusChange.objects.create(order=order, from_status=Order.Status.PENDING, to_status=Order.Status.PAID)
    Notification.objects.create(order=order, kind=Notification.Kind.RECEIPT, recipient=order.email)
    return order


def check(tmp_path, capsys, completed, fake_completed, *, webhook_answers=None, after_order=0):
    (tmp_path / "completed.txt").write_text("".join(f"{session} {number}\n" for session, number in completed))
    answers = webhook_answers if webhook_answers is not None else {"200": len(fake_completed)}
    (tmp_path / "fake.json").write_text(json.dumps({"completed": fake_completed, "webhook_answers": answers}))
    count_check(tmp_path / "completed.txt", tmp_path / "fake.json", after_order=after_order)
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.django_db
def test_a_clean_run_has_no_problems(tmp_path, capsys):
    orders = [paid_order(f"cs_test_{n}") for n in range(3)]
    result = check(
        tmp_path, capsys, [(o.payment_session_id, o.number) for o in orders], ["cs_test_0", "cs_test_1", "cs_test_2"]
    )
    assert result["completed checkouts"] == result["paid orders"] == 3
    assert not any(result["problems"].values()), result["problems"]


@pytest.mark.django_db
def test_orders_from_before_the_run_are_left_out(tmp_path, capsys):
    before = OrderFactory(payment_session_id="")
    order = paid_order("cs_test_new")
    result = check(tmp_path, capsys, [("cs_test_new", order.number)], ["cs_test_new"], after_order=before.pk)
    assert result["paid orders"] == 1
    assert not any(result["problems"].values()), result["problems"]


@pytest.mark.django_db
def test_each_way_a_run_can_go_wrong_is_counted(tmp_path, capsys):
    twice = paid_order("cs_test_twice")
    OrderStatusChange.objects.create(order=twice, from_status=Order.Status.PAID, to_status=Order.Status.PAID)
    Notification.objects.create(order=twice, kind=Notification.Kind.RECEIPT, recipient=twice.email)
    unseen = paid_order("cs_test_unseen")
    paid_order("cs_test_other")
    completed = [
        ("cs_test_twice", twice.number),
        ("cs_test_twice", twice.number),
        ("cs_test_lost", "LOST0001"),
        ("cs_test_other", unseen.number),
    ]
    fake = ["cs_test_twice", "cs_test_lost", "cs_test_unseen", "cs_test_other"]
    result = check(tmp_path, capsys, completed, fake, webhook_answers={"200": 2, "500": 1})
    assert result["problems"] == {
        "checkouts completed twice": 1,
        "completed checkouts without exactly one paid order": 1,
        "success pages showing another order's number": 2,
        "paid orders no shopper completed": 1,
        "orders paid twice": 1,
        "download grants made twice": 0,
        "paid digital lines without their grants": 0,
        "paid orders without exactly one receipt": 1,
        "sessions FakeStripe completed that the shop did not mark paid": 1,
        "webhook deliveries not answered 200": 1,
        "webhook deliveries missing": 1,
    }

"""FakeStripe in a process of its own, for bench/load: the API stripe-python talks to and the hosted payment page.

    .venv/bin/python -m bench.fake_stripe_server --webhook-url http://127.0.0.1:8200/checkout/stripe/webhook/

Prints its base URL on the first line of stdout, then serves until stopped. Unlike the tests' FakeStripe it
- queues up to 1,024 connections (http.server's default is 5, which drops connections under 200 users);
- sends each checkout.session.completed event from a thread of its own after the payment page has answered,
  as Stripe does, so the event races the buyer's arrival on the success page instead of always beating it;
- answers GET /_bench/state with what it saw: sessions by status, the completed ones, the shop's answers to
  each event and the deliveries still under way, for the count check at the end of the run.
"""

import argparse
import json
import signal
import sys
import threading
from collections import Counter
from http.server import ThreadingHTTPServer

from tests.fake_stripe import server as fake_stripe

STATE_PATH = "/_bench/state"


class LoadFakeStripe(fake_stripe.FakeStripe):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.deliveries_pending = 0

    def deliver(self, event):
        with self._lock:
            self.deliveries_pending += 1
        threading.Thread(target=self._deliver_now, args=(event,), daemon=True).start()

    def _deliver_now(self, event):
        try:
            super().deliver(event)
        except OSError as error:  # no answer at all (refused, timed out): recorded as status 0
            with self._lock:
                self.webhook_responses.append((0, str(error)))
        finally:
            with self._lock:
                self.deliveries_pending -= 1

    def state(self):
        with self._lock:
            statuses = Counter(session["status"] for session in self.sessions.values())
            answers = Counter(str(status) for status, _body in self.webhook_responses)
            return {
                "sessions": dict(statuses),
                "completed": sorted(sid for sid, session in self.sessions.items() if session["status"] == "complete"),
                "webhook_answers": dict(answers),
                "webhook_errors": [body[:300] for status, body in self.webhook_responses if status != 200][:5],
                "deliveries_pending": self.deliveries_pending,
            }


class Handler(fake_stripe._Handler):
    def do_GET(self):
        if self.path != STATE_PATH:
            return self._respond()
        payload = json.dumps(self.server.fake.state()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class Server(ThreadingHTTPServer):
    request_queue_size = 1024


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.fake_stripe_server", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="default: any free port")
    parser.add_argument("--webhook-url", required=True, help="where paid sessions' events go")
    parser.add_argument("--webhook-secret", default="whsec_test_fake", help="the shop's STRIPE_WEBHOOK_SECRET")
    args = parser.parse_args()

    fake = LoadFakeStripe(webhook_secret=args.webhook_secret, webhook_url=args.webhook_url)
    server = Server(("127.0.0.1", args.port), Handler)
    server.fake = fake
    fake.base_url = f"http://127.0.0.1:{server.server_port}"
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    print(fake.base_url, flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

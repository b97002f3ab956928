"""A fake Stripe API server for tests and benchmarks: the real stripe library talks HTTP to it on 127.0.0.1.

It is not shipped with the checkout app; `server` answers the requests, `params` checks them against the
parameter types stripe-python ships."""

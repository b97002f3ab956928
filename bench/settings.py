"""Production settings for a benchmark on 127.0.0.1 over plain HTTP (see bench/run).

Everything is config.settings.production except what plain-HTTP loopback needs, and a URLconf with a
trivial view to measure the floor against.
"""

from config.settings.production import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ROOT_URLCONF = "bench.urls"
# load_demo --products N leaves the pictures to the first visits, as before it cut them: the benchmarks warm
# their pages first, and a catalogue of thousands would make the plan slow to list.
DEMO_RENDITIONS = False

"""Read by every gunicorn started in the project folder (gunicorn loads ./gunicorn.conf.py by itself).

A sync worker serves one connection at a time and waits for a whole request: a client that sends half a
request and stalls (slowloris) holds that worker until --timeout, so a few such connections stall the site.
Sync workers therefore belong behind a proxy that buffers requests (nginx: the image's default `web` command,
docker/nginx.conf). This warns at start when they listen on a network address with nothing saying so.

Each worker freezes what it loaded at start (post_worker_init) out of the garbage collector's sight."""

import gc
import ipaddress
import os


def exposed_addresses(binds):
    """The bind addresses another machine could reach: not a unix socket, a file descriptor or loopback."""
    exposed = []
    for bind in binds:
        if bind.startswith(("unix:", "fd://")):
            continue
        host = bind.rsplit(":", 1)[0].strip("[]") if ":" in bind else bind
        try:
            if host == "localhost" or ipaddress.ip_address(host).is_loopback:
                continue
        except ValueError:
            pass  # a host name: assume it is reachable
        exposed.append(bind)
    return exposed


def when_ready(server):
    behind_proxy = os.environ.get("BEHIND_BUFFERING_PROXY", "").lower() in ("1", "true", "yes")
    exposed = exposed_addresses(server.cfg.bind)
    if server.cfg.worker_class_str == "sync" and exposed and not behind_proxy:
        server.log.warning(
            "pagecart.W002: sync workers listen on %s with no buffering proxy in front: one half-sent request "
            "holds a worker for up to %s s (slowloris). Put nginx in front (the image's default `web` command, "
            "docker/nginx.conf), use --worker-class gthread, or set BEHIND_BUFFERING_PROXY=true when a "
            "buffering proxy already is.",
            ", ".join(exposed),
            server.cfg.timeout,
        )


def post_worker_init(worker):
    """Once the worker has loaded the site: its modules, models and settings stay for the worker's life, so the
    garbage collector stops walking them. Its full collections (one every few thousand requests) held a worker for
    about 70 ms each, long enough to be the slowest answers of a busy minute; frozen, about 7 ms."""
    gc.collect()
    gc.freeze()

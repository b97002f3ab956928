"""gunicorn.conf.py warns at start when sync workers listen on a network address with no buffering proxy said to
be in front (slowloris: website/tests/test_slowloris.py)."""

import gc
import logging
import runpy
import subprocess
import sys
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from .servers import PROJECT

CONFIG = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))


def start_up_warnings(caplog, monkeypatch, *, binds, worker_class="sync", behind_proxy=None):
    """What when_ready logs for a real gunicorn Config with these settings."""
    if behind_proxy is None:
        monkeypatch.delenv("BEHIND_BUFFERING_PROXY", raising=False)
    else:
        monkeypatch.setenv("BEHIND_BUFFERING_PROXY", behind_proxy)
    cfg = Config()
    cfg.set("bind", binds)
    cfg.set("worker_class", worker_class)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="gunicorn-test"):
        CONFIG["when_ready"](SimpleNamespace(cfg=cfg, log=logging.getLogger("gunicorn-test")))
    return [record.getMessage() for record in caplog.records]


@pytest.mark.parametrize("bind", ["0.0.0.0:8000", "[::]:8000", "shop.example.com:8000", "10.0.0.5:8000"])
def test_sync_workers_on_a_network_address_warn(caplog, monkeypatch, bind):
    (warning,) = start_up_warnings(caplog, monkeypatch, binds=[bind])
    assert warning.startswith(f"pagecart.W002: sync workers listen on {bind} ")
    assert "slowloris" in warning and "BEHIND_BUFFERING_PROXY" in warning


@pytest.mark.parametrize(
    "options",
    [
        {"binds": ["unix:/tmp/pagecart/gunicorn.sock"]},  # the image: nginx in front on the same machine
        {"binds": ["127.0.0.1:8000", "[::1]:8000", "localhost:8000"]},  # a plain server's nginx in front
        {"binds": ["0.0.0.0:8000"], "worker_class": "gthread"},
        {"binds": ["0.0.0.0:8000"], "behind_proxy": "true"},  # the scale profile's replicas
    ],
)
def test_no_warning_when_something_holds_slow_clients(caplog, monkeypatch, options):
    assert start_up_warnings(caplog, monkeypatch, **options) == []


def test_gunicorn_reads_the_projects_config_by_itself():
    printed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "config.wsgi:application"],
        cwd=PROJECT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "when_ready                         = <when_ready()>" in printed.stdout


def test_a_worker_freezes_what_it_loaded_at_start_out_of_the_collectors_sight():
    cfg = Config()
    cfg.set("post_worker_init", CONFIG["post_worker_init"])  # gunicorn accepts the hook as written
    try:
        cfg.post_worker_init(SimpleNamespace(cfg=cfg))
        assert gc.get_freeze_count() > 10_000  # Django, Wagtail and the project's modules, loaded by the suite
    finally:
        gc.unfreeze()

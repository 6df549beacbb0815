"""What the real-browser tests share: Debian's chromium, starting and stopping app servers, and
waiting for Streamlit to finish a run. The fixtures (`server`, `browser`, `shots`) are in conftest.py:
one app server and one browser for the whole run, started only when a browser test asks for them."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], home: Path, **env) -> subprocess.Popen:
    """A server in its own process group (`jixiao ui` runs Streamlit as a child: both are stopped
    together), its output in a file: a pipe nobody reads fills up and blocks the server."""
    with open(home / "server.log", "wb") as log:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, JIXIAO_HOME=str(home), HF_HUB_OFFLINE="1", **env),
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proc.log = home / "server.log"
    return proc


def start_ui(home: Path, port: int, address: str, cache: str) -> subprocess.Popen:
    """`jixiao ui` as users start it."""
    return start([sys.executable, "-m", "assistant.cli", "ui", "--port", str(port), "--address", address],
                 home, JIXIAO_CACHE=cache)


def wait_up(proc, url: str) -> None:
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.5)
    stop(proc)
    pytest.fail("the server did not come up: " + proc.log.read_text(errors="replace")[-2000:])


def stop(proc) -> None:
    """Stop the server and what it started (its process group): asked first, then killed, so that
    no server outlives the tests."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.time() + grace
        while time.time() < deadline:
            proc.poll()  # reap the group leader, or the group never looks empty
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def wait_idle(page, timeout=180_000) -> None:
    """Streamlit shows a running indicator while the script runs; wait until it is gone."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)

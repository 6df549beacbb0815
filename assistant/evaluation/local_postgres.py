"""A throw-away PostgreSQL server from Debian's packages (initdb into a temporary folder, `pg_ctl start`
on a free port of 127.0.0.1, stopped and deleted at the end): what the tests and the drafts benchmark
run against. Never a mock.

initdb and postgres refuse to run as root: as root they run as the `postgres` system user (created
by the Debian package) in a folder it owns."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

BIN = Path(os.environ.get("JIXIAO_PG_BIN", "/usr/lib/postgresql/15/bin"))
MISSING = (f"PostgreSQL 15 is not installed ({BIN}/initdb not found): "
           "apt-get install -y postgresql (see README, 运行测试)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_postgres(command), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


@contextmanager
def local_postgres(durable: bool = False):
    """Yield the URL of a fresh server's `postgres` database (superuser `postgres`, trust auth on
    127.0.0.1). durable=False turns fsync off (tests); True keeps the server's defaults (benchmark)."""
    if not (BIN / "initdb").exists():
        raise RuntimeError(MISSING)
    folder = Path(tempfile.mkdtemp(prefix="jixiao-pg-"))
    data, log = folder / "data", folder / "server.log"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    started = False
    try:
        _run([str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--locale=C", "--no-sync"])
        _run([str(BIN / "pg_ctl"), "start", "-w", "-t", "60", "-D", str(data), "-l", str(log), "-o", options])
        started = True
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    except RuntimeError:
        if log.exists():
            raise RuntimeError(log.read_text(errors="replace")[-4000:]) from None
        raise
    finally:
        if started:
            _run([str(BIN / "pg_ctl"), "stop", "-m", "fast", "-w", "-D", str(data)])
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

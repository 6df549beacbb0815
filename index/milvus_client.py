"""One Milvus connection per URI per process, and small text blobs (manifest, slot prior) kept in
a metadata collection of the same database.

pymilvus is imported here only, when a Milvus store is chosen: it is the optional extra `milvus`."""

from __future__ import annotations

from pathlib import Path

_CLIENTS: dict[str, object] = {}
BLOB_CHUNK = 16_000  # characters per stored piece: VARCHAR holds 65,535 bytes, a Chinese character takes 3


class StoreUnavailable(RuntimeError):
    """The Milvus database cannot be opened (a milvus-lite file another process holds, a server that
    does not answer): the message says which and what to do; the CLI exits with code 3."""


def is_local(uri: str) -> bool:
    """A file path: embedded milvus-lite; anything with a scheme is a served Milvus."""
    return "://" not in uri


def client(uri: str):
    """The MilvusClient of this URI (milvus-lite starts one server per database file: open it once)."""
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:  # the extra is not installed
        raise RuntimeError("使用 Milvus 存储需要安装可选组件：pip install -e \".[milvus]\"") from exc
    import logging

    # the iterator warns on every page that milvus-lite has no server timestamp; nothing to act on
    logging.getLogger("pymilvus").setLevel(logging.ERROR)
    # a database file it cannot open is logged with a traceback; StoreUnavailable below says it plainly
    logging.getLogger("milvus_lite.server_manager").setLevel(logging.CRITICAL)
    if uri not in _CLIENTS:
        try:
            if is_local(uri):
                Path(uri).expanduser().parent.mkdir(parents=True, exist_ok=True)
                _CLIENTS[uri] = MilvusClient(str(Path(uri).expanduser()))
            else:
                _CLIENTS[uri] = MilvusClient(uri=uri)
        except Exception as exc:  # pymilvus says only "Open local milvus failed" or "Fail connecting"
            raise StoreUnavailable(unavailable(uri)) from exc
    return _CLIENTS[uri]


def unavailable(uri: str) -> str:
    if is_local(uri):
        return (f"打不开 milvus-lite 数据库 {uri}：它同时只能由一个进程打开，可能正被另一个 jixiao 进程（如正在运行的界面）使用。"
                "请先关闭那个进程；几个进程共用时请改用 Milvus 服务（--store milvus://主机:19530）。")
    return f"连不上 Milvus 服务 {uri}：请确认服务已启动、地址和端口无误、本机能访问。"


def close(uri: str) -> None:
    """Close this URI's client; an embedded milvus-lite database is released too, so another process
    can open its file (milvus-lite would otherwise hold its lock until this process exits)."""
    c = _CLIENTS.pop(uri, None)
    if c is None:
        return
    try:
        c.close()
    except Exception:  # already gone; nothing to release
        pass
    if is_local(uri):
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(str(Path(uri).expanduser()))


def close_all() -> None:
    """Close every client this process opened (tests, benchmarks)."""
    for uri in list(_CLIENTS):
        close(uri)


class BlobStore:
    """Named texts in one collection (a Milvus collection needs a vector field: a 2-d dummy)."""

    def __init__(self, milvus, name: str):
        self.milvus, self.name = milvus, name

    def create(self) -> None:
        from pymilvus import DataType, MilvusClient

        if self.milvus.has_collection(self.name):
            return
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=256)
        schema.add_field("value", DataType.VARCHAR, max_length=65_535)
        schema.add_field("dummy", DataType.FLOAT_VECTOR, dim=2)
        params = self.milvus.prepare_index_params()
        params.add_index("dummy", index_type="FLAT", metric_type="L2")
        self.milvus.create_collection(self.name, schema=schema, index_params=params)
        self.milvus.load_collection(self.name)

    def write(self, key: str, text: str) -> None:
        pieces = [text[i:i + BLOB_CHUNK] for i in range(0, len(text), BLOB_CHUNK)] or [""]
        old = self.milvus.query(self.name, filter=f'key like "{key}#%"', output_fields=["key"])
        rows = [{"key": f"{key}#{i:05d}", "value": p, "dummy": [0.0, 0.0]} for i, p in enumerate(pieces)]
        self.milvus.upsert(self.name, rows)
        stale = [r["key"] for r in old if r["key"] not in {x["key"] for x in rows}]
        if stale:
            self.milvus.delete(self.name, ids=stale)
        self.milvus.flush(self.name)

    def delete(self, key: str) -> None:
        self.milvus.delete(self.name, filter=f'key like "{key}#%"')
        self.milvus.flush(self.name)

    def read(self, key: str) -> str | None:
        got = self.milvus.query(self.name, filter=f'key like "{key}#%"', output_fields=["key", "value"])
        if not got:
            return None
        return "".join(r["value"] for r in sorted(got, key=lambda r: r["key"]))

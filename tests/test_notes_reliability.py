"""The store survives SIGKILL, a second writer, a damaged file and an unwritable place."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui.notes.store import Store, StoreDamaged, StoreError, StoreUnavailable

REPO = Path(__file__).resolve().parent.parent
TEXT = "Passages worth keeping, whatever happens to the process. " * 4
DOC = "d" * 64


def _python(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_annotation_survives_sigkill_right_after_the_call(tmp_path):
    path = tmp_path / "notes.sqlite3"
    child = _python(
        """
        import sys
        from pathlib import Path
        from tui.notes.store import Store
        store = Store.open(Path(sys.argv[1]))
        text = sys.argv[2]
        annotation = store.add_annotation("d" * 64, text, 0, 8, tags=["evidence"], note="kept")
        print(annotation.uid, flush=True)
        sys.stdin.read()  # blocks until the parent kills this process
        """,
        str(path),
        TEXT,
    )
    uid = child.stdout.readline().strip()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL, child.stderr.read()
    assert Path(f"{path}-wal").exists(), "the killed process never checkpointed"
    with Store.open(path) as store:
        kept = store.get_by_uid(uid)
        assert kept is not None and (kept.quote, kept.tags, kept.note) == (TEXT[:8], ("evidence",), "kept")
        assert store.integrity_check() == "ok"


def test_two_processes_writing_at_once(tmp_path):
    path = tmp_path / "new" / "notes.sqlite3"
    script = """
        import sys
        from pathlib import Path
        from tui.notes.store import Store
        path, who, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
        sys.stdin.readline()  # both start writing when the parent says go
        store = Store.open(path)
        for index in range(200):
            store.add_annotation("d" * 64, text, index % 50, index % 50 + 5, tags=[who], note=str(index))
        store.close()
        print("done", flush=True)
    """
    children = [_python(script, str(path), who, TEXT) for who in ("first", "second")]
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0 and out.strip() == "done", err
    with Store.open(path) as store:
        annotations = store.annotations(DOC)
        assert len(annotations) == 400
        assert store.tag_usage("first") == store.tag_usage("second") == 200
        assert len({annotation.uid for annotation in annotations}) == 400
        assert store.integrity_check() == "ok"


GARBAGE = bytes(range(256)) * 64


def test_garbage_is_reported_as_damage(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(GARBAGE)
    with pytest.raises(StoreDamaged) as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(path) in message and "damaged" in message and "\n" not in message
    assert path.read_bytes() == GARBAGE, "reporting damage must not write to the file"


def test_recovery_moves_the_damaged_files_aside_untouched(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(GARBAGE)
    Path(f"{path}-wal").write_bytes(b"wal bytes")
    store, message = Store.open_or_recover(path)
    with store:
        assert store.annotations(DOC) == [] and store.tags()
    asides = sorted(tmp_path.glob("notes.sqlite3.damaged-*"))
    assert [aside.name.endswith("-wal") for aside in asides] == [False, True]
    assert asides[0].read_bytes() == GARBAGE and asides[1].read_bytes() == b"wal bytes"
    assert str(asides[0]) in message


def test_a_corrupted_database_page_is_damage(tmp_path):
    path = tmp_path / "notes.sqlite3"
    with Store.open(path) as store:
        for index in range(300):
            store.add_annotation(DOC, TEXT, index % 40, index % 40 + 9, note="x" * 200)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 6] = b"\xa5" * (page * 4)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreDamaged):
        Store.open(path)
    store, message = Store.open_or_recover(path)
    store.close()
    (aside,) = [
        found for found in tmp_path.glob("notes.sqlite3.damaged-*") if found.name[-4:] not in ("-wal", "-shm")
    ]
    assert aside.read_bytes() == bytes(data) and "moved to" in message


def test_a_healthy_store_opens_without_recovery(tmp_path):
    path = tmp_path / "notes.sqlite3"
    Store.open(path).close()
    store, message = Store.open_or_recover(path)
    store.close()
    assert message is None and not list(tmp_path.glob("*.damaged-*"))


@pytest.mark.parametrize("layout", ["under_a_file", "is_a_directory"])
def test_an_unwritable_place_is_unavailable(tmp_path, layout):
    if layout == "under_a_file":
        (tmp_path / "file").write_text("not a directory")
        path = tmp_path / "file" / "notes.sqlite3"
    else:
        path = tmp_path / "notes.sqlite3"
        path.mkdir()
    with pytest.raises(StoreUnavailable) as caught:
        Store.open(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert isinstance(caught.value, StoreError)


def test_a_directory_without_write_permission_is_unavailable(tmp_path, monkeypatch):
    """Tests run as root, who writes through permission bits: ask ``os.access`` as a user would."""
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if Path(path) == folder else real_access(path, mode)
    )
    with pytest.raises(StoreUnavailable, match="not writable"):
        Store.open(folder / "notes.sqlite3")

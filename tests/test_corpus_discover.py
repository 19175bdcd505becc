"""Discovery finds every text document under a folder and nothing else, without failing."""

from __future__ import annotations

import pytest

from tui.corpus.discover import CorpusError, discover, looks_like_text
from tui.locations import seeds_dir


def test_seeds_are_discovered_in_order():
    found = discover(seeds_dir()).documents
    assert [path.name[:3] for path in found] == ["000", "001", "002", "003", "004"]


def make_tree(root):
    files = {
        "a/b.txt": b"plain text\n",
        "a/c/deep.md": "# Arabic \u0645\u0631\u062d\u0628\u0627\n".encode(),
        "README": b"no suffix at all\n",
        "notes.srt": b"1\n00:00:01,000 --> 00:00:02,000\nHi\n",
        "utf16.txt": "\ufeffUTF-16 with a mark\n".encode("utf-16"),
        "gb.txt": "\u4e2d\u6587\u6587\u672c\u3002".encode("gb18030") * 20,
        ".hidden.txt": b"hidden file\n",
        ".cache/e.txt": b"hidden folder\n",
        ".git/f.txt": b"version control\n",
        "node_modules/g.txt": b"dependency\n",
        "__pycache__/h.txt": b"bytecode folder\n",
        "image.txt": bytes(range(256)) * 16,
        "photo.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "script.py": b"print('not reading matter')\n",
        "y.txt/inside.txt": b"a folder named like a file\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "a" / "loop").symlink_to(root, target_is_directory=True)
    (root / "dangling.txt").symlink_to(root / "nowhere")
    (root / "linked.txt").symlink_to(root / "a" / "b.txt")


def test_tree_yields_text_documents_only(tmp_path):
    make_tree(tmp_path)
    found = [path.relative_to(tmp_path).as_posix() for path in discover(tmp_path).documents]
    assert found == [
        "README", "a/b.txt", "a/c/deep.md", "gb.txt", "linked.txt", "notes.srt",
        "utf16.txt", "y.txt/inside.txt",
    ]


def test_single_file_is_its_own_corpus(tmp_path):
    path = tmp_path / "poem.py"
    path.write_text("Any suffix goes when the file is named.\n", encoding="utf-8")
    assert discover(path).documents == [path]


@pytest.mark.parametrize(
    "setup, message",
    [
        (lambda root: root / "missing", "no such file or folder"),
        (lambda root: root, "no text documents in"),
        (lambda root: _binary_only(root), "no text documents in"),
        (lambda root: _dangling(root), "broken link"),
    ],
    ids=["missing", "empty folder", "binary only", "dangling link"],
)
def test_problems_are_one_line_corpus_errors(tmp_path, setup, message):
    with pytest.raises(CorpusError, match=message) as raised:
        discover(setup(tmp_path))
    assert "\n" not in str(raised.value)


def test_sniff_accepts_marked_utf16_and_rejects_nul_bytes(tmp_path):
    utf16 = tmp_path / "u.txt"
    utf16.write_bytes("\ufeff\u0a38\u0a24\n".encode("utf-16"))
    nul = tmp_path / "n.txt"
    nul.write_bytes(b"text\x00with\x00nul\x00bytes" * 10)
    assert looks_like_text(utf16) and not looks_like_text(nul)
    assert not looks_like_text(tmp_path / "missing.txt")


def _binary_only(root):
    _binary_file(root)
    return root


def _binary_file(root):
    path = root / "blob.txt"
    path.write_bytes(bytes(range(256)) * 4)
    return path


def _dangling(root):
    link = root / "x.txt"
    link.symlink_to(root / "nowhere")
    return link


def test_a_binary_file_named_on_purpose_is_kept_for_the_reader(tmp_path):
    path = _binary_file(tmp_path)
    assert discover(path).documents == [path]

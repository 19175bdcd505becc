"""``margin export``, ``import``, ``tags`` and ``stats``: the annotation store from the shell.

Each handler takes the parsed arguments (``args.store`` is the store path, already
defaulted by the caller, or None for ``tui.locations.default_store()``) and returns an
exit status: 0 done, 2 nothing done (one line on stderr says why), 3 for an export that
was written but is incomplete (orphaned annotations or documents left out; one line on
stderr counts them).
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path

from tui.notes.atomic import OutputExists
from tui.notes.export import FORMATS, NotAFolder, export_format, gather, omissions, render, write
from tui.notes.exporters.collection import DocumentNotes, ExportScope
from tui.notes.exporters.spacy_docbin import SpacyMissing, spacy_available
from tui.notes.importing import NotesImportError, SourceDocument, import_file
from tui.notes.model import Document
from tui.notes.offsets import OFFSET_MODES, TEXT_OFFSETS
from tui.notes.store import Store, StoreError

FAILURE = 2
INCOMPLETE = 3
"""An export was written, but without some annotations or documents (see ``Omissions``)."""


class CommandError(Exception):
    """A request that cannot be carried out, in words for the user."""


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    export = subparsers.add_parser(
        "export",
        help="write annotations as Markdown, W3C JSON-LD, JSONL spans, CSV, brat, CoNLL or spaCy",
        description="Write annotations to standard output, a file (-o FILE) or, for brat, a folder (-o DIR).",
        epilog="conll and spacy tag tokens, one label per span (its first tag, or --tag); of "
        "overlapping spans they keep the longest, then the earliest, and say how many were left "
        "out; --strict makes that an error (exit status 2, nothing written).",
    )
    export.add_argument("--format", choices=list(FORMATS), default="md", help="output format (default: md)")
    export.add_argument("--doc", type=Path, metavar="PATH", help="only this document")
    export.add_argument("--tag", metavar="NAME", help="only annotations with this tag")
    export.add_argument(
        "--annotator",
        action="append",
        metavar="NAME",
        help="only this annotator's annotations (repeat for several)",
    )
    export.add_argument(
        "--layer",
        choices=("all", "curated"),
        default="all",
        help="curated: only the curated layer, the gold set (annotator 'curation'); default all",
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar="FILE|DIR", help="where to write (default: stdout)"
    )
    export.add_argument("--force", action="store_true", help="overwrite existing files")
    export.add_argument("--by-tag", action="store_true", help="Markdown: group by tag instead of document")
    export.add_argument(
        "--strict", action="store_true", help="conll, spacy: fail instead of leaving overlapping spans out"
    )
    export.add_argument(
        "--offsets",
        choices=OFFSET_MODES,
        default=TEXT_OFFSETS,
        help="text: code points of the decoded text, BOM dropped, CRLF and CR read as LF (default); "
        "file: code points of the file's characters, newlines as in the file",
    )
    from tui.notes.suggestion_commands import add_export_option

    add_export_option(export)
    export.set_defaults(func=run_export)

    importing = subparsers.add_parser(
        "import",
        help="merge annotations, relations and document labels from a W3C JSON-LD, JSONL, CSV, Markdown or brat export (.ann, or a folder)",
        description="Merge annotations into the store; duplicates are skipped, nothing is written on error.",
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument(
        "--suggestions",
        action="store_true",
        help="the file holds a model's suggestions (JSONL spans, spaCy/Prodigy JSONL or W3C), "
        "to accept or reject in the reader; a record matching no document is reported and skipped",
    )
    importing.add_argument(
        "--source", metavar="NAME", help="with --suggestions: what suggested them (default: from the file, else its name)"
    )
    importing.set_defaults(func=run_import)

    tags = subparsers.add_parser("tags", help="list tags with their keys, colours and use")
    tags.set_defaults(func=run_tags)

    stats = subparsers.add_parser("stats", help="count annotations per document and tag")
    stats.set_defaults(func=run_stats)

    from tui.notes.label_commands import add_subcommand as add_categories

    add_categories(subparsers, _guarded, _open_store)


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except OutputExists as error:
            return _fail(f"{error} (use --force to overwrite)")
        except (CommandError, StoreError, NotesImportError, NotAFolder, SpacyMissing) as error:
            return _fail(str(error))
        except BrokenPipeError:
            return FAILURE
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            return _fail(f"{where}{error.strerror or error}")

    return run


def _fail(message: str) -> int:
    print(f"margin: {message}", file=sys.stderr)
    return FAILURE


def _open_store(args: argparse.Namespace) -> Store:
    """The store, read-only if its file cannot be written. The folder of a store named with
    ``--store`` must exist; the default one is created on demand."""
    from tui.locations import default_store
    from tui.notes.store import open_store

    named = getattr(args, "store", None)
    create = getattr(args, "create_store_folder", named is None)
    return open_store(named or default_store(), create_folder=create)[0]


# -- export ------------------------------------------------------------------------


@_guarded
def run_export(args: argparse.Namespace) -> int:
    """Export the annotations in scope in the chosen format."""
    if getattr(args, "suggestions", False):
        return _export_suggestions(args)
    chosen = export_format(args.format)
    if args.by_tag and not chosen.by_tag:
        raise CommandError(f"--by-tag groups Markdown only; {args.format} export has no grouping")
    if chosen.folder and args.output is None:
        raise CommandError(f"{args.format} export writes a folder of files: give one with -o DIR")
    if args.format == "spacy" and not spacy_available():
        raise SpacyMissing()
    if chosen.binary and args.output is None:
        raise CommandError(f"{args.format} export is binary: give a file with -o FILE")
    with _open_store(args) as store:
        tag = args.tag
        if tag is not None and store.tag(tag) is None:
            raise CommandError(f"no tag named {tag!r} (see margin tags)")
        scope = ExportScope(
            doc_hash=_document_hash(store, args.doc) if args.doc else None, tag=tag, annotators=_annotators(args)
        )
        gathered = gather(store, scope, offsets=args.offsets)
    if chosen.bio:
        _check_bio_losses(gathered.documents, args.tag, strict=args.strict)
    rendered = render(args.format, gathered.documents, by_tag=args.by_tag, offsets=args.offsets, tag=args.tag)
    if args.output is None:
        _print_utf8(rendered)
    else:
        write(rendered, args.output, force=args.force)
    missed = omissions(args.format, gathered, offsets=args.offsets)
    if missed:
        print(f"margin: {missed.summary()}", file=sys.stderr)
        return INCOMPLETE
    return 0


def _annotators(args: argparse.Namespace) -> frozenset[str] | None:
    """Whose annotations to export: ``--layer curated`` is the curated layer alone."""
    from tui.notes.curation_record import CURATION

    named = getattr(args, "annotator", None)
    if getattr(args, "layer", "all") == "curated":
        if named and set(named) != {CURATION}:
            raise CommandError("--layer curated exports the curated layer only; it takes no --annotator")
        return frozenset({CURATION})
    return frozenset(named) if named else None


def _export_suggestions(args: argparse.Namespace) -> int:
    """The suggestions still open for me, as JSONL spans, to send back to a model."""
    from tui.notes.suggestion_commands import annotator_of, open_suggestions_jsonl

    if args.format != "jsonl":
        raise CommandError(f"--suggestions exports JSONL spans only, not {args.format}")
    if args.by_tag or args.offsets != TEXT_OFFSETS or args.strict:
        raise CommandError("--suggestions exports with text offsets only (no --by-tag, --offsets file or --strict)")
    with _open_store(args) as store:
        doc_hash = _document_hash(store, args.doc) if args.doc else None
        rendered, left_out = open_suggestions_jsonl(
            store, annotator_of(args, store), store_resolver(store), doc_hash=doc_hash, tag=args.tag
        )
    if args.output is None:
        _print_utf8(rendered)
    else:
        write(rendered, args.output, force=args.force)
    if left_out:
        print(f"margin: {left_out}", file=sys.stderr)
        return INCOMPLETE
    return 0


def _check_bio_losses(documents: list[DocumentNotes], tag: str | None, *, strict: bool) -> None:
    """Say what tagging tokens leaves out; with ``strict``, overlapping spans are an error."""
    from tui.notes.exporters.bio import OVERLAP_RULE, losses

    lost = losses(documents, tag)
    if lost.overlapping and strict:
        raise CommandError(
            f"{lost.overlapping} overlapping or nested spans cannot be BIO tags; nothing written "
            "(without --strict the longest, then the earliest, is kept)"
        )
    if lost.overlapping:
        print(
            f"margin: {lost.overlapping} overlapping or nested spans left out ({OVERLAP_RULE}; "
            "--strict fails instead)",
            file=sys.stderr,
        )
    if lost.empty:
        print(f"margin: {lost.empty} spans of only whitespace left out (no token)", file=sys.stderr)
    if lost.several_tags:
        print(
            f"margin: {lost.several_tags} annotations have several tags; each is labelled with its first",
            file=sys.stderr,
        )


def _print_utf8(text: str) -> None:
    """Exports are UTF-8 whatever the locale says, as they are in files."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()


def _document_hash(store: Store, path: Path) -> str:
    """The document at ``path``: by its current bytes, else by the path it was last seen at."""
    from tui.corpus.discover import CorpusError
    from tui.corpus.identity import content_hash

    if path.is_file():
        try:
            digest = content_hash(path)
        except CorpusError as error:
            raise CommandError(str(error)) from None
        if store.document(digest) is not None or store.annotations(digest):
            return digest
    known = store.document_by_path(path)
    if known is None:
        raise CommandError(f"{path}: no annotated document there")
    return known.hash


# -- import ------------------------------------------------------------------------


@_guarded
def run_import(args: argparse.Namespace) -> int:
    """Merge a W3C, JSONL, CSV, Markdown or brat export into the store."""
    if getattr(args, "suggestions", False):
        from tui.notes.suggestion_commands import run_import_suggestions

        return run_import_suggestions(args, _open_store, store_resolver)
    if getattr(args, "source", None) is not None:
        raise CommandError("--source names what made suggestions: use it with --suggestions")
    with _open_store(args) as store:
        report = import_file(store, args.file, store_resolver(store))
    labels = f", {report.labels} document label{'s' if report.labels != 1 else ''}" if report.labels else ""
    print(
        f"imported {report.added} annotations{labels}, skipped {report.skipped} already present, "
        f"{report.unanchored} not found in their document's current text"
        + (f"; {_count(report.relations, 'relation')} added" if report.relations else "")
    )
    if report.ignored:
        print(
            f"margin: ignored {len(report.ignored)} parts Margin does not keep ({report.ignored[0]})",
            file=sys.stderr,
        )
    return 0


def store_resolver(store: Store) -> Callable[[str | None, str | None], SourceDocument | None]:
    """Find an exported document on disk: where the store last saw it, else at the exported path."""

    def resolve(digest: str | None, path: str | None) -> SourceDocument | None:
        from tui.corpus.identity import text_hash
        from tui.corpus.metadata import title_of
        from tui.text.decode import decode

        candidates: list[Document | None] = []
        if digest:
            candidates.append(store.document(digest))
        if path:
            candidates.append(store.document_by_path(path))
            candidates.append(Document("", path, ""))
        for candidate in candidates:
            if candidate is None or not Path(candidate.path).is_file():
                continue
            try:
                data = Path(candidate.path).read_bytes()
            except OSError:
                continue
            decoded = decode(data)
            if decoded.binary:
                continue
            current = text_hash(data)
            known = store.document(current)
            title = (
                known.title
                if known
                else candidate.title or title_of(decoded.text) or Path(candidate.path).stem
            )
            return SourceDocument(current, candidate.path, title, decoded.text)
        return None

    return resolve


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# -- tags and stats ----------------------------------------------------------------


@_guarded
def run_tags(args: argparse.Namespace) -> int:
    """List the tags: key, name, colour and how many annotations carry each."""
    with _open_store(args) as store:
        rows = [(tag.key or "-", tag.name, tag.color, store.tag_usage(tag.name)) for tag in store.tags()]
    if not rows:
        print("no tags")
        return 0
    width = max(len(name) for _key, name, _color, _count in rows)
    for key, name, color, count in rows:
        print(f"{key}  {name.ljust(width)}  {color}  {count}")
    return 0


@_guarded
def run_stats(args: argparse.Namespace) -> int:
    """Counts per document and per tag."""
    with _open_store(args) as store:
        stats = store.stats()
        documents = {document.hash: document for document in store.documents()}
    print(
        f"{_count(stats.annotations, 'annotation')} in {_count(len(stats.by_document), 'document')} "
        f"({stats.orphans} orphaned, {stats.untagged} untagged)"
    )
    for doc_hash, count in sorted(
        stats.by_document.items(),
        key=lambda item: documents[item[0]].title if item[0] in documents else item[0],
    ):
        document = documents.get(doc_hash)
        name = f"{document.title} ({document.path})" if document else doc_hash
        print(f"\n{name}\n  {_count(count, 'annotation')}")
        for tag, tag_count in stats.by_document_and_tag.get(doc_hash, {}).items():
            print(f"  {tag}: {tag_count}")
    if stats.by_tag:
        print("\nby tag")
        for tag, count in stats.by_tag.items():
            print(f"  {tag}: {count}")
    return 0

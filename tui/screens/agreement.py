"""How far the annotators agree: tags × annotator pairs, and the documents that need curation.

Opened from the library (``A`` or the palette). The numbers are ``tui.notes.agreement``'s,
computed in a thread worker over the store (the curated layer left out: it is the outcome,
not an annotator) while the screen says it is computing. One measure is shown at a time
(``m`` switches); each value is coloured by how far it can be trusted — below 0.4 red,
below 0.67 yellow, else green, the thresholds Krippendorff gives for α. The documents are
listed with the lowest agreement first; Enter opens one in the reader in curation mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from tui.commands import BoundActions
from tui.notes.agreement import MEASURES, PAIR_MEASURES, Measures, Report
from tui.notes.curation_record import CURATION
from tui.screens.host import MarginHost, host_of
from tui.widgets.plain import PlainText, line_text, message_options

LOW = 0.4
"""Below this a value is shown red: agreement too weak to build on."""
TENTATIVE = 0.67
"""Below this (and from ``LOW``) yellow: tentative conclusions only (Krippendorff)."""
LABELS = {
    "f1_exact": "F1, exact spans (each pair)",
    "f1_overlap": "F1, overlapping spans (each pair)",
    "cohen_kappa": "Cohen's κ (each pair)",
    "fleiss_kappa": "Fleiss' κ (all annotators)",
    "alpha_nominal": "Krippendorff's α, nominal (all annotators)",
    "alpha_u": "Krippendorff's α_u, unitizing (all annotators)",
}
DEFAULT_MEASURE = "alpha_u"
TAG_WIDTH = 24
TITLE_WIDTH = 60


def value_style(value: float | None) -> str:
    """Red, yellow or green by value; dim for a value that cannot be computed."""
    if value is None:
        return "dim"
    if value < LOW:
        return "bold red"
    if value < TENTATIVE:
        return "yellow"
    return "green"


def value_cell(value: float | None) -> Text:
    return Text("—" if value is None else f"{value:.3f}", style=value_style(value), justify="right")


def document_value(measures: Measures, measure: str) -> float | None:
    """One number per document: the measure, or for a pair measure the mean over the pairs."""
    value = getattr(measures, measure)
    if isinstance(value, dict):
        known = [v for v in value.values() if v is not None]
        return sum(known) / len(known) if known else None
    return value


def lowest_first(report: Report, measure: str) -> list[tuple[str, float | None]]:
    """Documents by agreement, lowest first; those where it cannot be computed last."""
    values = [(key, document_value(measures, measure)) for key, measures in report.by_document.items()]
    return sorted(values, key=lambda entry: (entry[1] is None, entry[1] if entry[1] is not None else 0.0, entry[0]))


def compute_from_store(store) -> tuple[Report, dict[str, tuple[str, str]]]:
    """The report over the store's annotators (the curated layer aside) and, per document
    hash, its (path, title). Slow: run it in a thread."""
    from tui.notes.agreement import compute
    from tui.notes.agreement_input import finish, load_store
    from tui.notes.export import load_text

    loaded = load_store(store, None, load_text)
    documents = finish(loaded)
    names = sorted({name for document in documents for name in document.annotators} - {CURATION})
    report = compute(documents, annotators=names)
    where = {document.hash: (document.path, document.title) for document in store.documents()}
    return report, where


class AgreementCommands(BoundActions):
    """The agreement screen's keys in the palette."""


class AgreementScreen(Screen):
    """Agreement per tag and annotator pair, and the documents to curate first."""

    BINDING_GROUP_TITLE = "Agreement"
    COMMANDS = {AgreementCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "next_measure", "Next measure", id="agreement.measure"),
        Binding("enter", "curate", "Curate the document", id="agreement.curate", priority=True),
        Binding("tab", "switch_table", "Tags / documents", show=False, id="agreement.switch"),
        Binding("r", "recompute", "Compute again", show=False, id="agreement.recompute"),
        Binding("q,escape", "back", "Back", id="agreement.back"),
    ]
    DEFAULT_CSS = """
    AgreementScreen #title { height: 1; background: $panel; text-style: bold; padding: 0 1; }
    AgreementScreen #state { height: auto; padding: 0 1; color: $text-muted; }
    AgreementScreen #pairs { height: auto; max-height: 50%; }
    AgreementScreen #documents { height: 1fr; }
    """

    @dataclass
    class Computed(Message):
        report: Report
        where: dict[str, tuple[str, str]]

    @dataclass
    class Failed(Message):
        reason: str

    def __init__(self) -> None:
        super().__init__()
        self.measure = DEFAULT_MEASURE
        self.report: Report | None = None
        self.where: dict[str, tuple[str, str]] = {}
        self.order: list[tuple[str, float | None]] = []
        """The documents as listed: (hash, value), lowest agreement first."""
        self.computing = False

    @property
    def host(self) -> MarginHost:
        return host_of(self)

    def compose(self) -> ComposeResult:
        yield PlainText("Agreement", wrap=False, id="title")
        yield PlainText("", id="state")
        yield DataTable(id="pairs", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#documents", DataTable).focus()
        self.action_recompute()

    # -- computing ---------------------------------------------------------------------

    def action_recompute(self) -> None:
        store = self.host.store
        if store is None:
            self._state(self.host.store_notice or "No note store: nothing to compare.")
            return
        self.computing = True
        self._state("Computing agreement over the store…")
        self.run_worker(self._compute, thread=True, exclusive=True, group="agreement")

    def _compute(self) -> None:
        from tui.notes.store_api import StoreError

        try:
            report, where = compute_from_store(self.host.store)
        except (StoreError, ValueError) as error:
            self.post_message(self.Failed(str(error)))
            return
        self.post_message(self.Computed(report, where))

    def on_agreement_screen_computed(self, message: Computed) -> None:
        self.computing = False
        self.report, self.where = message.report, message.where
        self._show()

    def on_agreement_screen_failed(self, message: Failed) -> None:
        self.computing = False
        self._state(f"Could not compute agreement: {message.reason}")

    # -- showing -----------------------------------------------------------------------

    def _state(self, text: str) -> None:
        self.query_one("#state", PlainText).update(text)

    def _show(self) -> None:
        report = self.report
        if report is None:
            return
        options = message_options(self.host.layout_options)
        annotators = ", ".join(report.annotators) or "nobody"
        self.query_one("#title", PlainText).update(f"Agreement · {LABELS[self.measure]}")
        if len(report.annotators) < 2:
            self._state(f"Annotators: {annotators}. Agreement needs two annotators on a document.")
        else:
            self._state(
                f"{report.documents} documents · annotators: {annotators} · m: next measure · "
                f"red < {LOW} ≤ yellow < {TENTATIVE} ≤ green · Enter curates the highlighted document"
            )
        pairs = self.query_one("#pairs", DataTable)
        pairs.clear(columns=True)
        keys = self._columns(report)
        pairs.add_column("Tag", key="tag")
        for key in keys:
            pairs.add_column(line_text(key.replace("|", " × "), 20, options)[0], key=key)
        scopes = [("all tags", report.overall), *sorted(report.by_tag.items())]
        for name, measures in scopes:
            value = getattr(measures, self.measure)
            cells = [value_cell(value.get(key)) for key in keys] if isinstance(value, dict) else [value_cell(value)]
            pairs.add_row(Text(line_text(name, TAG_WIDTH, options)[0]), *cells)
        documents = self.query_one("#documents", DataTable)
        documents.clear(columns=True)
        documents.add_column("Agreement", key="value")
        documents.add_column("Document", key="title")
        self.order = lowest_first(report, self.measure)
        for digest, value in self.order:
            _path, title = self.where.get(digest, ("", digest[:12]))
            documents.add_row(value_cell(value), Text(line_text(title, TITLE_WIDTH, options)[0]), key=digest)

    def _columns(self, report: Report) -> list[str]:
        if self.measure in PAIR_MEASURES:
            names = report.annotators
            return [f"{a}|{b}" for i, a in enumerate(names) for b in names[i + 1 :]]
        return ["all"]

    # -- keys --------------------------------------------------------------------------

    def action_next_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self._show()

    def action_switch_table(self) -> None:
        documents = self.query_one("#documents", DataTable)
        (self.query_one("#pairs", DataTable) if documents.has_focus else documents).focus()

    def selected_document(self) -> str | None:
        documents = self.query_one("#documents", DataTable)
        if not self.order or not 0 <= documents.cursor_row < len(self.order):
            return None
        return self.order[documents.cursor_row][0]

    def action_curate(self) -> None:
        """Open the highlighted document in the reader, in curation mode."""
        digest = self.selected_document()
        if digest is None:
            self.notify("No document to curate yet.", severity="warning", markup=False)
            return
        path = self.where.get(digest, ("", ""))[0]
        if not path or not Path(path).is_file():
            self.notify(f"The file of this document is not where it was last seen: {path or digest}", severity="warning", markup=False)
            return
        from tui.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(Path(path), curate=True))

    def action_back(self) -> None:
        self.dismiss() if len(self.app.screen_stack) > 1 else self.app.exit()

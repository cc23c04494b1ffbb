"""The corpus report: what a store of pages says, as pictures and tables (issue 8).

``build_report(store, filters)`` is the HTML page the CLI writes (``marsad report``) and the
review UI links to; ``compute_figures`` is the data behind it, which ``--format json``
prints for notebooks. See ``figures.py`` for what each figure counts and ``html.py`` for
how untrusted store text is kept from running in the page.
"""

from __future__ import annotations

from marsad.report.figures import Figures, check_filters, compute_figures
from marsad.report.html import figures_json, render_html
from marsad.store.base import Store
from marsad.store.filters import Filters

FORMATS = ("html", "json")


def build_report(store: Store, filters: Filters | None = None) -> str:
    """The report for the pages of ``store`` that pass ``filters`` (site and dates), as one
    self-contained HTML document."""
    return render_html(compute_figures(store, filters))


def build_report_json(store: Store, filters: Filters | None = None) -> str:
    """The same figures as JSON: exactly the data the HTML is built from."""
    return figures_json(compute_figures(store, filters), indent=1)


__all__ = [
    "FORMATS", "Figures", "build_report", "build_report_json", "check_filters",
    "compute_figures", "figures_json", "render_html",
]

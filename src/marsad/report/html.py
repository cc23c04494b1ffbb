"""The corpus report as one self-contained HTML file, and as JSON.

The file needs nothing from the network: its style, Chart.js (vendored under ``vendor/``)
and our chart script are inlined, and the figures ride along as JSON. Store text (titles,
names, comments) is untrusted, so it reaches the page two ways only:

- tables are rendered here by Jinja2 with autoescaping on;
- the figures are embedded in a ``<script type="application/json">`` block, a data block
  the browser never runs, with ``<``, ``>``, ``&`` and U+2028/U+2029 written as JSON
  escapes, so no text inside can close the block (``</script>``) or open a comment;
  the chart script reads it with ``JSON.parse`` and draws text on canvases only.

A Content-Security-Policy meta tag allows exactly the inline scripts and style we wrote
(by their SHA-256) and nothing else: no other script, no connection, no image, no frame.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from marsad.report import labels as L
from marsad.report.figures import Figures

CHARTJS_FILE = "chart.umd.min.js"
CHARTJS_VERSION = "4.6.1"  # vendor/README.md records where it came from and its sha256
HEAT_LEVELS = 5  # co-occurrence cells are shaded h1…h5 by their share of the largest count

# Characters that could end the data block or change how the HTML parser reads it. JSON
# allows each as a \\u escape inside strings, and they appear only inside strings.
_JSON_ESCAPES = {
    "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029",
}


def figures_json(figures: Figures, indent: int | None = None) -> str:
    """The figures as JSON (``--format json``): readable text, nothing escaped but JSON's."""
    return json.dumps(figures, ensure_ascii=False, indent=indent)


def script_safe_json(figures: Figures) -> str:
    """The figures as JSON that is safe inside an HTML ``<script>`` element."""
    text = json.dumps(figures, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_ESCAPES.get(ch, ch) for ch in text)


def _asset(*parts: str) -> str:
    return files("marsad.report").joinpath(*parts).read_text(encoding="utf-8")


@cache
def _assets() -> dict[str, str]:
    return {
        "css": _asset("assets", "report.css"),
        "script": _asset("assets", "report.js"),
        "vendor": _asset("vendor", CHARTJS_FILE),
    }


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(scripts: list[str], styles: list[str]) -> str:
    """Only our inline scripts and style run; nothing is fetched from anywhere."""
    return "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(_sha256(s) for s in scripts),
        "style-src " + " ".join(_sha256(s) for s in styles),
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def _num(value: Any) -> str:
    return f"{int(value):,}" if value is not None else "—"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _hours(value: float | None) -> str:
    """A lag as people say it: hours under two days, else days."""
    if value is None:
        return "—"
    if abs(value) < 48:
        return f"{value:.0f} h"
    return f"{value / 24:.1f} d"


def _heat(n: int, matrix: list[list[int]]) -> str:
    """A co-occurrence cell's shade: its count against the largest off the diagonal."""
    top = max((v for i, row in enumerate(matrix) for j, v in enumerate(row) if i != j),
              default=0)
    if not n or not top:
        return "h0"
    return f"h{max(1, math.ceil(HEAT_LEVELS * n / top))}"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("marsad.report", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=_num, pct=_pct, hours=_hours)
    env.globals.update(
        site=lambda s: L.UNKNOWN if s is None else s,
        label=L.label,
        heat=_heat,
        sections=L.SECTIONS,
        labels=L,
        chartjs_version=CHARTJS_VERSION,
    )
    return env


def page_policy() -> str:
    """The report's Content-Security-Policy, for a server that sends the report as a
    response (its meta tag carries the same policy)."""
    assets = _assets()
    return content_security_policy([assets["vendor"], assets["script"]], [assets["css"]])


def render_html(figures: Figures) -> str:
    """The report page for these figures (``figures.compute_figures``)."""
    assets = _assets()
    csp = page_policy()
    template = _environment().get_template("report.html")
    return template.render(
        F=figures,
        csp=csp,
        css=Markup(assets["css"]),  # our own files, inlined verbatim (their hashes are in csp)
        vendor=Markup(assets["vendor"]),
        script=Markup(assets["script"]),
        data=Markup(script_safe_json(figures)),
    )

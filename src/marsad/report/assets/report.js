/* Draws the report's charts from the figures embedded in the page (script#marsad-figures).
 *
 * The figures are read with JSON.parse from a non-executable block, never evaluated, and
 * drawn on canvases by Chart.js (inlined above this script): store text reaches the page
 * only as canvas text, so a hostile name or comment cannot become markup here. Tables are
 * rendered by the server (Jinja2, autoescaped).
 *
 * Right to left: legends and tooltips run RTL, category axes are reversed so the first
 * category sits on the right, and horizontal bars grow leftwards from the right edge.
 */
(function () {
  "use strict";
  var block = document.getElementById("marsad-figures");
  if (!block || typeof Chart === "undefined") { return; }
  var F = JSON.parse(block.textContent);
  var L = F.labels;
  var PALETTE = ["#0b6e4f", "#f4a259", "#5b8e7d", "#bc4b51", "#8cb369", "#3d5a80",
                 "#e0a458", "#6d597a", "#98c1d9", "#b56576", "#7f7f7f", "#2a9d8f"];
  var GROUP_COLOURS = { published: "#2e7d32", review: "#f9a825", rejected: "#c62828",
                        unscored: "#9e9e9e" };

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.rtl = true;
  Chart.defaults.plugins.legend.textDirection = "rtl";
  Chart.defaults.plugins.tooltip.rtl = true;
  Chart.defaults.plugins.tooltip.textDirection = "rtl";
  Chart.defaults.datasets.bar.maxBarThickness = 40;

  function site(s) { return s === null ? L.unknown.site : s; }
  function named(table, key) { return table[key] || key; }
  function colour(i) { return PALETTE[i % PALETTE.length]; }

  // A chart in the canvas with this id; with nothing to draw, the canvas gives way to its
  // "no data" note.
  function draw(id, labels, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    if (!labels.length) {
      canvas.hidden = true;
      var note = canvas.parentNode.querySelector(".empty");
      if (note) { note.hidden = false; }
      return;
    }
    new Chart(canvas, config);
  }

  // Bars: vertical over categories (reversed for RTL), or horizontal (indexAxis "y")
  // growing from the right.
  function bars(id, labels, datasets, opts) {
    opts = opts || {};
    var horizontal = !!opts.horizontal;
    var stacked = !!opts.stacked;
    var scales = {
      x: { stacked: stacked, reverse: true, beginAtZero: true },
      y: { stacked: stacked, beginAtZero: true, position: horizontal ? "right" : "left" }
    };
    if (!horizontal) { scales.y.position = "right"; }
    draw(id, labels, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        scales: scales,
        plugins: { legend: { display: datasets.length > 1 } }
      }
    });
  }

  function doughnut(id, keys, values, names, colours) {
    draw(id, keys, {
      type: "doughnut",
      data: {
        labels: keys.map(function (k) { return named(names, k); }),
        datasets: [{ data: values, backgroundColor: colours || keys.map(function (_, i) {
          return colour(i); }) }]
      },
      options: { plugins: { legend: { position: "right" } } }
    });
  }

  // Rows of {site|month, ...counts} → one stacked dataset per key.
  function stackedBy(rows, labelOf, keys, countOf, names, colours) {
    return {
      labels: rows.map(labelOf),
      datasets: keys.map(function (k, i) {
        return {
          label: named(names, k),
          data: rows.map(function (r) { return countOf(r, k) || 0; }),
          backgroundColor: colours ? colours[k] : colour(i)
        };
      })
    };
  }

  function keysOf(rows, field) {
    var seen = {};
    var keys = [];
    rows.forEach(function (r) {
      Object.keys(r[field]).forEach(function (k) {
        if (!seen[k]) { seen[k] = true; keys.push(k); }
      });
    });
    return keys;
  }

  // ---- sourcing
  var S = F.sourcing;
  bars("chart-agencies", S.agencies.map(function (a) { return a.agency; }), [{
    label: "بيانات · statements",
    data: S.agencies.map(function (a) { return a.statements; }),
    backgroundColor: colour(0)
  }], { horizontal: true });
  var speakerKeys = ["named", "anonymous"];
  var speakerNames = { named: "مسمّى · named", anonymous: "مجهول · anonymous" };
  var speakerColours = { named: colour(0), anonymous: colour(3) };
  var bySite = stackedBy(S.speakers_by_site, function (r) { return site(r.site); }, speakerKeys,
    function (r, k) { return r[k]; }, speakerNames, speakerColours);
  bars("chart-speakers-site", bySite.labels, bySite.datasets, { stacked: true });
  var byMonth = stackedBy(S.speakers_by_month, function (r) { return r.month; }, speakerKeys,
    function (r, k) { return r[k]; }, speakerNames, speakerColours);
  bars("chart-speakers-month", byMonth.labels, byMonth.datasets, { stacked: true });

  // ---- voices
  var V = F.voices;
  bars("chart-entities", V.entities.map(function (e) { return e.entity; }), [{
    label: "صفحات · pages",
    data: V.entities.map(function (e) { return e.pages; }),
    backgroundColor: V.entities.map(function (e) {
      return colour(["PER", "ORG", "LOC", "MISC"].indexOf(e.type) + 1);
    })
  }], { horizontal: true });

  // ---- comment climate
  var C = F.climate;
  // Ranges are wrapped in left-to-right marks: in an RTL canvas "6–10" would read "10–6".
  var LRM = "\u200e";
  bars("chart-per-article", C.per_article_histogram.map(function (b) {
    var range = b.to === null ? b.from + "+" : (b.from === b.to ? String(b.from) : b.from + "–" + b.to);
    return LRM + range + LRM;
  }), [{ label: "صفحات · pages", backgroundColor: colour(0),
         data: C.per_article_histogram.map(function (b) { return b.pages; }) }]);
  var groups = Object.keys(C.decisions).filter(function (g) { return C.decisions[g] > 0; });
  doughnut("chart-decisions", groups, groups.map(function (g) { return C.decisions[g]; }),
           L.groups, groups.map(function (g) { return GROUP_COLOURS[g]; }));
  var decisions = stackedBy(C.decisions_by_site, function (r) { return site(r.site); },
    Object.keys(C.decisions), function (r, k) { return r[k]; }, L.groups, GROUP_COLOURS);
  bars("chart-decisions-site", decisions.labels, decisions.datasets, { stacked: true });
  var hateSite = stackedBy(C.hate_targets_by_site, function (r) { return site(r.site); },
    keysOf(C.hate_targets_by_site, "targets"), function (r, k) { return r.targets[k]; },
    L.hate_targets);
  bars("chart-hate-site", hateSite.labels, hateSite.datasets, { stacked: true });
  var hateMonth = stackedBy(C.hate_targets_by_month, function (r) { return r.month; },
    keysOf(C.hate_targets_by_month, "targets"), function (r, k) { return r.targets[k]; },
    L.hate_targets);
  bars("chart-hate-month", hateMonth.labels, hateMonth.datasets, { stacked: true });
  var dialects = Object.keys(C.dialects);
  doughnut("chart-dialects", dialects, dialects.map(function (d) { return C.dialects[d]; }),
           L.dialects);
  var dialectSite = stackedBy(C.dialects_by_site, function (r) { return site(r.site); },
    dialects, function (r, k) { return r.dialects[k]; }, L.dialects);
  bars("chart-dialects-site", dialectSite.labels, dialectSite.datasets, { stacked: true });

  // ---- syndication
  var Y = F.syndication;
  var firstSeen = stackedBy(Y.first_seen_vs_copies, function (r) { return site(r.site); },
    ["first_seen", "copies"], function (r, k) { return r[k]; },
    { first_seen: "نُشر أولاً · first seen", copies: "نُسخ · copies" },
    { first_seen: colour(0), copies: colour(1) });
  bars("chart-first-seen", firstSeen.labels, firstSeen.datasets, {});

  // ---- data quality
  var Q = F.quality;
  bars("chart-problems", Q.problems.map(function (p) { return p.kind; }), [{
    label: "صفحات · pages", backgroundColor: colour(3),
    data: Q.problems.map(function (p) { return p.pages; })
  }], { horizontal: true });

  document.documentElement.setAttribute("data-charts", String(Object.keys(Chart.instances).length));
})();

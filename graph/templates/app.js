/* ptkg page: a linked timeline (own SVG), network (vis-network) and details panel.
 *
 * Plain ES2017, no build step. All document text is untrusted, so it only reaches the DOM through
 * textContent / setAttribute / vis-network's canvas labels and innerText tooltips — never innerHTML.
 * The data comes from the JSON block #ptkg-data; nothing is fetched.
 */
(function () {
  'use strict';

  var DAY = 86400000;
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var FONT = 'system-ui, "Noto Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

  /* Lane order and colours per event kind come with the data (extractors/data/kinds.yaml, set by main());
     unknown kinds follow, alphabetically, in grey. */
  var KIND_ORDER = [];
  var KIND_COLORS = {};
  var OTHER_KIND_COLOR = '#868e96';

  /* English names of phrases and bodies where the data has them (graph/view.py "english"), set by main(). */
  var ENGLISH = { phrases: {}, organizations: {} };
  var ENGLISH_OF_FIELD = { phrase: 'phrases', organization: 'organizations' };

  /** The English beside a Chinese label of ``field`` ('phrase', 'organization'), or ''. */
  function englishOf(field, value) {
    var table = ENGLISH[ENGLISH_OF_FIELD[field]];
    return (table && Object.prototype.hasOwnProperty.call(table, value) && table[value]) || '';
  }

  /** A label and, in a quieter span, its English. */
  function labelWithEnglish(tag, className, value, field) {
    var node = el(tag, className, String(value));
    var en = englishOf(field, String(value));
    if (en) node.appendChild(el('span', 'en', ' ' + en));
    return node;
  }

  function setKinds(kinds) {
    KIND_ORDER = (kinds || []).map(function (k) { return k.id; });
    KIND_COLORS = {};
    (kinds || []).forEach(function (k) { KIND_COLORS[k.id] = k.colour; });
  }
  /* Lane colours when lanes are organizers (items keep their kind colour). */
  var ORG_COLORS = ['#2f9e44', '#1971c2', '#e8590c', '#9c36b5', '#0c8599', '#c2255c', '#5c940d', '#364fc7', '#a61e4d', '#d9480f'];

  /* Network node styles per node type: a distinct shape AND colour each, so the legend is readable in greyscale. */
  var NODE_TYPES = {
    event: { label: 'Event (colour = kind)', shape: 'dot', color: '#1c7ed6' },
    person: { label: 'Person', shape: 'diamond', color: '#f76707' },
    organization: { label: 'Organization', shape: 'square', color: '#37b24d' },
    phrase: { label: 'Phrase', shape: 'triangle', color: '#ae3ec9' },
    document: { label: 'Document', shape: 'hexagon', color: '#795548' }
  };
  var EDGE_TYPES = {
    speaker: { meaning: 'speaker: this person spoke at the event', color: '#f76707', dashes: false },
    organizer: { meaning: 'organizer: this organization held the event', color: '#37b24d', dashes: false },
    about: { meaning: 'about: the event is about this phrase', color: '#ae3ec9', dashes: [4, 4] },
    mentioned: { meaning: 'mentioned in: this document states the event', color: '#a1887f', dashes: [2, 3] }
  };
  /* Filter field for each entity node type: clicking the node filters the page to its events. */
  var FILTER_OF_TYPE = { person: 'speaker', organization: 'organization', phrase: 'phrase', document: 'document' };
  /* At most this many nodes are drawn at first (vis-network physics is O(n^2)); "More nodes" raises it. */
  var NODE_BUDGET = 120;
  /* Nodes with a label in the network (the most linked); the others show theirs on hover. */
  var LABELLED = 30;

  /* ------------------------------------------------------------------ helpers */

  /** ISO YYYY-MM-DD -> UTC ms; NaN for anything else, so bad dates drop out instead of throwing. */
  function parseDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  }

  function isoDay(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function kindColor(kind) {
    return KIND_COLORS[kind] || OTHER_KIND_COLOR;
  }

  /** Create an HTML element whose text is set with textContent (the only way document text enters HTML). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    return node;
  }

  /** Rough label width, good enough to pack rows without measuring (measuring would force layout per item). */
  function textWidth(text, px) {
    var w = 0;
    for (var i = 0; i < text.length; i++) w += text.charCodeAt(i) > 0x2e80 ? px : px * 0.58;
    return w;
  }

  function dateRangeText(nb, na) {
    if (!nb && !na) return 'undated';
    if (nb === na || !na) return nb;
    return nb + ' – ' + na;
  }

  function asList(value) {
    return Array.isArray(value) ? value : [];
  }

  /* ------------------------------------------------------------------ timeline */

  /** Turn events into timeline items: a point for a known day, a range [start, end) for uncertain dates. */
  function timelineItems(events) {
    var items = [];
    events.forEach(function (ev) {
      var it = itemOf(ev);
      if (it) items.push(it);
    });
    return items;
  }

  /* One item per event, made the first time it is laned and kept (every filter re-lanes the visible events;
     parsing 60,000 pairs of dates each time cost a tenth of a second). computeLanes sets ``lane`` again
     on every item it lanes, so a kept item never carries a stale lane. */
  var ITEMS = typeof WeakMap === 'function' ? new WeakMap() : null;
  /* Creation order of items: the first lane-up sees the events in the page's canonical order, so ties in
     packing break by it (numbers, not 100-character IRIs). */
  var ITEM_COUNT = 0;
  function itemOf(ev) {
    var cached = ITEMS && ITEMS.get(ev);
    if (cached !== undefined) return cached;
    var start = parseDay(ev.not_before);
    var last = parseDay(ev.not_after || ev.not_before);
    var it = null;
    if (!isNaN(start) && !isNaN(last)) {
      if (last < start) { var t = start; start = last; last = t; }
      it = { ev: ev, start: start, end: last + DAY, point: ev.precision === 'day' && last === start,
        mid: (start + last + DAY) / 2, k: ITEM_COUNT++ };
    }
    if (ITEMS) ITEMS.set(ev, it);
    return it;
  }

  function laneKinds(items) {
    var present = {};
    items.forEach(function (it) { present[it.ev.kind || 'Event'] = true; });
    var known = KIND_ORDER.filter(function (k) { return present[k]; });
    var other = Object.keys(present).filter(function (k) { return KIND_ORDER.indexOf(k) < 0; }).sort();
    return known.concat(other);
  }

  /**
   * The window that holds the most events for its width: the narrowest span containing 60% of the
   * event midpoints. A few far-off events (e.g. a five-year plan) should not shrink everything else to a dot.
   */
  function densestWindow(items) {
    return padded(densestCore(items));
  }

  /** The narrowest span holding 60% of the midpoints, unpadded (null when there are no items). */
  function densestCore(items) {
    if (!items.length) return null;
    var mids = items.map(function (it) { return it.mid; }).sort(function (a, b) { return a - b; });
    var k = Math.max(1, Math.ceil(mids.length * 0.6));
    var best = 0;
    for (var i = 0; i + k - 1 < mids.length; i++) {
      if (mids[i + k - 1] - mids[i] < mids[best + k - 1] - mids[best]) best = i;
    }
    return [mids[best], mids[best + k - 1]];
  }

  /** Room around a core span: on the left for the lane's "earlier" pill, more on the right for labels. */
  function padded(core) {
    if (!core) { var now = Date.UTC(2020, 0, 1); return [now, now + 365 * DAY]; }
    var span = core[1] - core[0];
    return [core[0] - Math.max(span * 0.08, 7 * DAY), core[1] + Math.max(Math.min(span * 0.4, 400 * DAY), 21 * DAY)];
  }

  /**
   * The period the documents cover (their own dates; the 0.5th–99.5th percentile when there are hundreds),
   * joined with the densest window of the events. The view opens on it: an event recalled from the year
   * 1000 or a plan to 2060 stretches "All", but not the view the corpus opens on. Documents without a date
   * leave the densest window alone.
   */
  function corpusWindow(items, docDays) {
    var core = densestCore(items);
    var days = docDays.filter(function (t) { return !isNaN(t); }).sort(function (a, b) { return a - b; });
    if (!days.length) return padded(core);
    var cut = days.length >= 200 ? Math.floor(days.length * 0.005) : 0;
    var t0 = days[cut];
    var t1 = days[days.length - 1 - cut] + DAY;
    return padded(core ? [Math.min(core[0], t0), Math.max(core[1], t1)] : [t0, t1]);
  }

  /** The document days of items' events, each document once (corpusWindow's input). */
  var DOC_PASS = 0;
  function documentDays(items) {
    var pass = ++DOC_PASS;
    var days = [];
    items.forEach(function (it) {
      var docs = it.ev.docs || [];
      for (var i = 0; i < docs.length; i++) {
        var d = docs[i];
        if (!d || !d.date || d._pass === pass) continue;
        d._pass = pass;
        if (d._day === undefined) d._day = parseDay(d.date);
        days.push(d._day);
      }
    });
    return days;
  }

  function fullWindow(items) {
    if (!items.length) return densestWindow(items);
    var t0 = Math.min.apply(null, items.map(function (it) { return it.start; }));
    var t1 = Math.max.apply(null, items.map(function (it) { return it.end; }));
    var span = Math.max(t1 - t0, 14 * DAY);
    return [t0 - span * 0.04, t1 + span * 0.25];
  }

  /**
   * "All" when the events span more than ``maxSpan`` (a recalled year 1000 in a 2012–2026 corpus): the corpus
   * period stays in view and the rest of the room goes to the outliers on either side, nearer side first.
   */
  function allWindow(items, period, maxSpan) {
    var w = fullWindow(items);
    if (w[1] - w[0] <= maxSpan) return w;
    var spare = Math.max(maxSpan - (period[1] - period[0]), 0);
    var left = Math.max(period[0] - w[0], 0);
    var right = Math.max(w[1] - period[1], 0);
    var r = Math.min(right, Math.max(spare / 2, spare - left));
    var l = Math.min(left, spare - r);
    return [period[0] - l, period[1] + r];
  }

  /** Pick tick spacing so labels sit at least ~70px apart. */
  function tickSpec(msPerPx) {
    var specs = [
      { unit: 'day', step: 1 }, { unit: 'day', step: 2 }, { unit: 'day', step: 7 }, { unit: 'day', step: 14 },
      { unit: 'month', step: 1 }, { unit: 'month', step: 2 }, { unit: 'month', step: 3 }, { unit: 'month', step: 6 },
      { unit: 'year', step: 1 }, { unit: 'year', step: 2 }, { unit: 'year', step: 5 }, { unit: 'year', step: 10 },
      { unit: 'year', step: 25 }, { unit: 'year', step: 50 }, { unit: 'year', step: 100 }
    ];
    var approx = { day: DAY, month: 30.44 * DAY, year: 365.25 * DAY };
    for (var i = 0; i < specs.length; i++) {
      if (specs[i].step * approx[specs[i].unit] / msPerPx >= 70) return specs[i];
    }
    return specs[specs.length - 1];
  }

  /** Tick times in [t0, t1] aligned to calendar units (UTC, since dates carry no time zone). */
  function ticks(spec, t0, t1) {
    var out = [];
    var d = new Date(t0);
    var y = d.getUTCFullYear();
    var t;
    if (spec.unit === 'year') {
      for (var yy = Math.floor(y / spec.step) * spec.step; (t = Date.UTC(yy, 0, 1)) <= t1; yy += spec.step) {
        if (t >= t0) out.push(t);
      }
    } else if (spec.unit === 'month') {
      for (var mm = Math.floor(d.getUTCMonth() / spec.step) * spec.step; (t = Date.UTC(y, mm, 1)) <= t1; mm += spec.step) {
        if (t >= t0) out.push(t);
      }
    } else {
      for (t = Math.floor(t0 / DAY) * DAY; t <= t1; t += DAY) {
        var day = new Date(t).getUTCDate();
        if (spec.step === 1 || (day - 1) % spec.step === 0 && day + spec.step <= 32) out.push(t);
      }
    }
    return out;
  }

  function minorLabel(spec, t) {
    var d = new Date(t);
    if (spec.unit === 'year') return String(d.getUTCFullYear());
    if (spec.unit === 'month') return MONTHS[d.getUTCMonth()];
    return String(d.getUTCDate());
  }

  /** Major labels give the context minor labels leave out: the month for day ticks, the year for month ticks. */
  function majorMarks(spec, t0, t1) {
    if (spec.unit === 'year') return [];
    var out = [];
    var d = new Date(t0);
    var y = d.getUTCFullYear();
    var m = d.getUTCMonth();
    var label = function (t) {
      var dt = new Date(t);
      return spec.unit === 'day' ? dt.getUTCFullYear() + ' ' + MONTHS[dt.getUTCMonth()] : String(dt.getUTCFullYear());
    };
    var t = spec.unit === 'day' ? Date.UTC(y, m, 1) : Date.UTC(y, 0, 1);
    out.push({ t: t0, label: label(t0), pinned: true });
    for (var i = 1; i < 2400; i++) {
      t = spec.unit === 'day' ? Date.UTC(y, m + i, 1) : Date.UTC(y + i, 0, 1);
      if (t > t1) break;
      out.push({ t: t, label: label(t), pinned: false });
    }
    return out;
  }

  /**
   * Own SVG timeline: lanes by kind, rows packed so labels never overlap, wheel/button zoom,
   * drag to pan. Re-rendered from scratch on every change; cheap for the hundreds of events a corpus yields.
   */
  function createTimeline(container, events, onSelect, onWindow) {
    var items = [];
    var lanes = [];
    var undated = 0;
    var laneMode = 'kind';
    var view = null;
    var selectedId = null;
    var selectedItem = null;
    var pending = false;
    var LABEL_W = 118;
    var AXIS_H = 40;
    var ROW_H = 24;
    var LANE_PAD = 6;
    var MAX_ROWS = 4;
    var PILL_H = 20;
    var CLUSTER_W = 48;
    var MIN_SPAN = 3 * DAY;
    var MAX_ORG_LANES = 10;
    var OTHER_ORGS = '(other organizers)';
    var NO_ORG = '(no organizer)';
    var MAX_SPAN = 300 * 365 * DAY;

    function chartBounds() {
      var width = Math.max(container.clientWidth, 320);
      return { x0: LABEL_W, x1: width - 10, width: width };
    }

    function xOf(t, b) {
      return b.x0 + (t - view[0]) / (view[1] - view[0]) * (b.x1 - b.x0);
    }

    function tOf(x, b) {
      return view[0] + (x - b.x0) / (b.x1 - b.x0) * (view[1] - view[0]);
    }

    /** Place one item: its bar/point and label in pixels, clamped to the chart so packing sees what is drawn. */
    function geometry(it, b) {
      var xs = xOf(it.start, b);
      var xe = xOf(it.end, b);
      var name = it.ev.name || '(unnamed)';
      var lw = textWidth(name, 12) + 6;
      var g = { it: it, name: name, labelW: lw };
      if (it.point) {
        g.cx = (xs + xe) / 2;
        g.labelX = g.cx + 10;
        g.left = g.cx - 7;
        g.right = g.labelX + lw;
      } else {
        g.xs = xs;
        g.w = Math.max(xe - xs, 6);
        var visL = Math.max(xs, b.x0);
        var visR = Math.min(xs + g.w, b.x1);
        /* Label inside a long bar (from its visible start), after a short one. */
        g.inside = visR - visL > lw + 10;
        g.labelX = g.inside ? visL + 5 : xs + g.w + 5;
        g.left = xs;
        g.right = g.inside ? Math.max(xs + g.w, g.labelX + lw) : g.labelX + lw;
      }
      return g;
    }

    /**
     * Lanes by kind of event, or by organizer (the most frequent organizers get a lane each, the rest share
     * one, events without an organizer another). Each item is put in its lane once, here, not on every render.
     */
    function computeLanes() {
      var byKey = {};
      var order;
      if (laneMode === 'organizer') {
        var counts = {};
        items.forEach(function (it) {
          var org = asList(it.ev.organizations)[0];
          if (org) counts[org] = (counts[org] || 0) + 1;
        });
        var top = Object.keys(counts).sort(function (a, c) { return counts[c] - counts[a] || (a < c ? -1 : 1); }).slice(0, MAX_ORG_LANES);
        var topSet = {};
        top.forEach(function (o, i) { topSet[o] = true; byKey[o] = { key: o, label: o, color: ORG_COLORS[i % ORG_COLORS.length], items: [] }; });
        items.forEach(function (it) {
          var org = asList(it.ev.organizations)[0];
          it.lane = !org ? NO_ORG : topSet[org] ? org : OTHER_ORGS;
        });
        byKey[OTHER_ORGS] = { key: OTHER_ORGS, label: 'Other organizers', color: OTHER_KIND_COLOR, items: [] };
        byKey[NO_ORG] = { key: NO_ORG, label: 'No organizer', color: '#adb5bd', items: [] };
        order = top.concat([OTHER_ORGS, NO_ORG]);
      } else {
        items.forEach(function (it) { it.lane = it.ev.kind || 'Event'; });
        order = laneKinds(items);
        order.forEach(function (k) { byKey[k] = { key: k, label: k, color: kindColor(k), items: [] }; });
      }
      items.forEach(function (it) { byKey[it.lane].items.push(it); });
      lanes = order.map(function (k) { return byKey[k]; }).filter(function (l) { return l.items.length; });
    }

    /* The last set loaded, its lanes and its window: a reset gives the page's whole array back, and laning
       60,000 events again would cost a fifth of a second for the same lanes. */
    var recent = [];  // the last two sets loaded (a filter and the whole page), newest first
    function load(evs, refit) {
      var hit = recent.filter(function (r) { return r.events === evs && r.mode === laneMode; })[0];
      if (hit) {
        items = hit.items;
        lanes = hit.lanes;
        undated = hit.undated;
        // items are shared between sets: another set's lanes may have moved them (lanes by organizer)
        lanes.forEach(function (l) { l.items.forEach(function (it) { it.lane = l.key; }); });
      } else {
        items = timelineItems(evs);
        undated = evs.length - items.length;
        computeLanes();
        hit = { events: evs, mode: laneMode, items: items, lanes: lanes, undated: undated,
          window: corpusWindow(items, documentDays(items)) };
      }
      recent = [hit].concat(recent.filter(function (r) { return r !== hit; })).slice(0, 2);
      if (refit || !view) view = hit.window.slice();
    }

    /** Greedy row packing per lane, left to right: each item goes to the first row where it overlaps nothing. */
    /* A lane packed again only when what its packing depends on changed: the window, the width, its items
       (new lanes after a filter) or whether it holds the selected item. Selecting an event re-packs one lane,
       not the 60,000 items of a full corpus's window. */
    function packedLane(lane, b) {
      var sel = selectedItem && selectedItem.lane === lane.key && selectedItem.ev.id === selectedId ? selectedId : '';
      var key = view[0] + ',' + view[1] + ',' + b.x0 + ',' + b.x1 + ',' + sel;
      if (lane.packed && lane.packedKey === key) return lane.packed;
      lane.packedKey = key;
      lane.packed = packLane(lane, b);
      return lane.packed;
    }

    function packLane(lane, b) {
      var geos = lane.items
        .filter(function (it) { return it.end >= view[0] && it.start <= view[1]; })
        .map(function (it) { return geometry(it, b); })
        .sort(function (a, c) { return Math.max(a.left, b.x0) - Math.max(c.left, b.x0) || a.it.k - c.it.k; });
      /* The selected item is placed first so it is never folded into a "+N" cluster. */
      var at = selectedId ? geos.findIndex(function (g) { return g.it.ev.id === selectedId; }) : -1;
      if (at > 0) geos.unshift(geos.splice(at, 1)[0]);
      var rows = [];
      var placed = [];
      var overflow = [];
      geos.forEach(function (g) {
        var left = Math.max(g.left, b.x0 - 1000);
        var row = 0;
        while (row < rows.length && !fits(rows[row], left, g.right)) row++;
        if (row >= MAX_ROWS) { overflow.push(g); return; }
        (rows[row] = rows[row] || []).push([left, g.right]);
        g.row = row;
        placed.push(g);
      });
      var clusters = clusterOverflow(overflow, b);
      var all = lane.items;
      return {
        kind: lane.key,
        label: lane.label,
        color: lane.color,
        geos: placed,
        clusters: clusters,
        rows: Math.max(rows.length, 1) + (clusters.length ? 1 : 0),
        total: all.length,
        before: all.filter(function (it) { return it.end < view[0]; }),
        after: all.filter(function (it) { return it.start > view[1]; })
      };
    }

    /* Items come left to right (the selected one first), so in a row only its first interval (perhaps the
       selected item) and its last (the furthest right of the rest) can overlap a new one. */
    function fits(row, left, right) {
      var ends = row.length > 1 ? [row[0], row[row.length - 1]] : row;
      for (var i = 0; i < ends.length; i++) {
        if (left < ends[i][1] + 8 && right + 8 > ends[i][0]) return false;
      }
      return true;
    }

    /**
     * Items that do not fit in MAX_ROWS rows are grouped into fixed-width pixel bins shown as "+N" badges
     * (what vis-timeline calls clusters): a lane stays readable however many events share a period.
     */
    function clusterOverflow(overflow, b) {
      var bins = {};
      overflow.forEach(function (g) {
        var anchor = g.it.point ? g.cx : Math.max(g.xs, b.x0);
        var key = Math.floor((anchor - b.x0) / CLUSTER_W);
        var bin = bins[key] || (bins[key] = { key: key, count: 0, start: Infinity, end: -Infinity });
        bin.count += 1;
        bin.start = Math.min(bin.start, g.it.start);
        bin.end = Math.max(bin.end, g.it.end);
      });
      return Object.keys(bins).map(function (k) { return bins[k]; }).sort(function (a, c) { return a.key - c.key; });
    }

    function drawCluster(parent, bin, y, color, b) {
      var text = '+' + bin.count;
      var w = textWidth(text, 11) + 12;
      var x = Math.max(b.x0 + bin.key * CLUSTER_W + 2, b.x0 + 2);
      var g = svg('g', { 'class': 'tl-cluster', role: 'button', tabindex: 0 });
      g.setAttribute('data-zoom-to', bin.start + ',' + bin.end);
      var tip = svg('title');
      tip.textContent = bin.count + ' more events here: click to zoom in';
      g.appendChild(tip);
      g.appendChild(svg('rect', { x: x, y: y + 3, width: w, height: ROW_H - 6, rx: 4, fill: color }));
      var label = svg('text', { x: x + 6, y: y + ROW_H / 2 + 4 });
      label.textContent = text;
      g.appendChild(label);
      parent.appendChild(g);
    }

    /**
     * A pill at the lane edge saying how many events of this kind lie outside the window; clicking it pans
     * to the nearest one, so an empty-looking lane never hides that it has events.
     */
    function drawMore(parent, kind, hidden, direction, y, b) {
      if (!hidden.length) return;
      var nearest = direction < 0
        ? hidden.reduce(function (a, c) { return c.end > a.end ? c : a; })
        : hidden.reduce(function (a, c) { return c.start < a.start ? c : a; });
      var text = direction < 0 ? '‹ ' + hidden.length + ' earlier' : hidden.length + ' later ›';
      var w = textWidth(text, 11) + 12;
      var x = direction < 0 ? b.x0 + 4 : b.x1 - w - 4;
      var g = svg('g', { 'class': 'tl-more', role: 'button', tabindex: 0 });
      g.setAttribute('data-pan-to', String(nearest.mid));
      g.setAttribute('data-kind', kind);
      g.setAttribute('data-direction', direction < 0 ? 'earlier' : 'later');
      var tip = svg('title');
      tip.textContent = 'Show the ' + (direction < 0 ? 'previous' : 'next') + ' event of this kind';
      g.appendChild(tip);
      g.appendChild(svg('rect', { x: x, y: y - 9, width: w, height: 18, rx: 9 }));
      var label = svg('text', { x: x + 6, y: y + 4 });
      label.textContent = text;
      g.appendChild(label);
      parent.appendChild(g);
    }

    function drawAxis(root, b, height) {
      var msPerPx = (view[1] - view[0]) / (b.x1 - b.x0);
      var spec = tickSpec(msPerPx);
      var grid = svg('g', { 'clip-path': 'url(#tl-clip)' });
      var axis = svg('g', { 'class': 'tl-axis' });
      ticks(spec, view[0], view[1]).forEach(function (t) {
        var x = Math.round(xOf(t, b)) + 0.5;
        grid.appendChild(svg('line', { 'class': 'tl-grid', x1: x, x2: x, y1: AXIS_H, y2: height }));
        axis.appendChild(svg('line', { 'class': 'tl-tick', x1: x, x2: x, y1: AXIS_H - 6, y2: AXIS_H }));
        var label = svg('text', { 'class': 'tl-tick-label', x: x + 3, y: AXIS_H - 8 });
        label.textContent = minorLabel(spec, t);
        axis.appendChild(label);
      });
      var marks = majorMarks(spec, view[0], view[1]);
      /* The pinned label names the period at the left edge; drop it when the next boundary would overprint it. */
      if (marks.length > 1 && xOf(marks[1].t, b) - b.x0 < textWidth(marks[0].label, 11) + 12) marks.shift();
      marks.forEach(function (mark) {
        var x = mark.pinned ? b.x0 + 3 : xOf(mark.t, b) + 3;
        if (!mark.pinned) axis.appendChild(svg('line', { 'class': 'tl-tick', x1: x - 3, x2: x - 3, y1: 4, y2: AXIS_H }));
        var label = svg('text', { 'class': 'tl-tick-major', x: x, y: 15 });
        label.textContent = mark.label;
        axis.appendChild(label);
      });
      axis.appendChild(svg('line', { 'class': 'tl-axis-line', x1: b.x0, x2: b.x1, y1: AXIS_H + 0.5, y2: AXIS_H + 0.5 }));
      root.appendChild(grid);
      root.appendChild(axis);
    }

    function drawItem(parent, g, y, color) {
      var ev = g.it.ev;
      var node = svg('g', { 'class': 'tl-item' + (ev.id === selectedId ? ' selected' : ''), tabindex: 0, role: 'button' });
      node.setAttribute('data-event-id', ev.id);
      node.setAttribute('aria-label', (ev.name || '') + ', ' + dateRangeText(ev.not_before, ev.not_after));
      var tip = svg('title');
      tip.textContent = (ev.name || '') + '\n' + (ev.kind || 'Event') + ' · ' +
        dateRangeText(ev.not_before, ev.not_after) + ' (' + (ev.precision || '?') + ')';
      node.appendChild(tip);
      var cy = y + ROW_H / 2;
      if (g.it.point) {
        node.appendChild(svg('circle', { 'class': 'tl-point', cx: g.cx, cy: cy, r: 6, fill: color }));
      } else {
        node.appendChild(svg('rect', {
          'class': 'tl-range', x: g.xs, y: cy - 7, width: g.w, height: 14, rx: 4, fill: color, stroke: color
        }));
      }
      if (!g.inside) {
        node.appendChild(svg('rect', { 'class': 'tl-label-bg', x: g.labelX - 2, y: cy - 9, width: g.labelW, height: 18, rx: 3 }));
      }
      var text = svg('text', { x: g.labelX, y: cy + 4 });
      text.textContent = g.name;
      node.appendChild(text);
      parent.appendChild(node);
    }

    function drawLaneLabel(root, lane, y, h, index) {
      var color = lane.color;
      root.appendChild(svg('rect', { 'class': 'tl-lane-bg' + (index % 2 ? ' odd' : ''), x: 0, y: y, width: LABEL_W - 4, height: h }));
      root.appendChild(svg('rect', { x: 0, y: y, width: 4, height: h, fill: color }));
      var label = svg('text', { 'class': 'tl-lane-label', x: 12, y: y + 17, fill: color });
      label.textContent = shortLabel(lane.label, 8);
      var full = svg('title');
      full.textContent = lane.label;
      label.appendChild(full);
      root.appendChild(label);
      var count = svg('text', { 'class': 'tl-lane-count', x: 12, y: y + 32 });
      count.textContent = lane.total + (lane.total === 1 ? ' event' : ' events');
      if (h >= 36) root.appendChild(count);
    }

    function render() {
      pending = false;
      var b = chartBounds();
      var packed = lanes.map(function (lane) { return packedLane(lane, b); });
      /* A lane with events outside the window gets a strip below its rows for the pills, so a pill never
         covers an item or a cluster at the window's edge. */
      var heights = packed.map(function (l) {
        var pills = l.before.length || l.after.length ? PILL_H : 0;
        return Math.max(l.rows * ROW_H + 2 * LANE_PAD + pills, 40);
      });
      var height = AXIS_H + heights.reduce(function (a, c) { return a + c; }, 0) + (undated ? 22 : 4);
      var root = svg('svg', { width: b.width, height: height, role: 'group', 'aria-label': 'Timeline' });
      var defs = svg('defs');
      var clip = svg('clipPath', { id: 'tl-clip' });
      clip.appendChild(svg('rect', { x: b.x0, y: 0, width: b.x1 - b.x0, height: height }));
      defs.appendChild(clip);
      root.appendChild(defs);

      var y = AXIS_H;
      packed.forEach(function (lane, i) {
        root.appendChild(svg('rect', { 'class': 'tl-lane-bg' + (i % 2 ? ' odd' : ''), x: b.x0, y: y, width: b.x1 - b.x0, height: heights[i] }));
        y += heights[i];
      });
      drawAxis(root, b, AXIS_H + heights.reduce(function (a, c) { return a + c; }, 0));

      var chart = svg('g', { 'clip-path': 'url(#tl-clip)' });
      var sel = selectedId && items.filter(function (it) { return it.ev.id === selectedId; })[0];
      if (sel) {
        /* Shade the selected event's window of possible days across all lanes (a "background item"). */
        var sx = xOf(sel.start, b);
        chart.appendChild(svg('rect', { 'class': 'tl-window', x: sx, y: AXIS_H, width: Math.max(xOf(sel.end, b) - sx, 2), height: height - AXIS_H }));
      }
      y = AXIS_H;
      packed.forEach(function (lane, i) {
        var color = lane.color;
        lane.geos.forEach(function (g) { drawItem(chart, g, y + LANE_PAD + g.row * ROW_H, kindColor(g.it.ev.kind)); });
        var clusterY = y + LANE_PAD + (lane.rows - 1) * ROW_H;
        lane.clusters.forEach(function (bin) { drawCluster(chart, bin, clusterY, color, b); });
        y += heights[i];
      });
      root.appendChild(chart);
      y = AXIS_H;
      packed.forEach(function (lane, i) {
        var cy = y + heights[i] - 13;
        drawMore(root, lane.kind, lane.before, -1, cy, b);
        drawMore(root, lane.kind, lane.after, 1, cy, b);
        y += heights[i];
      });

      y = AXIS_H;
      packed.forEach(function (lane, i) { drawLaneLabel(root, lane, y, heights[i], i); y += heights[i]; });
      if (undated) {
        var note = svg('text', { 'class': 'tl-undated', x: 12, y: height - 6 });
        note.textContent = undated + ' event(s) without a usable date are shown only in the network.';
        root.appendChild(note);
      }
      if (!items.length && !undated) {
        var none = svg('text', { 'class': 'tl-undated', x: b.x0 + 12, y: AXIS_H + 24 });
        none.textContent = 'No events match the filters.';
        root.appendChild(none);
      }
      container.replaceChildren(root);
      if (onWindow) onWindow(view[0], view[1]);
    }

    /** Coalesce bursts of wheel/drag events into one render per frame. */
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(render);
    }

    function setWindow(t0, t1) {
      var span = Math.min(Math.max(t1 - t0, MIN_SPAN), MAX_SPAN);
      var mid = (t0 + t1) / 2;
      view = [mid - span / 2, mid + span / 2];
      schedule();
    }

    function zoom(factor, centerT) {
      var c = centerT === undefined ? (view[0] + view[1]) / 2 : centerT;
      var span = Math.min(Math.max((view[1] - view[0]) * factor, MIN_SPAN), MAX_SPAN);
      var ratio = (c - view[0]) / (view[1] - view[0]);
      view = [c - span * ratio, c - span * ratio + span];
      schedule();
    }

    function pan(ms) {
      view = [view[0] + ms, view[1] + ms];
      schedule();
    }

    /** Zoom onto the events a "+N" badge stands for (with a little margin so their labels fit). */
    function zoomToCluster(node) {
      var range = node.getAttribute('data-zoom-to').split(',').map(Number);
      var span = Math.max(range[1] - range[0], MIN_SPAN);
      setWindow(range[0] - span * 0.1, range[1] + span * 0.5);
    }

    /** Put time ``t`` a third of the way in (labels run to the right), keeping the zoom. */
    function centerOn(t) {
      var span = view[1] - view[0];
      view = [t - span / 3, t - span / 3 + span];
      schedule();
    }

    /** Select an item and, if it is off screen, bring it into view without changing the zoom. */
    function select(id) {
      selectedId = id;
      var it = items.filter(function (x) { return x.ev.id === id; })[0];
      selectedItem = it || null;
      if (it && (it.end < view[0] || it.start > view[1])) centerOn(it.mid);
      render();
    }

    function wireEvents() {
      var drag = null;
      var suppressClick = false;
      container.addEventListener('wheel', function (e) {
        e.preventDefault();
        var b = chartBounds();
        var rect = container.getBoundingClientRect();
        if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          pan(e.deltaX * (view[1] - view[0]) / (b.x1 - b.x0));
        } else {
          zoom(Math.exp(e.deltaY * 0.0015), tOf(e.clientX - rect.left, b));
        }
      }, { passive: false });
      container.addEventListener('pointerdown', function (e) {
        if (e.button !== 0) return;
        drag = { x: e.clientX, view: view.slice(), moved: false, id: e.pointerId };
      });
      container.addEventListener('pointermove', function (e) {
        if (!drag) return;
        var dx = e.clientX - drag.x;
        /* Only a real drag captures the pointer; a plain click must still reach the item under it. */
        if (!drag.moved && Math.abs(dx) < 4) return;
        if (!drag.moved) { drag.moved = true; container.setPointerCapture(drag.id); container.classList.add('dragging'); }
        var b = chartBounds();
        var ms = -dx * (drag.view[1] - drag.view[0]) / (b.x1 - b.x0);
        view = [drag.view[0] + ms, drag.view[1] + ms];
        schedule();
      });
      var endDrag = function () {
        if (drag && drag.moved) suppressClick = true;
        drag = null;
        container.classList.remove('dragging');
      };
      container.addEventListener('pointerup', endDrag);
      container.addEventListener('pointercancel', endDrag);
      container.addEventListener('click', function (e) {
        if (suppressClick) { suppressClick = false; return; }
        var more = e.target.closest && e.target.closest('[data-pan-to]');
        if (more) { centerOn(+more.getAttribute('data-pan-to')); return; }
        var cluster = e.target.closest && e.target.closest('[data-zoom-to]');
        if (cluster) { zoomToCluster(cluster); return; }
        var target = e.target.closest && e.target.closest('[data-event-id]');
        if (target) onSelect(target.getAttribute('data-event-id'), 'timeline');
      });
      container.addEventListener('keydown', function (e) {
        var more = e.target.closest && e.target.closest('[data-pan-to]');
        var target = e.target.closest && e.target.closest('[data-event-id]');
        var cluster = e.target.closest && e.target.closest('[data-zoom-to]');
        if (cluster && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          zoomToCluster(cluster);
        } else if (more && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          centerOn(+more.getAttribute('data-pan-to'));
        } else if (target && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          onSelect(target.getAttribute('data-event-id'), 'timeline');
        } else if (e.key === '+' || e.key === '=') zoom(0.7);
        else if (e.key === '-') zoom(1 / 0.7);
        else if (e.key === 'ArrowLeft') pan(-(view[1] - view[0]) * 0.15);
        else if (e.key === 'ArrowRight') pan((view[1] - view[0]) * 0.15);
      });
      if (window.ResizeObserver) new ResizeObserver(schedule).observe(container);
    }

    wireEvents();
    load(events, true);
    render();
    return {
      render: render,
      /** New set of events (after filtering): re-lane, refit to their densest period, redraw now. */
      setEvents: function (evs) { load(evs, true); render(); },
      setLaneMode: function (mode) { laneMode = mode === 'organizer' ? 'organizer' : 'kind'; computeLanes(); render(); },
      laneMode: function () { return laneMode; },
      lanes: function () { return lanes.map(function (l) { return l.label; }); },
      select: select,
      zoom: zoom,
      pan: pan,
      setWindow: setWindow,
      getWindow: function () { return [isoDay(view[0]), isoDay(view[1])]; },
      fitAll: function () { var w = allWindow(items, corpusWindow(items, documentDays(items)), MAX_SPAN); setWindow(w[0], w[1]); },
      fitDensest: function () { var w = densestWindow(items); setWindow(w[0], w[1]); },
      fitPeriod: function () { var w = corpusWindow(items, documentDays(items)); setWindow(w[0], w[1]); }
    };
  }


  /* ------------------------------------------------------------------ network */

  function shortLabel(text, max) {
    text = String(text);
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  /**
   * The whole graph as an index (built once): a node per event, person, organization, phrase and document,
   * one edge per (event, role, entity). Node ids are prefixed by type so a person and a phrase with the
   * same name stay two nodes. Only a subset is ever handed to vis-network (see chooseNodes).
   */
  /** ``byId``: the events by IRI (the caller's index, shared). */
  var nodeIds = new WeakMap();
  function buildGraph(events, byId) {
    /* Light records only: with 40,000 events, styled vis objects for every node and edge cost seconds and
       most are never drawn. visNode/visEdge style the few that are shown. */
    var nodes = {};
    var edgesOf = {};
    var entities = {};
    var byType = { person: {}, organization: {}, phrase: {}, document: {} };
    function entity(type, key, name) {
      var ent = byType[type][key];
      if (!ent) {
        var id = type + ':' + key;
        ent = byType[type][key] = entities[id] = { id: id, type: type, key: key, name: String(name), events: [] };
        nodes[id] = { id: id, type: type, entity: ent };
      }
      return ent;
    }
    events.forEach(function (ev) {
      /* The node id is made once per event and kept on it: building 'event:' + IRI again at every lookup
         cost more than the lookups (a new string to hash each time). */
      var nodeId = nodeIds.get(ev);
      if (!nodeId) { nodeId = 'event:' + ev.id; nodeIds.set(ev, nodeId); }
      nodes[nodeId] = { id: nodeId, eventId: ev.id, type: 'event', ev: ev };
      var edges = edgesOf[nodeId] = [];
      function link(role, ent) {
        for (var i = 0; i < edges.length; i++) if (edges[i].to === ent.id && edges[i].role === role) return;
        ent.events.push(ev.id);
        edges.push({ from: nodeId, to: ent.id, role: role });
      }
      asList(ev.speakers).forEach(function (v) { link('speaker', entity('person', v, v)); });
      asList(ev.organizations).forEach(function (v) { link('organizer', entity('organization', v, v)); });
      asList(ev.phrases).forEach(function (v) { link('about', entity('phrase', v, v)); });
      asList(ev.docs).forEach(function (doc) { link('mentioned', entity('document', doc.id, doc.title || doc.file)); });
    });
    /* Drawing order of events, computed once: most mentioned first, then most linked, then the page's own
       (canonical) order. Keys are numbers: comparing 100-character IRIs a million times took a second. */
    var keyed = events.map(function (ev, n) { return { ev: ev, m: ev.mentionCount, d: edgesOf[nodeIds.get(ev)].length, n: n }; });
    keyed.sort(function (a, c) { return c.m - a.m || c.d - a.d || a.n - c.n; });
    var ranked = keyed.map(function (k) { return k.ev; });
    return { nodes: nodes, edgesOf: edgesOf, entities: entities, ranked: ranked, byId: byId, size: Object.keys(nodes).length,
      nodeOf: function (ev) { return nodeIds.get(ev) || 'event:' + ev.id; } };
  }

  /** The vis-network node for ``id``: label size grows with how many events it links (its degree). */
  function visNode(graph, id) {
    var rec = graph.nodes[id];
    var border = { border: '#ffffff', highlight: { border: '#f59f00' } };
    if (rec.type === 'event') {
      var ev = rec.ev;
      var name = ev.name || '(unnamed)';
      return {
        id: id, eventId: ev.id, type: 'event', label: shortLabel(name, 16), shape: 'dot',
        size: 9 + Math.min(ev.mentionCount, 8),
        font: { size: 13 },
        color: { background: kindColor(ev.kind), border: border.border, highlight: { background: kindColor(ev.kind), border: '#f59f00' } },
        title: name + '\n' + (ev.kind || 'Event') + ' · ' + dateRangeText(ev.not_before, ev.not_after)
      };
    }
    var ent = rec.entity;
    var style = NODE_TYPES[ent.type];
    var n = ent.events.length;
    return {
      id: id, type: ent.type, label: shortLabel(ent.name, ent.type === 'document' ? 12 : 14), shape: style.shape,
      size: 8 + Math.min(Math.sqrt(n) * 2, 12),
      font: { size: Math.round(12 + Math.min(Math.log(1 + n) * 1.6, 8)) },
      color: { background: style.color, border: border.border, highlight: { background: style.color, border: '#f59f00' } },
      title: style.label + ': ' + ent.name + (englishOf(FILTER_OF_TYPE[ent.type], ent.name) ? ' (' + englishOf(FILTER_OF_TYPE[ent.type], ent.name) + ')' : '') +
        '\n' + n + (n === 1 ? ' event' : ' events') + ' · click to filter, double-click to expand'
    };
  }

  function visEdge(graph, e) {
    var style = EDGE_TYPES[e.role];
    var ent = graph.entities[e.to];
    var ev = graph.nodes[e.from].ev;
    return {
      id: e.role + '|' + ev.id + '|' + e.to, from: e.from, to: e.to, role: e.role,
      color: { color: style.color, opacity: 0.55, highlight: style.color, hover: style.color },
      dashes: style.dashes,
      title: style.meaning + '\n' + ent.name + ' — ' + (ev.name || '(unnamed)')
    };
  }

  /**
   * Which nodes to draw: the visible events ranked by how often they are mentioned (then by degree),
   * each with its neighbours, until the budget is reached; plus the neighbourhoods the user asked for
   * (the selection, expanded nodes). Returns node ids in a stable order.
   */
  function chooseNodes(graph, events, budget, extra) {
    var chosen = {};
    var order = [];
    function add(id) { if (!chosen[id] && graph.nodes[id]) { chosen[id] = true; order.push(id); } }
    function addEvent(ev) {
      var id = graph.nodeOf(ev);
      add(id);
      asList(graph.edgesOf[id]).forEach(function (e) { add(e.to); });
    }
    var all = events.length === graph.ranked.length;
    var visible = {};
    if (!all) events.forEach(function (ev) { visible[ev.id] = ev; });
    else visible = graph.byId;
    extra.events.forEach(function (ev) { addEvent(ev); });
    extra.entities.forEach(function (entId) {
      add(entId);
      var ent = graph.entities[entId];
      if (!ent) return;
      ent.events.filter(function (id) { return visible[id]; }).slice(0, 60).forEach(function (id) { addEvent(visible[id]); });
    });
    var ranked = all ? graph.ranked
      : graph.ranked.filter(function (ev) { return visible[ev.id] !== undefined; });
    for (var i = 0; i < ranked.length; i++) {
      var id = graph.nodeOf(ranked[i]);
      var extraNodes = chosen[id] ? 0 : 1;
      asList(graph.edgesOf[id]).forEach(function (e) { if (!chosen[e.to]) extraNodes++; });
      if (order.length + extraNodes > budget) {
        if (order.length >= budget) break;
        continue;
      }
      addEvent(ranked[i]);
    }
    return order;
  }

  /** Small SVG glyph per node shape for the legend, so the legend matches what the canvas draws. */
  function legendGlyph(shape, color) {
    var g = svg('svg', { width: 14, height: 14, 'aria-hidden': 'true' });
    var attrs = { fill: color };
    if (shape === 'dot') g.appendChild(svg('circle', Object.assign({ cx: 7, cy: 7, r: 6 }, attrs)));
    else if (shape === 'square') g.appendChild(svg('rect', Object.assign({ x: 1.5, y: 1.5, width: 11, height: 11 }, attrs)));
    else if (shape === 'diamond') g.appendChild(svg('polygon', Object.assign({ points: '7,0 14,7 7,14 0,7' }, attrs)));
    else if (shape === 'hexagon') g.appendChild(svg('polygon', Object.assign({ points: '13.5,7 10.25,12.6 3.75,12.6 0.5,7 3.75,1.4 10.25,1.4' }, attrs)));
    else g.appendChild(svg('polygon', Object.assign({ points: '7,1 13.5,13 0.5,13' }, attrs)));
    return g;
  }

  function renderNetworkLegend(container) {
    var parts = [];
    Object.keys(NODE_TYPES).forEach(function (type) {
      var item = el('span', 'lg-item');
      item.appendChild(legendGlyph(NODE_TYPES[type].shape, NODE_TYPES[type].color));
      item.appendChild(document.createTextNode(NODE_TYPES[type].label));
      parts.push(item);
    });
    Object.keys(EDGE_TYPES).forEach(function (role) {
      var item = el('span', 'lg-item');
      var line = el('span', 'lg-line');
      line.style.borderTopColor = EDGE_TYPES[role].color;
      if (EDGE_TYPES[role].dashes) line.style.borderTopStyle = 'dashed';
      item.appendChild(line);
      item.appendChild(document.createTextNode(EDGE_TYPES[role].meaning.split(':')[0]));
      item.title = EDGE_TYPES[role].meaning;
      parts.push(item);
    });
    container.replaceChildren.apply(container, parts);
  }

  /**
   * vis-network over the chosen subset. Physics runs only until it stabilises (bounded iterations), then
   * stops: O(n^2) physics running forever makes larger graphs sluggish, and a still layout is easier to
   * read. Nodes that stay across updates keep their place, so filtering does not reshuffle the picture.
   */
  function createNetwork(container, graph, onSelect, onEntity, onExpand) {
    if (!window.vis || !window.vis.Network) {
      container.appendChild(el('p', 'empty', 'Network library unavailable.'));
      return { select: function () {}, selectEntity: function () {}, show: function () {}, instance: null, shown: function () { return []; } };
    }
    var options = {
      autoResize: true,
      layout: { randomSeed: 7, improvedLayout: false },
      physics: {
        enabled: false,
        solver: 'forceAtlas2Based',
        forceAtlas2Based: { gravitationalConstant: -60, centralGravity: 0.03, springLength: 80, springConstant: 0.08, avoidOverlap: 0.4 },
        /* a short first batch: stabilize() runs its first updateInterval iterations before returning */
        stabilization: { enabled: true, iterations: 300, updateInterval: 10, fit: true },
        maxVelocity: 40,
        minVelocity: 1
      },
      interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: true, keyboard: false, multiselect: false },
      nodes: { font: { face: FONT, size: 16, color: '#212529', strokeWidth: 3, strokeColor: '#ffffff' }, borderWidth: 1.5 },
      edges: { width: 1.2, selectionWidth: 2, hoverWidth: 1, smooth: false }
    };
    var nodes = new window.vis.DataSet([]);
    var edges = new window.vis.DataSet([]);
    var network = new window.vis.Network(container, { nodes: nodes, edges: edges }, options);
    var shownIds = [];
    network.ptkgSettled = true;  // nothing drawn yet: nothing to settle
    var spreadPending = false;
    var spreadRounds = 0;
    var rescaled = false;
    var labelled = [];
    network.on('stabilizationIterationsDone', function () {
      network.setOptions({ physics: { enabled: false } });
      spreadPending = true;
      network.ptkgSettled = false;
      network.redraw();
    });
    /* Label boxes are known once drawn: then push apart every pair whose boxes overlap, and fit. */
    network.on('afterDrawing', function () {
      if (!spreadPending) return;
      if (!rescaled) {
        /* Fitting a settled layout into the pane shrinks labels to a few pixels: enlarge the labelled ones
           so that, at the scale the pane shows, they read at about their intended size. */
        rescaled = true;
        network.fit({ animation: false });
        var k = Math.min(3, 1 / Math.max(network.getScale(), 0.01));
        if (k > 1.1) {
          nodes.update(labelled.map(function (n) { return { id: n.id, font: { size: Math.round(n.font.size * k) } }; }));
          network.redraw();
          return;
        }
      }
      /* vis-network re-measures a moved node's label box when it draws it again, a pixel or two off the
         estimate: spread, redraw, and check again with fresh boxes until nothing moves (a few rounds). */
      if (spreadLabels() && spreadRounds < 6) {
        spreadRounds++;
        network.redraw();
        return;
      }
      spreadPending = false;
      spreadRounds = 0;
      network.fit({ animation: false });
      network.ptkgSettled = true;
    });
    network.on('doubleClick', function (params) {
      if (params.nodes.length && onExpand) onExpand(params.nodes[0]);
    });

    /**
     * Physics keeps node discs apart, not their labels. Move nodes (the smaller overlap axis, half each way)
     * until no two label-and-node boxes overlap, as drawn; bounded passes keep it quick.
     */
    function spreadLabels() {
      var ids = shownIds;
      var PAD = 3;
      var box = {};
      var pos = network.getPositions(ids);
      ids.forEach(function (id) { box[id] = network.getBoundingBox(id); });
      var moved = {};
      for (var pass = 0; pass < 300; pass++) {
        var any = false;
        for (var i = 0; i < ids.length; i++) {
          var a = box[ids[i]];
          for (var j = i + 1; j < ids.length; j++) {
            var b = box[ids[j]];
            var ox = Math.min(a.right, b.right) - Math.max(a.left, b.left) + PAD;
            var oy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) + PAD;
            if (ox <= 0 || oy <= 0) continue;
            any = true;
            var horizontal = ox < oy;
            var ca = horizontal ? a.left + a.right : a.top + a.bottom;
            var cb = horizontal ? b.left + b.right : b.top + b.bottom;
            var sign = ca < cb || (ca === cb && ids[i] < ids[j]) ? -1 : 1;
            var d = (horizontal ? ox : oy) / 2 + 0.5;
            [[ids[i], sign], [ids[j], -sign]].forEach(function (pair) {
              var id = pair[0], k = pair[1] * d, bx = box[id];
              if (horizontal) { pos[id].x += k; bx.left += k; bx.right += k; }
              else { pos[id].y += k; bx.top += k; bx.bottom += k; }
              moved[id] = true;
            });
          }
        }
        if (!any) break;
      }
      Object.keys(moved).forEach(function (id) { network.moveNode(id, pos[id].x, pos[id].y); });
      return Object.keys(moved).length > 0;
    }
    network.on('click', function (params) {
      if (!params.nodes.length) return;
      var node = graph.nodes[params.nodes[0]];
      if (node && node.type === 'event') onSelect(node.eventId, 'network');
      else if (node) onEntity(node.id, 'network');
    });
    /** Moving the camera on every selection is disorienting; only do it when the node cannot be seen. */
    function nodeOnScreen(id) {
      var p = network.canvasToDOM(network.getPosition(id));
      return p.x >= 20 && p.y >= 20 && p.x <= container.clientWidth - 20 && p.y <= container.clientHeight - 20;
    }

    /** Draw exactly ``ids`` (and the edges among them); a no-op when nothing changed. */
    function show(ids) {
      if (ids.join('\n') === shownIds.join('\n')) return;
      var old = network.getPositions();
      var keep = {};
      ids.forEach(function (id) { keep[id] = true; });
      var fresh = ids.map(function (id) {
        var n = visNode(graph, id);
        if (old[id]) { n.x = old[id].x; n.y = old[id].y; }
        return n;
      });
      /* Only the best-linked nodes carry a label (the rest show theirs on hover): a hundred labels in one
         pane cannot all be read, and fewer boxes let spreadLabels settle without scattering the layout. */
      var weight = function (n) { var r = graph.nodes[n.id]; return r.type === 'event' ? r.ev.mentionCount : r.entity.events.length; };
      fresh.slice().sort(function (a, c) { return weight(c) - weight(a) || (a.id < c.id ? -1 : 1); })
        .forEach(function (n, rank) { if (rank >= LABELLED) { n.label = undefined; } });
      labelled = fresh.filter(function (n) { return n.label !== undefined; });
      rescaled = false;
      var links = [];
      ids.forEach(function (id) {
        asList(graph.edgesOf[id]).forEach(function (e) { if (keep[e.to]) links.push(visEdge(graph, e)); });
      });
      /* Place a new node next to a neighbour that already has a place, so stabilising is short. */
      fresh.forEach(function (n, i) {
        if (n.x !== undefined) return;
        var anchor = null;
        asList(graph.edgesOf[n.id]).some(function (e) { anchor = old[e.to]; return !!anchor; });
        if (anchor) { n.x = anchor.x + 40 * Math.cos(i); n.y = anchor.y + 40 * Math.sin(i); }
      });
      shownIds = ids.slice();
      network.setOptions({ physics: { enabled: ids.length > 0 } });
      nodes.clear();
      edges.clear();
      nodes.add(fresh);
      edges.add(links);
      network.ptkgSettled = !ids.length;
      if (ids.length) network.stabilize(ids.length > 150 ? 200 : 300);
    }

    return {
      instance: network,
      show: show,
      shown: function () { return shownIds.slice(); },
      select: function (eventId, source) {
        var id = 'event:' + eventId;
        if (!nodes.get(id)) { network.unselectAll(); return; }
        network.selectNodes([id]);
        if (source !== 'network' && !nodeOnScreen(id)) {
          network.moveTo({ position: network.getPosition(id), animation: { duration: 300, easingFunction: 'easeInOutQuad' } });
        }
      },
      selectEntity: function (id) { if (nodes.get(id)) network.selectNodes([id]); }
    };
  }

  /* ------------------------------------------------------------------ phrase trend */

  /** Month index (years*12 + month) of an ISO day; NaN for anything else. */
  /* Each event's first and last month, read once (every filter recounts the trend). */
  var MONTHS_OF = new WeakMap();
  function monthIndex(iso) {
    var m = /^(\d{4})-(\d{2})/.exec(iso || '');
    return m ? +m[1] * 12 + (+m[2] - 1) : NaN;
  }

  /**
   * Own SVG chart: one row per top phrase, bars = mentions per month (per quarter / year when the timeline
   * window is long) of the visible events about it, over the timeline's window. Only events dated within
   * about a quarter count; a five-year plan is not a monthly signal. A row click filters by the phrase.
   */
  function createTrend(container, allEvents, onPick) {
    var counts = {};
    allEvents.forEach(function (ev) {
      asList(ev.phrases).forEach(function (p) { counts[p] = (counts[p] || 0) + ev.mentionCount; });
    });
    var top = Object.keys(counts).sort(function (a, c) { return counts[c] - counts[a] || (a < c ? -1 : 1); }).slice(0, 6);
    var perMonth = {};
    var win = null;
    var active = '';
    var W = 340;
    var LABEL = 86;
    var ROW = 22;
    top.forEach(function (p) { perMonth[p] = {}; });

    function setEvents(events) {
      perMonth = {};
      top.forEach(function (p) { perMonth[p] = {}; });
      events.forEach(function (ev) {
        var months = MONTHS_OF.get(ev);
        if (!months) { months = [monthIndex(ev.not_before), monthIndex(ev.not_after)]; MONTHS_OF.set(ev, months); }
        var a = months[0];
        var b = months[1];
        if (isNaN(a) || isNaN(b) || b - a > 3) return;
        var mi = Math.floor((a + b) / 2);
        var n = ev.mentionCount || 1;
        asList(ev.phrases).forEach(function (p) {
          if (perMonth[p]) perMonth[p][mi] = (perMonth[p][mi] || 0) + n;
        });
      });
      render();
    }

    function render() {
      if (!top.length) { container.replaceChildren(el('p', 'empty', 'No phrases in these documents.')); return; }
      if (!win) return;
      var m0 = monthIndex(isoDay(win[0]));
      var m1 = monthIndex(isoDay(win[1]));
      var span = m1 - m0 + 1;
      var step = span <= 48 ? 1 : span <= 144 ? 3 : 12;
      var unit = step === 1 ? 'month' : step === 3 ? 'quarter' : 'year';
      if (step > 1) m0 = Math.floor(m0 / step) * step;
      var buckets = Math.max(1, Math.ceil((m1 - m0 + 1) / step));
      var series = top.map(function (p) {
        var vals = [];
        for (var i = 0; i < buckets; i++) {
          var sum = 0;
          for (var k = 0; k < step; k++) sum += perMonth[p][m0 + i * step + k] || 0;
          vals.push(sum);
        }
        return vals;
      });
      var max = Math.max(1, Math.max.apply(null, series.map(function (v) { return Math.max.apply(null, v); })));
      var plotW = W - LABEL - 30;
      var bw = plotW / buckets;
      var height = top.length * ROW + 20;
      var root = svg('svg', { width: W, height: height, role: 'group', 'aria-label': 'Mentions per ' + unit + ' of the top phrases' });
      top.forEach(function (p, r) {
        var y = r * ROW;
        var g = svg('g', { 'class': 'trend-row' + (p === active ? ' active' : ''), role: 'button', tabindex: 0 });
        g.setAttribute('data-phrase', p);
        var tip = svg('title');
        var total = series[r].reduce(function (a, c) { return a + c; }, 0);
        tip.textContent = p + ': ' + total + ' mentions in this window · click to ' + (p === active ? 'clear the filter' : 'filter by this phrase');
        g.appendChild(tip);
        g.appendChild(svg('rect', { 'class': 'trend-bg', x: 0, y: y, width: W, height: ROW }));
        var label = svg('text', { 'class': 'trend-label', x: 4, y: y + 15 });
        label.textContent = shortLabel(p, 6);
        g.appendChild(label);
        g.appendChild(svg('line', { 'class': 'trend-base', x1: LABEL, x2: LABEL + plotW, y1: y + ROW - 3.5, y2: y + ROW - 3.5 }));
        series[r].forEach(function (v, i) {
          if (!v) return;
          var h = Math.max(2, (ROW - 6) * v / max);
          g.appendChild(svg('rect', { 'class': 'trend-bar', x: LABEL + i * bw, y: y + ROW - 4 - h, width: Math.max(bw - (bw > 3 ? 1 : 0), 1), height: h }));
        });
        var count = svg('text', { 'class': 'trend-count', x: W - 4, y: y + 15, 'text-anchor': 'end' });
        count.textContent = String(total);
        g.appendChild(count);
        root.appendChild(g);
      });
      var axis = svg('text', { 'class': 'trend-axis', x: LABEL, y: height - 5 });
      axis.textContent = isoDay(win[0]).slice(0, 7) + ' … ' + isoDay(win[1]).slice(0, 7) + ' · bars per ' + unit;
      root.appendChild(axis);
      container.replaceChildren(root);
    }

    function pick(e) {
      var row = e.target.closest && e.target.closest('[data-phrase]');
      if (row) onPick(row.getAttribute('data-phrase'));
    }
    container.addEventListener('click', pick);
    container.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(e); } });

    return {
      phrases: top,
      setEvents: setEvents,
      setWindow: function (t0, t1) { win = [t0, t1]; render(); },
      setActive: function (p) { active = p || ''; render(); }
    };
  }

  /* ------------------------------------------------------------------ details */

  /** Values as chips; with a filter field, each chip is a button that filters the page by that value. */
  function chips(values, field, onFilter) {
    var list = asList(values);
    if (!list.length) return el('span', 'none', '—');
    var wrap = el('span');
    list.forEach(function (v) {
      if (!field) { wrap.appendChild(el('span', 'chip', v)); return; }
      var b = labelWithEnglish('button', 'chip', v, field);
      b.type = 'button';
      b.title = 'Show only events with this ' + field;
      b.addEventListener('click', function () { onFilter(field, String(v)); });
      wrap.appendChild(b);
    });
    return wrap;
  }

  function renderMention(m, ev, docDates) {
    var li = el('li', 'mention');
    // The repaired sentence is what a reader reads; the text as written (provenance) is one click away.
    var repaired = m.repaired && m.repaired !== m.quote ? m.repaired : '';
    li.appendChild(el('blockquote', repaired ? 'repaired' : null, repaired || m.quote || ''));
    if (repaired) {
      var raw = el('details', 'raw-quote');
      raw.appendChild(el('summary', null, 'as written in the file (repaired above: doubled characters, line breaks, spaces)'));
      raw.appendChild(el('blockquote', 'raw', m.quote || ''));
      li.appendChild(raw);
    }
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'src', (m.file || '?') + ':' + (m.line === undefined ? '?' : m.line)));
    meta.appendChild(document.createTextNode(' · date text '));
    meta.appendChild(el('span', 'datetext', '“' + (m.date_text || '') + '”'));
    if ((m.not_before && m.not_before !== ev.not_before) || (m.not_after && m.not_after !== ev.not_after)) {
      meta.appendChild(document.createTextNode(' (this text says ' + dateRangeText(m.not_before, m.not_after) + ')'));
    }
    if (m.recalled) meta.appendChild(document.createTextNode(' · recalls an earlier occasion'));
    asList(m.attributions).forEach(function (a) {
      meta.appendChild(el('br'));
      meta.appendChild(document.createTextNode('about ' + a.phrase + ' (' + a.how + '): '));
      meta.appendChild(el('q', null, a.evidence || ''));
    });
    if (m.document) {
      meta.appendChild(el('br'));
      var docDate = docDates(m.document_id) || docDates(m.file);
      meta.appendChild(document.createTextNode('in ' + m.document + (docDate ? ' (' + docDate + ')' : '')));
    }
    li.appendChild(meta);
    return li;
  }

  function renderEventDetails(container, ev, docDates, onFilter) {
    container.setAttribute('data-event-id', ev.id);
    container.removeAttribute('data-entity-id');
    var parts = [];
    parts.push(el('h3', null, ev.name || '(unnamed)'));
    var line = el('div');
    var badge = el('span', 'kind-badge', ev.kind || 'Event');
    badge.style.background = kindColor(ev.kind);
    line.appendChild(badge);
    line.appendChild(el('span', 'dates', dateRangeText(ev.not_before, ev.not_after)));
    line.appendChild(el('span', 'precision', ' · precision: ' + (ev.precision || 'unknown')));
    parts.push(line);
    var facts = el('dl', 'facts');
    [['Speakers', ev.speakers, 'speaker'], ['Organizations', ev.organizations, 'organization'], ['Phrases', ev.phrases, 'phrase']]
      .forEach(function (row) {
        facts.appendChild(el('dt', null, row[0]));
        var dd = el('dd');
        dd.appendChild(chips(row[1], row[2], onFilter));
        facts.appendChild(dd);
      });
    parts.push(facts);
    var mentions = asList(ev.mentions);
    parts.push(el('h4', null, 'Mentions (' + mentions.length + ')'));
    var list = el('ol', 'mentions');
    mentions.forEach(function (m) { list.appendChild(renderMention(m, ev, docDates)); });
    parts.push(list);
    container.replaceChildren.apply(container, parts);
    container.scrollTop = 0;
  }

  /**
   * How a phrase spread (pure: plain events in, plain rows out, so a test can call it without drawing):
   * for each speaker, body and document that took the phrase up, the first day by which it surely had,
   * earliest first. An event counts from the last day its date allows (a talk "between May and August"
   * is taken up by August), so an uncertain date never makes an adopter look earlier than the first
   * occasion. A document's day is its own date when it has one (the day it repeated the phrase).
   */
  function phraseSpread(events) {
    var first = { speaker: {}, body: {}, document: {} };
    var docTitle = {};
    function take(table, key, day) {
      if (!key || !day) return;
      if (!table[key] || day < table[key]) table[key] = day;
    }
    events.forEach(function (ev) {
      var day = ev.not_after || ev.not_before;
      if (!day) return;
      asList(ev.speakers).forEach(function (v) { take(first.speaker, v, day); });
      asList(ev.organizations).forEach(function (v) { take(first.body, v, day); });
      asList(ev.docs).forEach(function (d) {
        docTitle[d.id] = d.title || d.file;
        take(first.document, d.id, d.date || day);
      });
    });
    function rows(table, label) {
      return Object.keys(table).map(function (k) { return { key: k, name: label ? label(k) : k, day: table[k] }; })
        .sort(function (a, c) { return a.day < c.day ? -1 : a.day > c.day ? 1 : a.key < c.key ? -1 : a.key > c.key ? 1 : 0; });
    }
    return {
      speakers: rows(first.speaker),
      bodies: rows(first.body),
      documents: rows(first.document, function (id) { return docTitle[id] || id; })
    };
  }

  /** The diffusion chart: cumulative speakers, bodies and documents that took the phrase up, over time. */
  function spreadChart(spread) {
    var W = 330;
    var H = 120;
    var L = 30;
    var B = 18;
    var series = [['documents', '#795548'], ['bodies', '#37b24d'], ['speakers', '#f76707']];
    var days = [];
    series.forEach(function (s) { spread[s[0]].forEach(function (r) { days.push(parseDay(r.day)); }); });
    days = days.filter(function (t) { return !isNaN(t); });
    var root = svg('svg', { width: W, height: H, 'class': 'spread-chart', role: 'img',
      'aria-label': 'Cumulative speakers, bodies and documents taking the phrase up' });
    if (!days.length) return root;
    var t0 = Math.min.apply(null, days);
    var t1 = Math.max(Math.max.apply(null, days), t0 + DAY);
    var max = Math.max(1, spread.documents.length, spread.bodies.length, spread.speakers.length);
    var x = function (t) { return L + (W - L - 8) * (t - t0) / (t1 - t0); };
    var y = function (n) { return H - B - (H - B - 24) * n / max; };
    root.appendChild(svg('line', { 'class': 'trend-base', x1: L, x2: W - 8, y1: H - B, y2: H - B }));
    series.forEach(function (s) {
      var pts = spread[s[0]];  // earliest first: the n-th adopter lifts the step to n
      if (!pts.length) return;
      var d = 'M' + x(parseDay(pts[0].day)).toFixed(1) + ',' + y(0).toFixed(1);
      pts.forEach(function (r, i) {
        var px = x(parseDay(r.day)).toFixed(1);
        d += ' V' + y(i).toFixed(1) + ' H' + px + ' V' + y(i + 1).toFixed(1);
      });
      d += ' H' + (W - 8);
      var path = svg('path', { d: d, fill: 'none', stroke: s[1], 'stroke-width': 1.6, 'data-series': s[0] });
      var tip = svg('title');
      tip.textContent = pts.length + ' ' + s[0];
      path.appendChild(tip);
      root.appendChild(path);
    });
    var lx = L + 6;
    series.forEach(function (s) {
      var key = svg('text', { 'class': 'trend-axis spread-key', x: lx, y: 12 });
      key.style.fill = s[1];
      key.textContent = spread[s[0]].length + ' ' + s[0];
      root.appendChild(key);
      lx += 90;
    });
    var top = svg('text', { 'class': 'trend-axis', x: 2, y: y(max) + 4 });
    top.textContent = String(max);
    root.appendChild(top);
    var a0 = svg('text', { 'class': 'trend-axis', x: L, y: H - 4 });
    a0.textContent = isoDay(t0);
    root.appendChild(a0);
    var a1 = svg('text', { 'class': 'trend-axis', x: W - 8, y: H - 4, 'text-anchor': 'end' });
    a1.textContent = isoDay(t1);
    root.appendChild(a1);
    return root;
  }

  /** "Taken up by": the first adopters of one kind, earliest first, each a chip that filters to it. */
  function adopterList(title, rows, field, onFilter, color) {
    var wrap = el('div', 'adopters');
    var head = el('h5', null, title + ' (' + rows.length + ')');
    head.style.borderLeftColor = color;
    wrap.appendChild(head);
    var list = el('ol', 'adopter-list');
    rows.slice(0, 12).forEach(function (r) {
      var li = el('li');
      li.appendChild(el('span', 'meta', r.day + ' '));
      var b = el('button', 'chip', shortLabel(r.name, 40));
      var en = englishOf(field, r.name);
      if (en) b.appendChild(el('span', 'en', ' ' + en));
      b.type = 'button';
      b.title = r.name;
      b.addEventListener('click', function () { onFilter(field, r.key); });
      li.appendChild(b);
      list.appendChild(li);
    });
    if (rows.length > 12) list.appendChild(el('li', 'none', '… and ' + (rows.length - 12) + ' more'));
    wrap.appendChild(list);
    return wrap;
  }

  /** A person/organization/phrase/document: list its (visible) events so the user can jump to one. */
  function renderEntityDetails(container, entity, eventIds, byId, onSelect, firstSaid, story) {
    container.removeAttribute('data-event-id');
    container.setAttribute('data-entity-id', entity.id);
    var parts = [labelWithEnglish('h3', null, entity.name, FILTER_OF_TYPE[entity.type])];
    var badge = el('span', 'kind-badge', NODE_TYPES[entity.type].label.replace(/ \(.*\)$/, ''));
    badge.style.background = NODE_TYPES[entity.type].color;
    parts.push(badge);
    /* "First said": the earliest event with an attribution, as the build summary and first-said.rq order it. */
    var first = entity.type === 'phrase' && firstSaid ? firstSaid[entity.key] : null;
    if (first && byId[first.event]) {
      var fev = byId[first.event];
      var fp = el('p', 'first-said');
      fp.appendChild(document.createTextNode('First said: '));
      var fb = el('button', 'chip', fev.name || '(unnamed)');
      fb.type = 'button';
      fb.addEventListener('click', function () { onSelect(first.event, 'details'); });
      fp.appendChild(fb);
      fp.appendChild(document.createTextNode(' ' + dateRangeText(fev.not_before, fev.not_after) + ' — ' + first.how +
        ' (' + first.file + ':' + first.line + '): '));
      fp.appendChild(el('q', first.repaired ? 'repaired' : null, first.repaired || first.evidence || ''));
      if (first.repaired) {
        var rawEvidence = el('details', 'raw-quote');
        rawEvidence.appendChild(el('summary', null, 'as written in the file'));
        rawEvidence.appendChild(el('blockquote', 'raw', first.evidence || ''));
        fp.appendChild(rawEvidence);
      }
      parts.push(fp);
    }
    if (story) {
      parts.push(el('h4', null, 'How it spread'));
      parts.push(spreadChart(story.spread));
      var lists = el('div', 'spread');
      lists.appendChild(adopterList('Speakers', story.spread.speakers, 'speaker', story.onFilter, '#f76707'));
      lists.appendChild(adopterList('Bodies', story.spread.bodies, 'organization', story.onFilter, '#37b24d'));
      lists.appendChild(adopterList('Documents', story.spread.documents, 'document', story.onFilter, '#795548'));
      parts.push(lists);
    }
    parts.push(el('h4', null, 'Events (' + eventIds.length + ')'));
    var list = el('ul', 'mentions');
    eventIds.slice(0, 200).forEach(function (id) {
      var ev = byId[id];
      var li = el('li', 'mention');
      var button = el('button', 'chip', ev.name || '(unnamed)');
      button.type = 'button';
      button.addEventListener('click', function () { onSelect(id, 'details'); });
      li.appendChild(button);
      li.appendChild(el('span', 'meta', ' ' + dateRangeText(ev.not_before, ev.not_after)));
      list.appendChild(li);
    });
    if (eventIds.length > 200) list.appendChild(el('li', 'none', '… and ' + (eventIds.length - 200) + ' more'));
    parts.push(list);
    container.replaceChildren.apply(container, parts);
    container.scrollTop = 0;
  }

  /* ------------------------------------------------------------------ filters and search */

  /**
   * Search: the page carries, for each label, its other script forms (computed by OpenCC when the page was
   * rendered) and a Traditional→Simplified character table, so 雙循環 or 習近平 find 双循环 / 习近平 here
   * without any converter in the browser.
   */
  function createSearch(search, events) {
    var variants = (search && search.variants) || {};
    var t2s = (search && search.t2s) || {};
    var hay = {};
    /* One regex over the table's characters: a corpus's quotes are tens of millions of characters, and
       appending them one by one took seconds. */
    var keys = Object.keys(t2s).filter(function (k) { return k.length === 1; });
    var foldRe = keys.length ? new RegExp('[' + keys.map(function (k) {
      return '\\u' + ('000' + k.charCodeAt(0).toString(16)).slice(-4);
    }).join('') + ']', 'g') : null;
    function foldChar(c) { return t2s[c]; }
    function fold(text) {
      return foldRe ? text.replace(foldRe, foldChar) : text;
    }
    function haystack(ev) {
      if (hay[ev.id] !== undefined) return hay[ev.id];
      var labels = [ev.name || ''].concat(asList(ev.speakers), asList(ev.organizations), asList(ev.phrases));
      asList(ev.docs).forEach(function (d) { labels.push(d.title || d.file); });
      var parts = [];
      labels.forEach(function (l) {
        l = String(l);
        parts.push(l);
        var f = fold(l);
        if (f !== l) parts.push(f);
        asList(variants[l]).forEach(function (v) { parts.push(v); });
      });
      // quotes too, folded like the labels (their blocks are parsed after the page opens, see warm)
      asList(ev.mentions).forEach(function (m) {
        var q = m.quote || '';
        parts.push(m.repaired || '', q);
        var f = fold(q);
        if (f !== q) parts.push(f);
      });
      return (hay[ev.id] = parts.join('\n').toLowerCase());
    }
    var warmed = 0;
    var warmTimer = null;
    /**
     * Build the haystacks a slice at a time while the page is idle after opening, so the first search
     * does not parse every quote block (a full corpus: 30 MB of JSON) while the user waits. A search typed
     * before this ends builds the rest at once: slower that one time, never wrong.
     */
    function warm() {
      var t0 = Date.now();
      while (warmed < events.length && Date.now() - t0 < 12) { haystack(events[warmed]); warmed++; }
      warmTimer = warmed < events.length ? window.setTimeout(warm, 0) : null;
    }
    return {
      fold: fold,
      warm: function () { if (!warmTimer && warmed < events.length) warmTimer = window.setTimeout(warm, 0); },
      warmed: function () { return warmed >= events.length; },
      /** A predicate for the query (null when the query is empty). Every word must match somewhere. */
      matcher: function (query) {
        var words = String(query || '').trim().toLowerCase().split(/\s+/).filter(Boolean);
        if (!words.length) return null;
        var folded = words.map(fold);
        return function (ev) {
          var h = haystack(ev);
          for (var i = 0; i < words.length; i++) {
            if (h.indexOf(words[i]) < 0 && h.indexOf(folded[i]) < 0) return false;
          }
          return true;
        };
      }
    };
  }

  var FILTER_FIELDS = ['q', 'kind', 'speaker', 'organization', 'phrase', 'document', 'from', 'to'];

  function emptyFilters() {
    var f = {};
    FILTER_FIELDS.forEach(function (k) { f[k] = ''; });
    return f;
  }

  /** Fill a <select> with "all" plus the values, most frequent first, each with its number of events. */
  function fillSelect(select, allLabel, counts, field) {
    var keys = Object.keys(counts).sort(function (a, c) { return counts[c] - counts[a] || (a < c ? -1 : 1); });
    var opts = [el('option', null, allLabel)];
    opts[0].value = '';
    keys.forEach(function (k) {
      var en = field ? englishOf(field, k) : '';
      var o = el('option', null, (en ? shortLabel(k, 20) + ' · ' + shortLabel(en, 30) : shortLabel(k, 28)) + ' (' + counts[k] + ')');
      o.value = k;
      opts.push(o);
    });
    select.replaceChildren.apply(select, opts);
  }

  /**
   * The document box: a news corpus has one document per story (tens of thousands), too many for a list,
   * so the box finds them by title or file name. Title and query are folded alike (Traditional to
   * Simplified), so 雙循環 finds a Simplified title and 双循环 a Traditional one. Most-cited first.
   */
  function createDocumentFinder(documents, counts, fold, onPick) {
    var input = document.getElementById('f-document');
    var list = document.getElementById('f-document-list');
    var MAX = 20;
    var hay = null;
    var shown = '';
    function label(d) { return d.title || d.file; }
    function find(query) {
      var words = fold(String(query || '').trim().toLowerCase()).split(/\s+/).filter(Boolean);
      if (!words.length) return [];
      if (!hay) hay = documents.map(function (d) { return fold((String(d.title || '') + '\n' + String(d.file || '')).toLowerCase()); });
      var hits = [];
      for (var i = 0; i < documents.length; i++) {
        var ok = true;
        for (var w = 0; w < words.length && ok; w++) ok = hay[i].indexOf(words[w]) >= 0;
        if (ok) hits.push(documents[i]);
      }
      return hits.sort(function (a, c) {
        return (counts[c.id] || 0) - (counts[a.id] || 0) || (a.file < c.file ? -1 : a.file > c.file ? 1 : 0);
      });
    }
    function close() { list.hidden = true; list.replaceChildren(); }
    function pick(d) { close(); input.value = label(d); shown = d.id; onPick(d.id); }
    function suggest() {
      var hits = find(input.value);
      if (!String(input.value).trim()) { close(); return; }
      var items = hits.slice(0, MAX).map(function (d) {
        var li = el('li');
        li.setAttribute('role', 'option');
        var b = el('button', null, label(d));
        b.type = 'button';
        b.setAttribute('data-document-id', d.id);
        b.appendChild(el('span', 'doc-file', ' ' + d.file + (d.date ? ' · ' + d.date : '') + ' · ' + (counts[d.id] || 0) + ' events'));
        b.addEventListener('click', function () { pick(d); });
        li.appendChild(b);
        return li;
      });
      if (!hits.length) items.push(el('li', 'none', 'no document matches'));
      else if (hits.length > MAX) items.push(el('li', 'none', '… ' + (hits.length - MAX) + ' more: type more of the title'));
      list.replaceChildren.apply(list, items);
      list.hidden = false;
    }
    var typing = null;
    input.addEventListener('input', function () {
      window.clearTimeout(typing);
      if (!String(input.value).trim()) { close(); if (shown) { shown = ''; onPick(null); } return; }
      typing = window.setTimeout(suggest, 120);
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        var hits = find(input.value);
        if (hits.length) pick(hits[0]);
      } else if (e.key === 'Escape') close();
    });
    document.addEventListener('click', function (e) { if (!e.target.closest || !e.target.closest('.f-doc')) close(); });
    var byId = null;  // made when the box first shows a filter set elsewhere
    return {
      find: find,
      /** Reflect the document filter in the box (the filter can also be set from a chip or the network). */
      show: function (id) {
        if (id === shown) return;
        shown = id || '';
        if (id && !byId) { byId = new Map(); documents.forEach(function (d) { byId.set(d.id, d); }); }
        input.value = id ? (byId.get(id) ? label(byId.get(id)) : id) : '';
        close();
      }
    };
  }

  /* ------------------------------------------------------------------ wiring */

  function readJson(id) {
    var block = document.getElementById(id);
    return block ? JSON.parse(block.textContent) : null;
  }

  /**
   * The page ships columns and string tables (graph/render.py compact_view); this rebuilds the event and
   * document objects the rest of the page reads. An event's mentions (quotes) sit in blocks of ``chunk``
   * events that are parsed the first time one of their events is shown, so opening parses no quote.
   */
  /** graph/build.py's IRI part: percent-encoded UTF-8 of all but -._~!$&'()*+,;=:@/ (encodeURI leaves ? and # too). */
  function iriPart(key) {
    return encodeURI(key).replace(/[?#]/g, function (c) { return c === '?' ? '%3F' : '%23'; });
  }

  /** An IRI column (graph/render.py _id_column): "" = minted again from the key under ``base``, else prefix + text. */
  function idOf(column, shipped, key) {
    return shipped === '' && column.base ? column.base + iriPart(key) : column.prefix + shipped;
  }

  /** The repaired quote from the raw one and the runs the repair deleted ([start, length, ...]). */
  function undelete(text, runs) {
    var out = '';
    var at = 0;
    for (var k = 0; k < runs.length; k += 2) { out += text.slice(at, runs[k]); at = runs[k] + runs[k + 1]; }
    return out + text.slice(at);
  }

  function decodeData(raw) {
    var t = raw.tables || {};
    var dc = raw.documents || {};
    var documents = asList(dc.id).map(function (id, i) {
      return { id: idOf(dc, id, (dc.file[i] || '') + '/1'), file: dc.file[i], title: dc.title[i], date: dc.date[i] };
    });
    var c = raw.events || {};
    var blocks = {};
    function block(n) {
      if (!blocks[n]) blocks[n] = readJson('ptkg-details-' + n) || [];
      return blocks[n];
    }
    function unpack(m, ev) {
      var doc = m.d !== undefined ? documents[m.d] : m.e !== undefined ? documents[m.e] : null;
      var out = {
        file: m.f !== undefined ? m.f : doc ? doc.file : null,
        line: m.l, date_text: m.t, quote: m.q, repaired: m.x ? undelete(m.q, m.x) : m.r,
        document: m.n !== undefined ? m.n : doc ? doc.title || doc.file : null,
        document_id: m.d !== undefined ? doc.id : m.i,
        not_before: m.b !== undefined ? m.b : ev.not_before,
        not_after: m.a !== undefined ? m.a : ev.not_after
      };
      return out;
    }
    /* ``mentions`` reads the event's block when first asked. One getter and one descriptor for all events
       (a closure per event kept 60,000 objects from sharing a shape and cost a third of a second). */
    var index = new WeakMap();
    var unpacked = new WeakMap();
    var MENTIONS = {
      enumerable: true,
      get: function () {
        var out = unpacked.get(this);
        if (out) return out;
        var n = index.get(this);
        var ev = this;
        out = asList(block(Math.floor(n / c.chunk))[n % c.chunk]).map(function (m) { return unpack(m, ev); });
        unpacked.set(this, out);
        return out;
      }
    };
    var events = asList(c.id).map(function (id, n) {
      var ev = {
        id: idOf(c, id, (c.not_before[n] || '') + '/' + (t.name[c.name[n]] || '')), name: t.name[c.name[n]], kind: t.kind[c.kind[n]],
        not_before: c.not_before[n],
        not_after: c.not_after[n], precision: t.precision[c.precision[n]],
        speakers: c.speakers[n].map(function (i) { return t.people[i]; }),
        organizations: c.organizations[n].map(function (i) { return t.orgs[i]; }),
        phrases: c.phrases[n].map(function (i) { return t.phrases[i]; }),
        docs: c.docs[n].map(function (i) { return documents[i]; }),
        mentionCount: c.mentions[n]
      };
      index.set(ev, n);
      Object.defineProperty(ev, 'mentions', MENTIONS);
      return ev;
    });
    return { title: raw.title, kinds: raw.kinds, events: events, documents: documents, first_said: raw.first_said || {},
      english: raw.english || {} };
  }

  /* Stages of opening, as performance marks (bench/bench_page.py prints them). */
  function mark(name) { if (window.performance && performance.mark) performance.mark('ptkg:' + name); }

  function main() {
    mark('start');
    var data = decodeData(readJson('ptkg-data'));
    mark('data');
    setKinds(data.kinds);
    ENGLISH = { phrases: (data.english && data.english.phrases) || {}, organizations: (data.english && data.english.organizations) || {} };
    var byId = {};
    data.events.forEach(function (ev) { byId[ev.id] = ev; });
    /* A document's date by IRI or file, for the mentions the details panel shows: made the first time one is
       shown (a news corpus has 75,000 documents; the map cost a third of a second at opening). */
    var docDateIndex = null;
    var docDates = function (key) {
      if (!docDateIndex) {
        docDateIndex = new Map();
        data.documents.forEach(function (d) {
          if (!d.date) return;
          docDateIndex.set(d.id, d.date);
          if (!docDateIndex.has(d.file)) docDateIndex.set(d.file, d.date);
        });
      }
      return docDateIndex.get(key);
    };
    var mentions = data.events.reduce(function (n, ev) { return n + ev.mentionCount; }, 0);

    var details = document.getElementById('details');
    var emptyDetails = function () {
      details.removeAttribute('data-event-id');
      details.removeAttribute('data-entity-id');
      details.replaceChildren(el('p', 'empty', 'Click an event in the timeline or the network to see its dates, people and every sentence that mentions it. Click a person, organization, phrase or document to show only its events.'));
    };
    emptyDetails();

    var graph = buildGraph(data.events, byId);
    mark('graph');
    var search = createSearch(readJson('ptkg-search'), data.events);
    var filters = emptyFilters();
    var visible = data.events;
    var selected = null;
    var budget = NODE_BUDGET;
    var expanded = [];
    var timeline;
    var network;
    var trend;

    /* ---- filter controls */
    var controls = {};
    FILTER_FIELDS.forEach(function (k) { controls[k] = document.getElementById('f-' + k); });
    var counts = { kind: {}, speaker: {}, organization: {}, phrase: {}, document: {} };
    data.events.forEach(function (ev) {
      var k = ev.kind || 'Event';
      counts.kind[k] = (counts.kind[k] || 0) + 1;
      asList(ev.speakers).forEach(function (v) { counts.speaker[v] = (counts.speaker[v] || 0) + 1; });
      asList(ev.organizations).forEach(function (v) { counts.organization[v] = (counts.organization[v] || 0) + 1; });
      asList(ev.phrases).forEach(function (v) { counts.phrase[v] = (counts.phrase[v] || 0) + 1; });
      asList(ev.docs).forEach(function (d) { counts.document[d.id] = (counts.document[d.id] || 0) + 1; });
    });
    mark('counts');
    fillSelect(controls.kind, 'All kinds', counts.kind);
    fillSelect(controls.speaker, 'All speakers', counts.speaker);
    fillSelect(controls.organization, 'All organizations', counts.organization, 'organization');
    fillSelect(controls.phrase, 'All phrases', counts.phrase, 'phrase');
    var docFinder = createDocumentFinder(data.documents, counts.document, search.fold, function (id) {
      if (id === null) setFilters({ document: '' });
      else filterBy('document', id);
    });

    function eventMatches(ev, match) {
      var f = filters;
      if (f.kind && (ev.kind || 'Event') !== f.kind) return false;
      if (f.speaker && asList(ev.speakers).indexOf(f.speaker) < 0) return false;
      if (f.organization && asList(ev.organizations).indexOf(f.organization) < 0) return false;
      if (f.phrase && asList(ev.phrases).indexOf(f.phrase) < 0) return false;
      if (f.document && !asList(ev.docs).some(function (d) { return d.id === f.document; })) return false;
      if (f.from && !(ev.not_after && ev.not_after >= f.from)) return false;
      if (f.to && !(ev.not_before && ev.not_before <= f.to)) return false;
      return !match || match(ev);
    }

    function renderStats() {
      var base = data.events.length + ' events · ' + mentions + ' mentions · ' + data.documents.length + ' documents';
      var active = FILTER_FIELDS.some(function (k) { return filters[k]; });
      document.getElementById('stats').textContent = active ? 'showing ' + visible.length + ' of ' + base : base;
      document.getElementById('filter-status').textContent = active ? visible.length + ' of ' + data.events.length + ' events match' : '';
    }

    function refreshNetwork() {
      var extra = { events: [], entities: expanded.slice() };
      if (selected && byId[selected]) extra.events.push(byId[selected]);
      ['speaker', 'organization', 'phrase', 'document'].forEach(function (field) {
        if (!filters[field]) return;
        var type = Object.keys(FILTER_OF_TYPE).filter(function (t) { return FILTER_OF_TYPE[t] === field; })[0];
        extra.entities.push(type + ':' + filters[field]);
      });
      var ids = chooseNodes(graph, visible, budget, extra);
      network.show(ids);
      if (selected) network.select(selected, 'filter');
      var total = graph.size;
      document.getElementById('net-status').textContent = 'showing ' + ids.length + ' of ' + total + ' nodes';
      document.getElementById('net-more').disabled = ids.length >= total;
    }

    /** Re-filter everything: timeline, trend, network, stats. The one place filters take effect. */
    function apply() {
      var match = search.matcher(filters.q);
      var filtering = FILTER_FIELDS.some(function (k) { return filters[k]; });
      visible = filtering ? data.events.filter(function (ev) { return eventMatches(ev, match); }) : data.events;
      FILTER_FIELDS.forEach(function (k) {
        if (k !== 'document' && controls[k] && controls[k].value !== filters[k]) controls[k].value = filters[k];
      });
      docFinder.show(filters.document);
      timeline.setEvents(visible);
      trend.setEvents(visible);
      trend.setActive(filters.phrase);
      refreshNetwork();
      renderStats();
      document.body.classList.toggle('filtered', FILTER_FIELDS.some(function (k) { return filters[k]; }));
    }

    function setFilters(changes) {
      Object.keys(changes || {}).forEach(function (k) {
        if (FILTER_FIELDS.indexOf(k) >= 0) filters[k] = changes[k] === null || changes[k] === undefined ? '' : String(changes[k]);
      });
      apply();
    }

    function reset() {
      filters = emptyFilters();
      expanded = [];
      budget = NODE_BUDGET;
      apply();
    }

    /** The one place selection happens, so timeline, network and details can never disagree. */
    function selectEvent(id, source) {
      var ev = byId[id];
      if (!ev) return false;
      selected = id;
      if (network.shown().indexOf('event:' + id) < 0) refreshNetwork();
      timeline.select(id);
      network.select(id, source || 'api');
      renderEventDetails(details, ev, docDates, function (field, value) { filterBy(field, value); });
      document.dispatchEvent(new CustomEvent('ptkg:select', { detail: { id: id, source: source || 'api' } }));
      return true;
    }

    /** A person/organization/phrase/document: filter the timeline to its events and list them. */
    function selectEntity(entityId) {
      var ent = graph.entities[entityId];
      if (!ent) return false;
      var change = {};
      change[FILTER_OF_TYPE[ent.type]] = ent.key;
      setFilters(change);
      network.selectEntity(entityId);
      var shown = {};
      visible.forEach(function (ev) { shown[ev.id] = true; });
      var story = ent.type === 'phrase' ? {
        spread: phraseSpread(ent.events.map(function (id) { return byId[id]; })),
        onFilter: function (field, value) { filterBy(field, value); }
      } : null;
      renderEntityDetails(details, ent, ent.events.filter(function (id) { return shown[id]; }), byId, selectEvent,
        data.first_said, story);
      return true;
    }

    function filterBy(field, value) {
      var type = Object.keys(FILTER_OF_TYPE).filter(function (t) { return FILTER_OF_TYPE[t] === field; })[0];
      return selectEntity(type + ':' + value);
    }

    mark('filters');
    trend = createTrend(document.getElementById('trend'), data.events, function (phrase) {
      if (filters.phrase === phrase) setFilters({ phrase: '' });
      else filterBy('phrase', phrase);
    });
    /* Created empty: the first apply() below lanes the events once (it did twice). */
    timeline = createTimeline(document.getElementById('timeline'), [], selectEvent, function (t0, t1) {
      if (trend) trend.setWindow(t0, t1);
    });
    function expandNode(sel) {
      if (!sel || !graph.nodes[sel]) return;
      if (graph.nodes[sel].type === 'event') {
        asList(graph.edgesOf[sel]).forEach(function (e) { if (expanded.indexOf(e.to) < 0) expanded.push(e.to); });
      } else if (expanded.indexOf(sel) < 0) expanded.push(sel);
      refreshNetwork();
    }
    mark('timeline');
    network = createNetwork(document.getElementById('network'), graph, selectEvent, selectEntity, expandNode);
    mark('network');
    renderNetworkLegend(document.getElementById('net-legend'));

    document.getElementById('tl-zoom-in').addEventListener('click', function () { timeline.zoom(0.6); });
    document.getElementById('tl-zoom-out').addEventListener('click', function () { timeline.zoom(1 / 0.6); });
    document.getElementById('tl-fit').addEventListener('click', function () { timeline.fitAll(); });
    document.getElementById('tl-densest').addEventListener('click', function () { timeline.fitDensest(); });
    document.getElementById('tl-period').addEventListener('click', function () { timeline.fitPeriod(); });
    document.getElementById('tl-lanes').addEventListener('change', function (e) { timeline.setLaneMode(e.target.value); });
    document.getElementById('net-more').addEventListener('click', function () { budget += 100; refreshNetwork(); });
    document.getElementById('net-expand').addEventListener('click', function () {
      expandNode(network.instance && network.instance.getSelectedNodes()[0]);
    });
    document.getElementById('reset').addEventListener('click', reset);

    var typing = null;
    controls.q.addEventListener('input', function () {
      window.clearTimeout(typing);
      typing = window.setTimeout(function () { setFilters({ q: controls.q.value }); }, 150);
    });
    ['kind', 'speaker', 'organization', 'phrase', 'from', 'to'].forEach(function (k) {
      controls[k].addEventListener('change', function () {
        var change = {};
        change[k] = controls[k].value;
        setFilters(change);
      });
    });

    apply();
    mark('drawn');
    search.warm();

    /* A small API for tests, the benchmark and later features (URL state): the canvas cannot be clicked by selector. */
    window.ptkg = {
      data: data,
      ready: true,
      /* Milliseconds from navigation start until the page was usable (read by bench/bench_page.py). */
      readyAt: window.performance ? window.performance.now() : 0,
      selectEvent: function (id) { return selectEvent(id, 'api'); },
      selectEntity: selectEntity,
      selectedEventId: function () { return selected; },
      setFilters: setFilters,
      filters: function () { return Object.assign({}, filters); },
      reset: reset,
      visibleEventIds: function () { return visible.map(function (ev) { return ev.id; }); },
      networkNodeIds: function () { return network.shown(); },
      fold: search.fold,
      /* True once every event's search text (quotes included) is built (bench/bench_page.py waits for it). */
      searchReady: search.warmed,
      /* Pure layout functions (plain numbers in and out), for tests apart from drawing. */
      layout: { densestWindow: densestWindow, corpusWindow: corpusWindow, fullWindow: fullWindow, allWindow: allWindow },
      /* The phrase's spread as the details panel draws it (speakers, bodies, documents; earliest first). */
      phraseSpread: function (phrase) {
        var ent = graph.entities['phrase:' + phrase];
        return ent ? phraseSpread(ent.events.map(function (id) { return byId[id]; })) : null;
      },
      findDocuments: function (q) { return docFinder.find(q).map(function (d) { return d.id; }); },
      timeline: timeline,
      trend: trend,
      network: network.instance
    };
  }

  main();
})();

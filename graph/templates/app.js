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

  /* Lane order and colours per event kind; unknown kinds follow, alphabetically, in grey. */
  var KIND_ORDER = ['Meeting', 'Speech', 'Forum', 'Publication', 'Signing', 'Visit', 'Proposal', 'Event'];
  var KIND_COLORS = {
    Meeting: '#1c7ed6', Speech: '#7048e8', Forum: '#0c8599', Publication: '#2b8a3e',
    Signing: '#5c940d', Visit: '#c2255c', Proposal: '#e67700', Event: '#495057'
  };
  var OTHER_KIND_COLOR = '#868e96';

  /* Network node styles per node type: a distinct shape AND colour each, so the legend is readable in greyscale. */
  var NODE_TYPES = {
    event: { label: 'Event (colour = kind)', shape: 'dot', color: '#1c7ed6' },
    person: { label: 'Person', shape: 'diamond', color: '#f76707' },
    organization: { label: 'Organization', shape: 'square', color: '#37b24d' },
    phrase: { label: 'Phrase', shape: 'triangle', color: '#ae3ec9' }
  };
  var EDGE_TYPES = {
    speaker: { meaning: 'speaker: this person spoke at the event', color: '#f76707', dashes: false },
    organizer: { meaning: 'organizer: this organization held the event', color: '#37b24d', dashes: false },
    about: { meaning: 'about: the event is about this phrase', color: '#ae3ec9', dashes: [4, 4] }
  };

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
      var start = parseDay(ev.not_before);
      var last = parseDay(ev.not_after || ev.not_before);
      if (isNaN(start) || isNaN(last)) return;
      if (last < start) { var t = start; start = last; last = t; }
      items.push({
        ev: ev,
        start: start,
        end: last + DAY,
        point: ev.precision === 'day' && last === start,
        mid: (start + last + DAY) / 2
      });
    });
    return items;
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
    if (!items.length) { var now = Date.UTC(2020, 0, 1); return [now, now + 365 * DAY]; }
    var mids = items.map(function (it) { return it.mid; }).sort(function (a, b) { return a - b; });
    var k = Math.max(1, Math.ceil(mids.length * 0.6));
    var best = 0;
    for (var i = 0; i + k - 1 < mids.length; i++) {
      if (mids[i + k - 1] - mids[i] < mids[best + k - 1] - mids[best]) best = i;
    }
    var t0 = mids[best];
    var t1 = mids[best + k - 1];
    var span = t1 - t0;
    /* Extra room on the right because labels extend to the right of their item. */
    return [t0 - Math.max(span * 0.12, 7 * DAY), t1 + Math.max(span * 0.4, 21 * DAY)];
  }

  function fullWindow(items) {
    if (!items.length) return densestWindow(items);
    var t0 = Math.min.apply(null, items.map(function (it) { return it.start; }));
    var t1 = Math.max.apply(null, items.map(function (it) { return it.end; }));
    var span = Math.max(t1 - t0, 14 * DAY);
    return [t0 - span * 0.04, t1 + span * 0.25];
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
  function createTimeline(container, events, onSelect) {
    var items = timelineItems(events);
    var lanes = laneKinds(items);
    var undated = events.length - items.length;
    var view = densestWindow(items);
    var selectedId = null;
    var pending = false;
    var LABEL_W = 118;
    var AXIS_H = 40;
    var ROW_H = 24;
    var LANE_PAD = 6;
    var MAX_ROWS = 4;
    var CLUSTER_W = 48;
    var MIN_SPAN = 3 * DAY;
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

    /** Greedy row packing per lane, left to right: each item goes to the first row where it overlaps nothing. */
    function packLane(kind, b) {
      var geos = items
        .filter(function (it) { return (it.ev.kind || 'Event') === kind && it.end >= view[0] && it.start <= view[1]; })
        .map(function (it) { return geometry(it, b); })
        .sort(function (a, c) { return Math.max(a.left, b.x0) - Math.max(c.left, b.x0) || (a.it.ev.id < c.it.ev.id ? -1 : 1); });
      /* The selected item is placed first so it is never folded into a "+N" cluster. */
      var sel = geos.filter(function (g) { return g.it.ev.id === selectedId; });
      var rows = [];
      var placed = [];
      var overflow = [];
      sel.concat(geos.filter(function (g) { return g.it.ev.id !== selectedId; })).forEach(function (g) {
        var left = Math.max(g.left, b.x0 - 1000);
        var row = 0;
        while (row < rows.length && !fits(rows[row], left, g.right)) row++;
        if (row >= MAX_ROWS) { overflow.push(g); return; }
        (rows[row] = rows[row] || []).push([left, g.right]);
        g.row = row;
        placed.push(g);
      });
      var clusters = clusterOverflow(overflow, b);
      var all = items.filter(function (it) { return (it.ev.kind || 'Event') === kind; });
      return {
        kind: kind,
        geos: placed,
        clusters: clusters,
        rows: Math.max(rows.length, 1) + (clusters.length ? 1 : 0),
        total: all.length,
        before: all.filter(function (it) { return it.end < view[0]; }),
        after: all.filter(function (it) { return it.start > view[1]; })
      };
    }

    function fits(row, left, right) {
      for (var i = 0; i < row.length; i++) {
        if (left < row[i][1] + 8 && right + 8 > row[i][0]) return false;
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
      var color = kindColor(lane.kind);
      root.appendChild(svg('rect', { 'class': 'tl-lane-bg' + (index % 2 ? ' odd' : ''), x: 0, y: y, width: LABEL_W - 4, height: h }));
      root.appendChild(svg('rect', { x: 0, y: y, width: 4, height: h, fill: color }));
      var label = svg('text', { 'class': 'tl-lane-label', x: 12, y: y + 17, fill: color });
      label.textContent = lane.kind;
      root.appendChild(label);
      var count = svg('text', { 'class': 'tl-lane-count', x: 12, y: y + 32 });
      count.textContent = lane.total + (lane.total === 1 ? ' event' : ' events');
      if (h >= 36) root.appendChild(count);
    }

    function render() {
      pending = false;
      var b = chartBounds();
      var packed = lanes.map(function (kind) { return packLane(kind, b); });
      var heights = packed.map(function (l) { return Math.max(l.rows * ROW_H + 2 * LANE_PAD, 40); });
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
        var color = kindColor(lane.kind);
        lane.geos.forEach(function (g) { drawItem(chart, g, y + LANE_PAD + g.row * ROW_H, color); });
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
      container.replaceChildren(root);
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
    render();
    return {
      render: render,
      select: select,
      zoom: zoom,
      pan: pan,
      setWindow: setWindow,
      getWindow: function () { return [isoDay(view[0]), isoDay(view[1])]; },
      fitAll: function () { var w = fullWindow(items); setWindow(w[0], w[1]); },
      fitDensest: function () { var w = densestWindow(items); setWindow(w[0], w[1]); }
    };
  }

  /* ------------------------------------------------------------------ network */

  function shortLabel(text, max) {
    return text.length > max ? text.slice(0, max - 1) + '…' : text;
  }

  /**
   * Nodes for events, people, organizations and phrases; one edge per (event, role, entity).
   * Node ids are prefixed by type so a person and a phrase with the same name stay two nodes.
   */
  function buildGraph(events) {
    var nodes = [];
    var edges = [];
    var entities = {};
    var seenEdges = {};
    events.forEach(function (ev) {
      var name = ev.name || '(unnamed)';
      nodes.push({
        id: 'event:' + ev.id, eventId: ev.id, type: 'event', label: shortLabel(name, 16), shape: 'dot', size: 11,
        color: { background: kindColor(ev.kind), border: '#ffffff', highlight: { background: kindColor(ev.kind), border: '#f59f00' } },
        title: name + '\n' + (ev.kind || 'Event') + ' · ' + dateRangeText(ev.not_before, ev.not_after)
      });
      [['speaker', 'person', ev.speakers], ['organizer', 'organization', ev.organizations], ['about', 'phrase', ev.phrases]]
        .forEach(function (spec) {
          asList(spec[2]).forEach(function (value) {
            var id = spec[1] + ':' + value;
            if (!entities[id]) entities[id] = { id: id, type: spec[1], name: String(value), events: [] };
            entities[id].events.push(ev.id);
            var edgeId = spec[0] + '|' + ev.id + '|' + id;
            if (seenEdges[edgeId]) return;
            seenEdges[edgeId] = true;
            var style = EDGE_TYPES[spec[0]];
            edges.push({
              id: edgeId, from: 'event:' + ev.id, to: id, role: spec[0],
              color: { color: style.color, opacity: 0.55, highlight: style.color, hover: style.color },
              dashes: style.dashes,
              title: style.meaning + '\n' + value + ' — ' + name
            });
          });
        });
    });
    Object.keys(entities).sort().forEach(function (id) {
      var ent = entities[id];
      var style = NODE_TYPES[ent.type];
      nodes.push({
        id: id, type: ent.type, label: shortLabel(ent.name, 14), shape: style.shape, size: ent.type === 'phrase' ? 9 : 10,
        color: { background: style.color, border: '#ffffff', highlight: { background: style.color, border: '#f59f00' } },
        title: style.label + ': ' + ent.name + '\n' + ent.events.length + (ent.events.length === 1 ? ' event' : ' events')
      });
    });
    return { nodes: nodes, edges: edges, entities: entities };
  }

  /** Small SVG glyph per node shape for the legend, so the legend matches what the canvas draws. */
  function legendGlyph(shape, color) {
    var g = svg('svg', { width: 14, height: 14, 'aria-hidden': 'true' });
    var attrs = { fill: color };
    if (shape === 'dot') g.appendChild(svg('circle', Object.assign({ cx: 7, cy: 7, r: 6 }, attrs)));
    else if (shape === 'square') g.appendChild(svg('rect', Object.assign({ x: 1.5, y: 1.5, width: 11, height: 11 }, attrs)));
    else if (shape === 'diamond') g.appendChild(svg('polygon', Object.assign({ points: '7,0 14,7 7,14 0,7' }, attrs)));
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
      item.appendChild(document.createTextNode(role));
      item.title = EDGE_TYPES[role].meaning;
      parts.push(item);
    });
    container.replaceChildren.apply(container, parts);
  }

  /**
   * vis-network with physics on only until it stabilises (bounded iterations), then off: O(n^2) physics
   * running forever makes larger graphs sluggish, and a still layout is easier to read.
   */
  function createNetwork(container, graph, onSelect, onEntity) {
    if (!window.vis || !window.vis.Network) {
      container.appendChild(el('p', 'empty', 'Network library unavailable.'));
      return { select: function () {}, instance: null };
    }
    var big = graph.nodes.length > 150;
    var options = {
      autoResize: true,
      layout: { randomSeed: 7, improvedLayout: !big },
      physics: {
        /* An empty graph never reports stabilisation, so it starts (and stays) still. */
        enabled: graph.nodes.length > 0,
        solver: 'forceAtlas2Based',
        forceAtlas2Based: { gravitationalConstant: -55, centralGravity: 0.012, springLength: 70, springConstant: 0.06, avoidOverlap: 0.3 },
        stabilization: { enabled: true, iterations: big ? 250 : 400, updateInterval: 50, fit: true },
        maxVelocity: 40,
        minVelocity: 1
      },
      interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, keyboard: false, multiselect: false },
      nodes: { font: { face: FONT, size: 16, color: '#212529', strokeWidth: 3, strokeColor: '#ffffff' }, borderWidth: 1.5 },
      edges: { width: 1.2, selectionWidth: 2, hoverWidth: 1, smooth: { enabled: true, type: 'continuous', roundness: 0.3 } }
    };
    var nodes = new window.vis.DataSet(graph.nodes);
    var edges = new window.vis.DataSet(graph.edges);
    var network = new window.vis.Network(container, { nodes: nodes, edges: edges }, options);
    network.once('stabilizationIterationsDone', function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
    });
    network.on('click', function (params) {
      if (!params.nodes.length) return;
      var node = nodes.get(params.nodes[0]);
      if (node && node.type === 'event') onSelect(node.eventId, 'network');
      else if (node) onEntity(node.id);
    });
    /** Moving the camera on every selection is disorienting; only do it when the node cannot be seen. */
    function nodeOnScreen(id) {
      var p = network.canvasToDOM(network.getPosition(id));
      return p.x >= 20 && p.y >= 20 && p.x <= container.clientWidth - 20 && p.y <= container.clientHeight - 20;
    }

    return {
      instance: network,
      select: function (eventId, source) {
        var id = 'event:' + eventId;
        if (!nodes.get(id)) return;
        network.selectNodes([id]);
        if (source !== 'network' && !nodeOnScreen(id)) {
          network.moveTo({ position: network.getPosition(id), animation: { duration: 300, easingFunction: 'easeInOutQuad' } });
        }
      },
      selectEntity: function (id) { if (nodes.get(id)) network.selectNodes([id]); }
    };
  }

  /* ------------------------------------------------------------------ details */

  function chips(values) {
    var list = asList(values);
    if (!list.length) return el('span', 'none', '—');
    var wrap = el('span');
    list.forEach(function (v) { wrap.appendChild(el('span', 'chip', v)); });
    return wrap;
  }

  function renderMention(m, ev, docDates) {
    var li = el('li', 'mention');
    li.appendChild(el('blockquote', null, m.quote || ''));
    var meta = el('div', 'meta');
    meta.appendChild(el('span', 'src', (m.file || '?') + ':' + (m.line === undefined ? '?' : m.line)));
    meta.appendChild(document.createTextNode(' · date text '));
    meta.appendChild(el('span', 'datetext', '“' + (m.date_text || '') + '”'));
    if ((m.not_before && m.not_before !== ev.not_before) || (m.not_after && m.not_after !== ev.not_after)) {
      meta.appendChild(document.createTextNode(' (this text says ' + dateRangeText(m.not_before, m.not_after) + ')'));
    }
    if (m.document) {
      meta.appendChild(el('br'));
      var docDate = docDates[m.file];
      meta.appendChild(document.createTextNode('in ' + m.document + (docDate ? ' (' + docDate + ')' : '')));
    }
    li.appendChild(meta);
    return li;
  }

  function renderEventDetails(container, ev, docDates) {
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
    [['Speakers', ev.speakers], ['Organizations', ev.organizations], ['Phrases', ev.phrases]].forEach(function (row) {
      facts.appendChild(el('dt', null, row[0]));
      var dd = el('dd');
      dd.appendChild(chips(row[1]));
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

  /** A person/organization/phrase clicked in the network: list its events so the user can jump to one. */
  function renderEntityDetails(container, entity, byId, onSelect) {
    container.removeAttribute('data-event-id');
    container.setAttribute('data-entity-id', entity.id);
    var parts = [el('h3', null, entity.name)];
    var badge = el('span', 'kind-badge', NODE_TYPES[entity.type].label.replace(/ \(.*\)$/, ''));
    badge.style.background = NODE_TYPES[entity.type].color;
    parts.push(badge);
    parts.push(el('h4', null, 'Events (' + entity.events.length + ')'));
    var list = el('ul', 'mentions');
    entity.events.forEach(function (id) {
      var ev = byId[id];
      var li = el('li', 'mention');
      var button = el('button', 'chip', ev.name || '(unnamed)');
      button.type = 'button';
      button.addEventListener('click', function () { onSelect(id, 'details'); });
      li.appendChild(button);
      li.appendChild(el('span', 'meta', ' ' + dateRangeText(ev.not_before, ev.not_after)));
      list.appendChild(li);
    });
    parts.push(list);
    container.replaceChildren.apply(container, parts);
  }

  /* ------------------------------------------------------------------ wiring */

  function readData() {
    var block = document.getElementById('ptkg-data');
    var data = JSON.parse(block.textContent);
    data.events = asList(data.events);
    data.documents = asList(data.documents);
    return data;
  }

  function renderStats(data) {
    var mentions = data.events.reduce(function (n, ev) { return n + asList(ev.mentions).length; }, 0);
    document.getElementById('stats').textContent =
      data.events.length + ' events · ' + mentions + ' mentions · ' + data.documents.length + ' documents';
  }

  function main() {
    var data = readData();
    var byId = {};
    data.events.forEach(function (ev) { byId[ev.id] = ev; });
    var docDates = {};
    data.documents.forEach(function (d) { if (d.date) docDates[d.file] = d.date; });
    var details = document.getElementById('details');
    details.replaceChildren(el('p', 'empty', 'Click an event in the timeline or the network to see its dates, people and every sentence that mentions it.'));
    renderStats(data);

    var selected = null;
    var timeline;
    var network;
    var graph = buildGraph(data.events);

    /** The one place selection happens, so timeline, network and details can never disagree. */
    function selectEvent(id, source) {
      var ev = byId[id];
      if (!ev) return false;
      selected = id;
      timeline.select(id);
      network.select(id, source || 'api');
      renderEventDetails(details, ev, docDates);
      document.dispatchEvent(new CustomEvent('ptkg:select', { detail: { id: id, source: source || 'api' } }));
      return true;
    }

    function selectEntity(entityId) {
      var ent = graph.entities[entityId];
      if (!ent) return false;
      network.selectEntity(entityId);
      renderEntityDetails(details, ent, byId, selectEvent);
      return true;
    }

    timeline = createTimeline(document.getElementById('timeline'), data.events, selectEvent);
    network = createNetwork(document.getElementById('network'), graph, selectEvent, selectEntity);
    renderNetworkLegend(document.getElementById('net-legend'));

    document.getElementById('tl-zoom-in').addEventListener('click', function () { timeline.zoom(0.6); });
    document.getElementById('tl-zoom-out').addEventListener('click', function () { timeline.zoom(1 / 0.6); });
    document.getElementById('tl-fit').addEventListener('click', function () { timeline.fitAll(); });
    document.getElementById('tl-densest').addEventListener('click', function () { timeline.fitDensest(); });

    /* A small API for tests and for later features (search, URL state): the canvas cannot be clicked by selector. */
    window.ptkg = {
      data: data,
      selectEvent: function (id) { return selectEvent(id, 'api'); },
      selectEntity: selectEntity,
      selectedEventId: function () { return selected; },
      timeline: timeline,
      network: network.instance
    };
  }

  main();
})();

"""How the project starts Debian's chromium for its browser tests and page benchmark, and what both check.

Headless, no sandbox (CI runs as root), and none of chromium's own background traffic: the
machine's network is closed, and the page must be shown to make no request at all.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("PTKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: In the page: the drawn network nodes and every pair whose node-and-label boxes (vis-network's own, as
#: drawn) overlap. The browser tests assert none; bench_page.py counts them on a built corpus.
OVERLAPS = """() => {
  const net = window.ptkg.network;
  const ids = window.ptkg.networkNodeIds();
  const boxes = ids.map(id => [id, net.getBoundingBox(id)]);
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i][1], b = boxes[j][1];
    if (Math.min(a.right, b.right) > Math.max(a.left, b.left) && Math.min(a.bottom, b.bottom) > Math.max(a.top, b.top))
      hits.push([boxes[i][0], boxes[j][0]]);
  }
  return [ids.length, hits];
}"""

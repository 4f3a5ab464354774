"""How the project starts Debian's chromium for its browser tests and page benchmark.

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

"""Refresh the screenshots in docs/screenshots/: the home, pair, scenario and corridor pages in English and Chinese,
at 1366 px (desktop) and 390 px (phone), taken with Debian's chromium over the app serving a build.

    python scripts/screenshots.py [--out-dir FOLDER]   # default: the build in LMC_HOME/out (run `lmc build` first)

Each PNG is the top of the page (at most MAX_HEIGHT css px), reduced to 256 colours so it stays under 300 KB. The
scenario page is shown with a run, the corridor page with a planned journey.
"""

from __future__ import annotations

import argparse
import io
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
MAX_HEIGHT = {"desktop": 1500, "phone": 2200}
LIMIT = 300 * 1024
PAGES = {
    "home": "/",
    "pair": "/pair/CHN-LAO",
    "scenario": "/scenarios?name=railway-travel-time&run=1&draws=50",
    "corridor": "/corridor?from=KMS&to=VTE&date=2026-06-01&after=07:00",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _png(data: bytes) -> bytes:
    """The screenshot as a 256-colour PNG (text and flat map colours survive; files shrink about fourfold)."""
    from PIL import Image

    img = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG",
                                                                                              optimize=True)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from lmc.config import get_settings
    from lmc.web.app import create_app

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", type=Path, default=None, help="the build to show (default: LMC_HOME/out)")
    args = ap.parse_args(argv)
    settings = get_settings()
    app = create_app(settings, out_dir=args.out_dir)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            for kind, (w, h) in WIDTHS.items():
                ctx = browser.new_context(viewport={"width": w, "height": h}, device_scale_factor=1)
                page = ctx.new_page()
                for lang in ("en", "zh"):
                    for name, path in PAGES.items():
                        sep = "&" if "?" in path else "?"
                        page.goto(f"http://127.0.0.1:{port}{path}{sep}lang={lang}", timeout=120_000)
                        if page.locator(".chart").count():
                            page.wait_for_selector(".chart[data-rendered='1']", timeout=30_000)
                        page.wait_for_timeout(300)
                        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[kind])
                        shot = page.screenshot(clip={"x": 0, "y": 0, "width": w, "height": height},
                                               full_page=True)
                        data = _png(shot)
                        target = OUT / f"{name}_{lang}_{w}.png"
                        target.write_bytes(data)
                        flag = "" if len(data) < LIMIT else "  (over 300 KB!)"
                        print(f"{target.relative_to(ROOT)}  {w}x{height}  {len(data) // 1024} KB{flag}")
                ctx.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The report's page in figures: HTML size and the images' share of it, tables and charts, the
page height at 1400 px and at 390 px, whether anything sticks out of a phone's screen, and what
the first 900 px at 1400 px show (issue 10's before/after).

    python benchmarks/report_page.py [AUDIT.html]      # default: runs `callkit demo` first

Needs headless Chromium (/usr/bin/chromium or $CALLKIT_CHROMIUM).
"""
from __future__ import annotations

import html as html_mod
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM = os.environ.get("CALLKIT_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--allow-file-access-from-files"]
HOST = """<html><body style="margin:0">
<iframe id="wide" src="REPORT" style="width:1400px;height:900px;border:0;display:block"></iframe>
<iframe id="phone" src="REPORT" style="width:390px;height:900px;border:0;display:block"></iframe>
<script>
var n = 0;
function m(id, first) {
  var d = document.getElementById(id).contentDocument, de = d.documentElement, w = d.defaultView.innerWidth;
  var out = {height: de.scrollHeight, scroll_width: de.scrollWidth, width: w, sticking_out: 0, wide_tables: 0, first: []};
  var all = d.querySelectorAll("body *");
  for (var i = 0; i < all.length; i++) {
    var r = all[i].getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) { if (all[i].closest(".ck-scroll") || all[i].tagName == "TABLE") out.wide_tables += all[i].tagName == "TABLE"; else out.sticking_out++; }
    if (first && /^(H1|H2|H3|P|LI|TABLE|IMG)$/.test(all[i].tagName) && r.top < 900 && r.bottom > 0)
      out.first.push(all[i].tagName + ": " + (all[i].innerText || all[i].alt || "").slice(0, 100).replace(/\\n/g, " | "));
  }
  return out;
}
function done() { if (++n < 2) return; setTimeout(function () {
  var p = document.createElement("pre");
  p.textContent = "PA" + "GE" + JSON.stringify({wide: m("wide", true), phone: m("phone", false)}) + "END";
  document.body.appendChild(p); }, 300); }
document.getElementById("wide").onload = done; document.getElementById("phone").onload = done;
</script></body></html>"""


def main() -> None:
    if len(sys.argv) > 1:
        page = Path(sys.argv[1])
    else:
        from callkit import report

        page = report.demo(tempfile.mkdtemp()).html
    text = page.read_text(encoding="utf-8")
    size = len(text.encode())
    images = re.findall(r'src="data:image/([a-z+]+);base64,([^"]+)"', text)
    image_bytes = sum(len(b) for _, b in images)
    print(f"{page}")
    print(f"HTML {size:,} B ({size / 1e6:.2f} MB); {len(images)} embedded images "
          f"({', '.join(sorted(set(k for k, _ in images)))}) = {image_bytes:,} B ({image_bytes / size:.0%})")
    print(f"tables {len(re.findall(r'<table', text))}, charts {len(re.findall(r'<img', text))}, "
          f"{re.search(r'<html[^>]*>', text).group(0)}")
    with tempfile.TemporaryDirectory() as tmp:
        host = Path(tmp) / "host.html"
        host.write_text(HOST.replace("REPORT", page.resolve().as_uri()), encoding="utf-8")
        res = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp}/profile", "--window-size=1800,1000",
                              "--virtual-time-budget=15000", "--dump-dom", host.as_uri()],
                             capture_output=True, text=True, timeout=180, check=False)
    found = re.search(r"PAGE(.*?)END", html_mod.unescape(res.stdout), re.S)
    if not found:
        sys.exit(f"chromium gave no measurement: {res.stderr[-300:]}")
    data = json.loads(found.group(1))
    for name in ("wide", "phone"):
        d = data[name]
        print(f"at {d['width']} px: page {d['height']:,} px high, {d['scroll_width']} px wide; "
              f"{d['sticking_out']} elements outside the screen, {d['wide_tables']} tables wider than it")
    print("first 900 px at 1400 px:")
    for line in data["wide"]["first"]:
        print("   ", line)


if __name__ == "__main__":
    main()

"""The notebooks as a student meets them: JupyterLab in headless Chromium, every notebook opened,
its committed plots checked visible, then Run All, no error, every plot visible again.

JupyterLab is started the README's way (`scripts/lab.sh --no-browser ...`, which registers the
"Rust (trainlab)" kernel, compiles the course for it with progress, and adds --allow-root as
root), with its own settings, workspace and
trust database in a temporary directory (autosave off: the notebooks on disk stay as committed;
a fresh trust database: every notebook opens untrusted, as after a clone). For each notebook:

  1. open it; every output that has an image in the committed file must show an <img> with a
     non-zero rendered size that fits the notebook column (untrusted: JupyterLab shows the PNG);
  2. Run All (the kernel starts fresh); wait until every cell has run;
  3. no cell has an error output or a Rust error / panic on stderr; every cell that had an image
     (or is tagged `plot`) shows one again, non-zero and inside the column.

A kernel that JupyterLab restarted (no reply to `kernel_info` within its limit) fails the test.
Writes target/browser-test/report.json (per notebook: seconds, per cell the kernel's execution
time from JupyterLab's recorded timing and the browser's wall clock between finished cells,
image sizes before and after) and screenshots (target/browser-test/NN-name/*.png: the window
before and after, and every plot output after the run). Exit code 1 on any problem; exit code 0
with a SKIPPED line when Chromium or chromedriver is missing.

    .venv/bin/python scripts/browser_test.py                      # every notebooks/NN-*.ipynb
    .venv/bin/python scripts/browser_test.py notebooks/01-optimizers.ipynb --out target/bt
"""

import argparse
import json
import os
import pathlib
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
STDERR_MARKERS = ("error[E", "panicked at")

# JupyterLab settings for the test: no autosave (the checkout stays clean), every cell in the DOM
# (no virtual scrolling hiding outputs), the kernel's timing recorded in each cell's metadata,
# no news or update pop-ups over the page.
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "recordTiming": True,
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}

# Every code cell of the open notebook, as the model has it, with what the DOM shows of its
# image outputs. Runs in the page; `arguments[0]` is unused.
CELLS_JS = r"""
const app = window.jupyterapp;
const panel = app.shell.currentWidget;
if (!panel || !panel.content || !panel.content.widgets) { return null; }
const out = [];
for (const cell of panel.content.widgets) {
  if (cell.model.type !== 'code') { continue; }
  const node = cell.node;
  const area = node.querySelector('.jp-OutputArea');
  const areaBox = area ? area.getBoundingClientRect() : null;
  const images = [];
  for (const img of node.querySelectorAll('.jp-OutputArea-output img')) {
    const box = img.getBoundingClientRect();
    const host = img.closest('.jp-RenderedSVG') ? 'svg' : (img.closest('.jp-RenderedImage') ? 'png' : 'other');
    images.push({
      host: host,
      width: box.width, height: box.height,
      natural_width: img.naturalWidth, natural_height: img.naturalHeight,
      complete: img.complete,
      fits: areaBox ? box.right <= areaBox.right + 1 && box.left >= areaBox.left - 1 : false,
    });
  }
  const texts = [];
  for (const o of node.querySelectorAll('.jp-OutputArea-output')) {
    if (!o.querySelector('img') && o.textContent.includes('Cannot display')) { texts.push(o.textContent); }
  }
  const timing = cell.model.getMetadata ? cell.model.getMetadata('execution') : null;
  out.push({
    source: cell.model.sharedModel.getSource(),
    tags: (cell.model.getMetadata ? cell.model.getMetadata('tags') : null) || [],
    count: cell.model.executionCount,
    prompt: (node.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent,
    outputs: cell.model.outputs.toJSON(),
    images: images,
    blocked: texts,
    timing: timing || null,
  });
}
return {trusted: panel.content.model ? !!panel.content.model.trusted : null,
        kernel: panel.sessionContext.session && panel.sessionContext.session.kernel
                ? panel.sessionContext.session.kernel.status : null,
        cells: out};
"""


def skip(reason):
    print(f"browser-test: SKIPPED: {reason}", flush=True)
    return 0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, predicate, timeout, interval=0.25):
    """Polls `predicate` until it returns a true value; raises TimeoutError naming `what`."""
    end = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < end:
        try:
            value = predicate()
            if value:
                return value
        except Stalled:
            raise
        except Exception as e:  # the page is still loading
            last_error = e
        time.sleep(interval)
    raise TimeoutError(f"{what}: not after {timeout} s (last error: {last_error})")


def last_line(path):
    """The last non-empty line of a log file, shortened."""
    try:
        lines = [l for l in path.read_text(errors="replace").splitlines() if l.strip()]
    except OSError:
        return ""
    return lines[-1].strip()[:120] if lines else ""


def committed_images(path):
    """Per code cell of the committed notebook: how many outputs carry an image."""
    nb = json.loads(path.read_text())
    counts = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        n = sum(1 for o in cell.get("outputs", [])
                if any(k.startswith("image/") for k in o.get("data", {})))
        counts.append(n)
    return counts


def first_line(source):
    lines = source.strip().splitlines()
    return lines[0][:70] if lines else ""


def image_problems(where, cell, want):
    problems = []
    shown = [i for i in cell["images"] if i["width"] > 0 and i["height"] > 0
             and i["natural_width"] > 0 and i["complete"]]
    if len(shown) < want:
        problems.append(f"{where}: {want} image output(s) expected, {len(shown)} visible "
                        f"({cell['images']}{'; ' + cell['blocked'][0] if cell['blocked'] else ''})")
    for i in shown:
        if not i["fits"]:
            problems.append(f"{where}: an image {i['width']:.0f} px wide does not fit the column")
    return problems


def error_problems(where, cell):
    problems = []
    for o in cell["outputs"]:
        if o.get("output_type") == "error":
            problems.append(f"{where}: error output {o.get('ename', '')}: {o.get('evalue', '')[:300]}")
        if o.get("output_type") == "stream" and o.get("name") == "stderr":
            text = o.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            if any(m in text for m in STDERR_MARKERS):
                problems.append(f"{where}: stderr says {text.strip()[:300]!r}")
    return problems


def kernel_seconds(timing):
    """The kernel's execution time of a cell from JupyterLab's recorded timing metadata."""
    if not timing:
        return None
    from datetime import datetime
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return None
    return (end - start).total_seconds()


def screenshot_outputs(driver, out_dir, label):
    """The window, and each output with an image, saved as PNG files; returns their paths."""
    from selenium.webdriver.common.by import By
    saved = []
    driver.save_screenshot(str(out_dir / f"{label}-window.png"))
    saved.append(f"{label}-window.png")
    outputs = driver.find_elements(By.CSS_SELECTOR, ".jp-CodeCell .jp-OutputArea-output")
    k = 0
    for el in outputs:
        if not el.find_elements(By.TAG_NAME, "img"):
            continue
        k += 1
        driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", el)
        time.sleep(0.2)
        name = f"{label}-plot{k:02d}.png"
        el.screenshot(str(out_dir / name))
        saved.append(name)
    driver.execute_script(
        "document.querySelector('.jp-WindowedPanel-outer, .jp-Notebook').scrollTop = 0;")
    return saved


class Stalled(TimeoutError):
    """Run All made no progress: no cell finished for --stall seconds."""


def close_notebook(driver):
    """The kernel goes (its work directory is free for the next notebook), and the tab."""
    driver.execute_script(
        "const p = window.jupyterapp.shell.currentWidget;"
        "if (p && p.sessionContext) { p.sessionContext.shutdown(); }")
    time.sleep(1.0)
    driver.execute_script("window.jupyterapp.commands.execute('application:close-all');")


def test_notebook(driver, base, token, path, out_dir, timeout, stall):
    """Opens, checks, runs and checks again one notebook; returns (report, problems).

    A Run All that stalls (no cell finishes for `stall` seconds) is run once more on a fresh
    kernel, and the stall is reported: evcxr_jupyter 0.22's ZeroMQ (zeromq 0.6.0) can hang a
    kernel's shell channel when a client disconnects (seen once in these runs: the thread
    reading the shell socket blocked in `peer_disconnected`, no cell running); a student sees
    a cell stay [*] and restarts the kernel, which is what the retry does."""
    rel = path.relative_to(ROOT / "notebooks").as_posix()
    stalls = []
    for attempt in (1, 2):
        report = {"notebook": rel, "cells": [], "problems": [], "stalls": stalls}
        try:
            check_notebook(driver, base, token, path, rel, out_dir / path.stem, timeout, stall, report)
        except Stalled as e:
            driver.save_screenshot(str(out_dir / f"{path.stem}-stalled-{attempt}.png"))
            stalls.append(str(e))
            print(f"browser-test: {rel}: WARNING: {e}", flush=True)
            if attempt == 1:
                print(f"browser-test: {rel}: shutting the kernel down, running the notebook once more", flush=True)
                close_notebook(driver)
                continue
            report["problems"].append(str(e))
        except TimeoutError as e:
            driver.save_screenshot(str(out_dir / f"{path.stem}-timeout.png"))
            report["problems"].append(str(e))
        close_notebook(driver)
        return report, report["problems"]


def check_notebook(driver, base, token, path, rel, nb_dir, timeout, stall, report):
    nb_dir.mkdir(parents=True, exist_ok=True)
    want = committed_images(path)
    problems = report["problems"]

    driver.get(f"{base}/lab/tree/{rel}?reset&token={token}")
    state = wait_for(f"{rel}: notebook open with its outputs",
                     lambda: (lambda s: s if s and len(s["cells"]) == len(want) else None)(
                         driver.execute_script(CELLS_JS)), 120)
    # images load asynchronously: give the committed ones a moment
    try:
        state = wait_for(f"{rel}: committed images loaded", lambda: (lambda s: s if all(
            sum(1 for i in c["images"] if i["width"] > 0 and i["complete"]) >= w
            for c, w in zip(s["cells"], want)) else None)(driver.execute_script(CELLS_JS)), 20)
    except TimeoutError:
        state = driver.execute_script(CELLS_JS)
    report["trusted_when_opened"] = state["trusted"]
    before = state["cells"]
    for n, (cell, w) in enumerate(zip(before, want), start=1):
        problems += image_problems(f"{rel} code cell {n} before running", cell, w)
    report["screenshots_before"] = screenshot_outputs(driver, nb_dir, "before")

    start = time.monotonic()
    driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")
    done_at = {}

    def finished():
        s = driver.execute_script(CELLS_JS)
        now = time.monotonic() - start
        for i, c in enumerate(s["cells"]):
            # a queued or running cell's prompt is [*]; a finished one has its count
            if "*" not in c["prompt"] and c["count"] is not None and i not in done_at:
                done_at[i] = now
        if len(done_at) < len(s["cells"]) and now - max(done_at.values(), default=0.0) > stall:
            raise Stalled(f"{rel}: Run All stalled: no cell finished for {stall} s after code cell "
                          f"{len(done_at)} of {len(s['cells'])} (kernel {s['kernel']})")
        if len(done_at) == len(s["cells"]) and s["kernel"] == "idle":
            return s
        if any(c["outputs"] and any(o.get("output_type") == "error" for o in c["outputs"])
               for c in s["cells"]) and s["kernel"] == "idle":
            return s  # Run All stops at an error
        return None

    # the counts of the committed outputs are in the cells until they run again: clear the
    # record once the first cell is queued
    wait_for(f"{rel}: Run All started", lambda: "*" in driver.execute_script(CELLS_JS)["cells"][0]["prompt"], 60, 0.05)
    done_at.clear()
    state = wait_for(f"{rel}: Run All finished", finished, timeout, 0.1)
    report["seconds"] = round(time.monotonic() - start, 2)
    time.sleep(1.0)  # the last images decode
    state = driver.execute_script(CELLS_JS)
    report["trusted_after_run"] = state["trusted"]
    previous = 0.0
    for n, (cell, w) in enumerate(zip(state["cells"], want), start=1):
        where = f"{rel} code cell {n}"
        problems += error_problems(where, cell)
        expect = max(w, 1 if "plot" in cell["tags"] else 0)
        problems += image_problems(f"{where} after Run All", cell, expect)
        if cell["count"] != n:
            # issue 20: upstream evcxr_jupyter numbered a fresh kernel's first cell [2]
            problems.append(f"{where}: execution count [{cell['count']}] after Run All on a fresh "
                            f"kernel, expected [{n}]")
        done = done_at.get(n - 1)
        report["cells"].append({
            "cell": n,
            "source": first_line(cell["source"]),
            "execution_count": cell["count"],
            "kernel_seconds": kernel_seconds(cell["timing"]),
            "browser_seconds": round(done - previous, 2) if done is not None else None,
            "images_before": [{k: i[k] for k in ("host", "width", "height")} for i in before[n - 1]["images"]],
            "images_after": [{k: i[k] for k in ("host", "width", "height")} for i in cell["images"]],
        })
        if done is not None:
            previous = done
    report["screenshots_after"] = screenshot_outputs(driver, nb_dir, "after")


def start_lab(port, token, env, log):
    args = ["sh", str(ROOT / "scripts" / "lab.sh"), "--no-browser", f"--port={port}",
            "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
            "--LabApp.expose_app_in_browser=True", "--ServerApp.open_browser=False"]
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def main():
    # a SIGTERM (a CI timeout) still stops JupyterLab and Chromium: the `finally` below runs
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path,
                        help="notebooks to test (default: notebooks/NN-*.ipynb)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "target" / "browser-test",
                        help="report and screenshots (default target/browser-test)")
    parser.add_argument("--stall", type=int, default=240,
                        help="seconds without a cell finishing after which a notebook's Run All "
                             "counts as stalled and runs once more on a fresh kernel (default 240)")
    parser.add_argument("--timeout", type=int, default=1800,
                        help="seconds for one notebook's Run All (default 1800: a cold first :dep)")
    parser.add_argument("--window", default="1400,1000", help="window size (default 1400,1000)")
    args = parser.parse_args()

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        return skip("chromium and chromedriver are not installed (Debian: apt-get install "
                    "chromium chromium-driver); `cargo make notebooks` runs the notebooks without a browser")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        return skip("selenium is missing from .venv (cargo make setup installs it)")

    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    out_dir = args.out.resolve()
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)

    tmp = pathlib.Path(tempfile.mkdtemp(prefix="trainlab-browser-test-"))
    settings = tmp / "settings"
    for rel, value in SETTINGS.items():
        f = settings / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    env = dict(os.environ,
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               JUPYTER_DATA_DIR=str(tmp / "data"),  # a fresh trust database: notebooks open untrusted
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"))
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    log_path = out_dir / "jupyterlab.log"
    reports, problems = [], []
    with open(log_path, "w") as log:
        server = start_lab(port, token, env, log)
        driver = None
        try:
            def up():
                if server.poll() is not None:
                    raise SystemExit(f"browser-test: JupyterLab exited ({server.returncode}); see {log_path}")
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    return r.status == 200
            print("browser-test: starting JupyterLab (scripts/lab.sh --no-browser: it compiles the "
                  "course for the kernel first, 2 to 10 minutes on a fresh machine)", flush=True)
            began = time.monotonic()
            last_note = [began]

            def up_with_progress():
                if time.monotonic() - last_note[0] >= 30:
                    last_note[0] = time.monotonic()
                    print(f"browser-test: {last_note[0] - began:.0f} s, lab.sh says: "
                          f"{last_line(log_path)}", flush=True)
                return up()
            wait_for("JupyterLab answering", up_with_progress, 3600, 0.5)
            print(f"browser-test: JupyterLab is up after {time.monotonic() - began:.0f} s", flush=True)
            options = webdriver.ChromeOptions()
            options.binary_location = chromium
            for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                      f"--window-size={args.window}"):
                options.add_argument(a)
            driver = webdriver.Chrome(service=Service(driver_path), options=options)
            driver.get(f"{base}/lab?token={token}")
            wait_for("JupyterLab's page", lambda: driver.execute_script(
                "return !!(window.jupyterapp && window.jupyterapp.shell)"), 120)
            for path in paths:
                print(f"browser-test: {path.name}: open, check committed plots, Run All ...", flush=True)
                report, found = test_notebook(driver, base, token, path, out_dir, args.timeout, args.stall)
                reports.append(report)
                problems += found
                status = "ok" if not found else "FAILED"
                lat = [c["kernel_seconds"] for c in report.get("cells", []) if c.get("kernel_seconds") is not None]
                print(f"browser-test: {path.name}: {status}, Run All {report.get('seconds', '?')} s, "
                      f"slowest cell {max(lat) if lat else float('nan'):.2f} s", flush=True)
                for p in found:
                    print(f"    {p}", flush=True)
        finally:
            if driver is not None:
                version = driver.capabilities.get("browserVersion")
                driver.quit()
            else:
                version = None
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            shutil.rmtree(tmp, ignore_errors=True)
    # a kernel JupyterLab gave up on and restarted loses the cells queued by Run All
    restarts = [line.strip() for line in log_path.read_text(errors="replace").splitlines()
                if "Timeout waiting for kernel_info" in line or "restarting kernel" in line.lower()]
    for line in restarts:
        problems.append(f"JupyterLab restarted a kernel: {line}")
        print(f"browser-test: FAILED: JupyterLab restarted a kernel: {line}", flush=True)
    (out_dir / "report.json").write_text(json.dumps(
        {"chromium": version, "window": args.window, "notebooks": reports,
         "kernel_restarts": restarts}, indent=1))
    failed = sum(1 for r in reports if r.get("problems"))
    print(f"browser-test: {len(reports) - failed}/{len(paths)} notebooks "
          f"passed; report and screenshots in {out_dir.relative_to(ROOT) if out_dir.is_relative_to(ROOT) else out_dir}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

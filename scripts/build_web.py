#!/usr/bin/env python3
"""Build the web checker: one self-contained HTML page.

Reads its settings from wasm-pack.toml (see the comments there). Steps:
compile the crate for wasm32, run wasm-bindgen (the version pinned in
Cargo.lock), optimise with npm's wasm-opt, then assemble the page: the
style, the page modules and the worker inline, the wasm as base64, the
samples as base64, and a Content-Security-Policy that pins every inline
script and style by hash. The same bytes are written as index.html (what
the server serves) and as the offline file, so that "Save page as" and the
offline download both give a page that works from file://.

Usage: scripts/build_web.py [--page-only]
  --page-only   reuse the wasm already in the out dir (for page work)
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CRATE = "cape_check"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--page-only", action="store_true", help="reuse the wasm already built")
    args = parser.parse_args()

    config = tomllib.loads((ROOT / "wasm-pack.toml").read_text())
    out_dir = ROOT / config["build"]["out-dir"]
    pkg_dir = out_dir / "pkg"

    if not args.page_only:
        build_wasm(config, pkg_dir)
    glue = (pkg_dir / f"{CRATE}.js").read_text()
    wasm = (pkg_dir / f"{CRATE}_bg.wasm").read_bytes()

    page = assemble_page(config, glue, wasm)
    for name in config["page"]["pages"]:
        (out_dir / name).write_bytes(page)

    gz = len(gzip.compress(wasm, 9))
    print(f"wasm: {len(wasm):,} bytes, {gz:,} bytes gzipped")
    print(f"page: {len(page):,} bytes, {len(gzip.compress(page, 9)):,} bytes gzipped")
    for name in config["page"]["pages"]:
        print(f"wrote {(out_dir / name).relative_to(ROOT)}")
    return 0


def build_wasm(config: dict, pkg_dir: Path) -> None:
    build = config["build"]
    features = ["--no-default-features"] if not build.get("default-features", True) else []
    if build.get("features"):
        features += ["--features", ",".join(build["features"])]
    run(["cargo", "build", "--lib", "--profile", build["profile"], "--target", build["target"], *features])
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    profile_dir = "debug" if build["profile"] == "dev" else build["profile"]
    raw = target_dir / build["target"] / profile_dir / f"{CRATE}.wasm"

    check_wasm_bindgen_version()
    bindgen = config["wasm-bindgen"]
    if pkg_dir.exists():
        shutil.rmtree(pkg_dir)
    command = ["wasm-bindgen", "--target", bindgen["target"], "--out-dir", str(pkg_dir)]
    if bindgen["target"] == "no-modules":
        command += ["--no-modules-global", bindgen["global"]]
    run(command + list(bindgen.get("flags", [])) + [str(raw)])

    opt = config["wasm-opt"]
    if opt.get("enabled", False):
        wasm_opt = ROOT / "node_modules" / ".bin" / "wasm-opt"
        if not wasm_opt.exists():
            sys.exit("wasm-opt is missing: run `npm ci` (npm's binaryen; never Debian's, it breaks wasm-bindgen output)")
        wasm_file = pkg_dir / f"{CRATE}_bg.wasm"
        before = wasm_file.stat().st_size
        run([str(wasm_opt), opt["level"], *opt.get("features", []), str(wasm_file), "-o", str(wasm_file)])
        print(f"wasm-opt {opt['level']}: {before:,} -> {wasm_file.stat().st_size:,} bytes")


def check_wasm_bindgen_version() -> None:
    lock = (ROOT / "Cargo.lock").read_text()
    match = re.search(r'name = "wasm-bindgen"\nversion = "([^"]+)"', lock)
    if not match:
        sys.exit("Cargo.lock names no wasm-bindgen version")
    wanted = match.group(1)
    try:
        found = subprocess.run(["wasm-bindgen", "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    except (OSError, subprocess.CalledProcessError):
        found = None
    if found != wanted:
        sys.exit(f"wasm-bindgen {wanted} is needed (found {found}): cargo install wasm-bindgen-cli --version {wanted}")


def assemble_page(config: dict, glue: str, wasm: bytes) -> bytes:
    page_config = config["page"]
    template = (ROOT / page_config["template"]).read_text()
    style = (ROOT / page_config["style"]).read_text()
    page_script = bundle_modules([ROOT / path for path in page_config["modules"]])
    worker_script = glue + "\n" + (ROOT / page_config["worker"]).read_text()

    samples = "\n".join(
        f'<script type="text/csv;base64" class="sample" data-name="{Path(path).name}" data-label="{label}">'
        f"{base64.b64encode((ROOT / path).read_bytes()).decode()}</script>"
        for label, path in page_config["samples"]
    )
    parts = {
        "STYLE": inline_text(style, "style"),
        "PAGE_SCRIPT": inline_text(page_script, "script"),
        "WORKER_SCRIPT": inline_text(worker_script, "script"),
        "WASM_BASE64": base64.b64encode(wasm).decode(),
        "SAMPLES": samples,
    }
    csp = "; ".join(
        [
            "default-src 'none'",
            # The page script only; the worker's source is data until it is
            # started from a Blob URL, which worker-src governs.
            f"script-src {sha256_source(parts['PAGE_SCRIPT'])} 'wasm-unsafe-eval'",
            f"style-src {sha256_source(parts['STYLE'])}",
            "worker-src blob:",
            "img-src data:",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )
    parts["CSP"] = csp
    html = template
    for key, value in parts.items():
        marker = "{{" + key + "}}"
        if html.count(marker) != 1:
            sys.exit(f"{page_config['template']} must hold {marker} exactly once")
        html = html.replace(marker, value)
    leftover = re.search(r"\{\{[A-Z_]+\}\}", html)
    if leftover:
        sys.exit(f"{page_config['template']}: unknown marker {leftover.group(0)}")
    return html.encode()


def bundle_modules(paths: list[Path]) -> str:
    """Concatenates small ES modules into one module body.

    Each module may import only from the modules before it (by relative
    path) and its top-level names must not clash: the import lines and the
    export keywords are dropped.
    """
    out = []
    for path in paths:
        text = path.read_text()
        text = re.sub(r"^import\s[^;]*;\s*$", "", text, flags=re.M)
        text = re.sub(r"^export\s+(?=(async\s+)?(function|const|let|class)\b)", "", text, flags=re.M)
        if re.search(r"^\s*(import|export)\b", text, flags=re.M):
            sys.exit(f"{path}: only `import ... from './x.js';` lines and `export function|const|let|class` are supported")
        out.append(f"// --- {path.relative_to(ROOT)} ---\n{text}")
    return "\n".join(out)


def inline_text(text: str, element: str) -> str:
    """Text to place inside <script> or <style> as is (no escaping exists there)."""
    if re.search(rf"</{element}", text, flags=re.I) or "<!--" in text:
        sys.exit(f"inline {element} text must not contain '</{element}' or '<!--'")
    return text


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def run(command: list[str]) -> None:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}")


if __name__ == "__main__":
    sys.exit(main())

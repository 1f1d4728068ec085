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
import json
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
    modules = config["module"]

    if not args.page_only:
        check_wasm_bindgen_version()
        for module in modules:
            build_wasm(config, module, out_dir / "pkg" / module["name"])
    built = {}
    for module in modules:
        pkg_dir = out_dir / "pkg" / module["name"]
        stem = f"{CRATE}_{module['name']}"
        built[module["name"]] = {
            "glue": (pkg_dir / f"{stem}.js").read_text(),
            "wasm": (pkg_dir / f"{stem}_bg.wasm").read_bytes(),
        }

    worker_script = "\n".join(item["glue"] for item in built.values()) + "\n" + worker_files(config)
    page = assemble_page(config, worker_script, built)
    for name in config["page"]["pages"]:
        (out_dir / name).write_bytes(page)
    for extra in config["page"].get("extras", []):
        shutil.copyfile(ROOT / extra, out_dir / Path(extra).name)
    widget_dir = assemble_widget(config, worker_script, built, page, out_dir)

    too_big = []
    for module in modules:
        wasm = built[module["name"]]["wasm"]
        gz = len(gzip.compress(wasm, 9))
        print(f"wasm ({module['name']}): {len(wasm):,} bytes, {gz:,} bytes gzipped ({gz / 1024:.1f} KB)")
        if "max-gzip-kb" in module and gz > module["max-gzip-kb"] * 1024:
            too_big.append(f"the {module['name']} module is {gz / 1024:.1f} KB gzipped, over its {module['max-gzip-kb']} KB budget")
    print(f"page: {len(page):,} bytes, {len(gzip.compress(page, 9)):,} bytes gzipped")
    for name in config["page"]["pages"]:
        print(f"wrote {(out_dir / name).relative_to(ROOT)}")
    print(f"wrote {widget_dir.relative_to(ROOT)}/ (the <cape-check> widget package)")
    if too_big:
        sys.exit("; ".join(too_big))
    return 0


def build_wasm(config: dict, module: dict, pkg_dir: Path) -> None:
    build = config["build"]
    features = [] if module.get("default-features", True) else ["--no-default-features"]
    if module.get("features"):
        features += ["--features", ",".join(module["features"])]
    target_dir = ROOT / module.get("target-dir", "target")
    run(
        ["cargo", "build", "--lib", "--profile", build["profile"], "--target", build["target"], *features],
        env={"CARGO_TARGET_DIR": str(target_dir)},
    )
    profile_dir = "debug" if build["profile"] == "dev" else build["profile"]
    raw = target_dir / build["target"] / profile_dir / f"{CRATE}.wasm"
    # wasm-bindgen names its output after the input file: copy it under the
    # module's name so that the two modules' files never clash.
    named = target_dir / build["target"] / profile_dir / f"{CRATE}_{module['name']}.wasm"
    shutil.copyfile(raw, named)

    bindgen = config["wasm-bindgen"]
    if pkg_dir.exists():
        shutil.rmtree(pkg_dir)
    command = ["wasm-bindgen", "--target", bindgen["target"], "--out-dir", str(pkg_dir)]
    if bindgen["target"] == "no-modules":
        command += ["--no-modules-global", global_name(config, module)]
    run(command + list(bindgen.get("flags", [])) + [str(named)])

    opt = config["wasm-opt"]
    if opt.get("enabled", False):
        wasm_opt = ROOT / "node_modules" / ".bin" / "wasm-opt"
        if not wasm_opt.exists():
            sys.exit("wasm-opt is missing: run `npm ci` (npm's binaryen; never Debian's, it breaks wasm-bindgen output)")
        wasm_file = pkg_dir / f"{CRATE}_{module['name']}_bg.wasm"
        before = wasm_file.stat().st_size
        run([str(wasm_opt), opt["level"], *opt.get("features", []), str(wasm_file), "-o", str(wasm_file)])
        print(f"wasm-opt {opt['level']} ({module['name']}): {before:,} -> {wasm_file.stat().st_size:,} bytes")


def global_name(config: dict, module: dict) -> str:
    """capeCheck + Csv: the global the module's glue defines in the worker."""
    return config["wasm-bindgen"]["global-prefix"] + module["name"].capitalize()


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


def assemble_page(config: dict, worker_script: str, built: dict) -> bytes:
    page_config = config["page"]
    template = (ROOT / page_config["template"]).read_text()
    style = (ROOT / page_config["style"]).read_text()
    page_script = bundle_modules([ROOT / path for path in page_config["modules"]])

    samples = "\n".join(
        f'<script type="text/csv;base64" class="sample" data-name="{Path(path).name}" data-label="{label}">'
        f"{base64.b64encode((ROOT / path).read_bytes()).decode()}</script>"
        for label, path in page_config["samples"]
    )
    parts = {
        "STYLE": inline_text(style, "style"),
        "PAGE_SCRIPT": inline_text(page_script, "script"),
        "WORKER_SCRIPT": inline_text(worker_script, "script"),
        "WASM_CSV_BASE64": base64.b64encode(built["csv"]["wasm"]).decode(),
        "WASM_XLSX_BASE64": base64.b64encode(built["xlsx"]["wasm"]).decode(),
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


def assemble_widget(config: dict, worker_script: str, built: dict, page: bytes, out_dir: Path) -> Path:
    """The <cape-check> package: the element's module, the worker, both wasm
    modules, a copy of the page, a package.json and a README."""
    widget = config["widget"]
    directory = out_dir / widget["dir"]
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    style = (ROOT / widget["style"]).read_text()
    script = "// The <cape-check> element. Built by scripts/build_web.py from " + ", ".join(widget["modules"]) + ".\n"
    script += f"const WIDGET_STYLE = {json.dumps(style)};\n" + bundle_modules([ROOT / path for path in widget["modules"]])
    files = {
        "cape-check-widget.js": script.encode(),
        "cape-check-engine.js": worker_script.encode(),
        widget["page-name"]: page,
        "README.md": (ROOT / widget["readme"]).read_bytes(),
        "cape-check-widget.d.ts": (ROOT / widget["types"]).read_bytes(),
    }
    for name, item in built.items():
        files[f"{CRATE}_{name}.wasm"] = item["wasm"]
    version = re.search(r'^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(), flags=re.M).group(1)
    package = {
        "name": widget["package"]["name"],
        "version": version,
        "description": widget["package"]["description"],
        "license": "MIT",
        "type": "module",
        "main": "cape-check-widget.js",
        "module": "cape-check-widget.js",
        "types": "cape-check-widget.d.ts",
        "exports": {".": "./cape-check-widget.js", "./*": "./*"},
        "files": sorted(files),
        "sideEffects": ["./cape-check-widget.js"],
    }
    files["package.json"] = (json.dumps(package, indent=2) + "\n").encode()
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory


def worker_files(config: dict) -> str:
    """The worker's own files (after the glue): one classic script, so each
    file goes through bundle_modules too (export keywords dropped: the
    message constants of www/engine_messages.js become globals of the worker)."""
    files = config["page"]["worker"]
    if isinstance(files, str):
        files = [files]
    return bundle_modules([ROOT / path for path in files])


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


def run(command: list[str], env: dict[str, str] | None = None) -> None:
    print("+", " ".join(command), flush=True)
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}")


if __name__ == "__main__":
    sys.exit(main())

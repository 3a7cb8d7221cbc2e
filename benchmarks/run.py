"""Measure birthplan against the bare engines it stands on, in one run.

    python benchmarks/run.py                # everything (about 5 minutes on 2 cores)
    python benchmarks/run.py --plans 40     # a quicker batch
    python benchmarks/run.py --only single  # one measurement: single, batch, validate, serve or longword

Prints a table of ratios with the targets, and writes the figures to
benchmarks/results/latest.json. Nothing here runs in the test suite: timings
on a shared machine are not pass/fail material for CI.

1. single: one full example plan, all audiences, DOCX and PDF, against docxtpl
   rendering the same templates with the same context plus WeasyPrint writing
   the same HTML (target: at most 1.25 x).
2. batch: `birthplan render DIR --force` on N generated valid plans, as a new
   process, with 1 worker and with every core (target: at least 1.7 x faster
   on 2 cores; peak memory of the whole process tree under 400 MB, counted as
   PSS so pages a forked worker shares with its parent count once).
3. validate: `birthplan validate PLAN` as a new process against
   `python -c "import yaml, jsonschema"` (target: at most 1.5 x).
4. serve: the workspace (`birthplan serve`) on the largest example, warm, over
   real HTTP on 127.0.0.1: a preview update (the live check plus the new
   preview, what the page does after each change; target p95 <= 150 ms), a
   save (target <= 100 ms) and every audience's PDF and Word copy in one
   download (target <= 1.5 s).
5. longword: the delivery-suite sheet (PDF) with one 5,000-character word in a
   wish, against the same sheet with the same 5,000 characters as ordinary
   words (target: at most 1.5 x, i.e. time grows linearly with a word's
   length; it was quadratic, 2 s to 13 s and more; a single word fills its lines
   less evenly than words with spaces, hence the margin over 1 x).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "sunderland-full.yaml"
RESULTS = Path(__file__).resolve().parent / "results"


# --------------------------------------------------------------- helpers --


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def process_tree(root: int | None = None) -> list[int]:
    """A process (this one unless ``root`` names another) and all its descendants (worker
    pools, fork servers), from /proc."""
    pids, seen = [root or os.getpid()], []
    while pids:
        pid = pids.pop()
        if pid in seen:
            continue
        seen.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                pids += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
    return seen


def tree_cpu() -> dict[int, float]:
    """{pid: CPU seconds (user + system) used so far} for this process and its live
    descendants: on a shared machine, the work itself, without the wait for a core."""
    used = {}
    for pid in process_tree():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return used


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> tuple[float, float]:
    """(all processes' CPU seconds between two ``tree_cpu`` readings, the busiest one's)."""
    spent = [after[pid] - before.get(pid, 0.0) for pid in after]
    return sum(spent), max(spent, default=0.0)


class TreeMemory:
    """Peak memory of a process and all its children, sampled from /proc.

    Counts each process's proportional set size (PSS): pages shared between a
    parent and its forked workers are counted once, as the machine holds them.
    The tree is the command's own (``root``), never this benchmark's process: after
    the single-plan measurement has rendered in it, this process alone holds about
    150 MB of WeasyPrint, which a full run once counted as the batch's (447 MB
    against 330 MB for the command itself).
    """

    def __init__(self, root: int, interval: float = 0.05):
        self.root = root
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _total(self) -> int:
        return sum(self._rss(pid) for pid in process_tree(self.root))

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


# ---------------------------------------------------------- 1. one plan --


def bench_single(repeat: int) -> dict:
    """birthplan.render_plan against docxtpl + WeasyPrint doing the same work."""
    import jinja2
    from docxtpl import DocxTemplate
    from weasyprint import HTML

    from birthplan.audience import AUDIENCES, view_for
    from birthplan.history import version_stamp
    from birthplan.load import load_plan
    from birthplan.render import render_plan
    from birthplan.render.documents import build_document
    from birthplan.render.docx import xml_text
    from birthplan.render.html import render_html
    from birthplan.render.i18n import Words
    from birthplan.render.packs import load_pack
    from birthplan.render.pdf import PDF_VARIANT
    from birthplan.resources import templates_dir

    plan = load_plan(EXAMPLE)
    pack = load_pack(templates_dir() / plan.data["plan"]["authority"])
    stamp = version_stamp(EXAMPLE, plan.data)
    words = Words(pack, "en")
    prepared = []
    for audience in AUDIENCES:
        document = build_document(view_for(plan.data, audience), audience, words, pack, stamp, [], False)
        prepared.append((document, render_html(document, pack), pack.word_template(audience)))
    base_url = (pack.root / "html").as_uri() + "/"

    def bare_engines():
        for document, html, template_path in prepared:
            template = DocxTemplate(str(template_path))
            env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, finalize=xml_text)
            template.render({"doc": document}, jinja_env=env, autoescape=True)
            template.save(io.BytesIO())
            HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)

    with tempfile.TemporaryDirectory() as out:
        def ours():
            # the same three copies as the bare engines make (with no options the example's
            # recorded need would add its Easy Read copy)
            render_plan(EXAMPLE, formats=("docx", "pdf"), language="en", standard_print=True, out_dir=out)

        ours(), bare_engines()  # warm both: imports, fonts, caches
        bare = median_time(bare_engines, repeat)
        birthplan = median_time(ours, repeat)
    return {"birthplan_s": birthplan, "bare_engines_s": bare, "ratio": birthplan / bare, "target": "<= 1.25"}


# ------------------------------------------------------------- 2. batch --

FIRST = ["Amy", "Bethan", "Chloe", "Dilys", "Efa", "Ffion", "Gwen", "Hana", "Iola", "Jade", "Kasia", "Leah"]
LAST = ["Ashdown", "Bevan", "Carrow", "Dace", "Ellery", "Fenwick", "Gower", "Hale", "Ince", "Jessop"]


def _nhs_number(rng: random.Random) -> str:
    """A fictional NHS number (999 range) with a valid modulus-11 check digit."""
    from birthplan.values import nhs_check_digit_ok

    while True:
        digits = f"999{rng.randint(0, 999999):06d}"
        for last in range(10):
            if nhs_check_digit_ok(digits + str(last)):
                return f"{digits[:3]} {digits[3:6]} {digits[6:]}{last}"


def generate_plans(folder: Path, count: int, seed: int = 2027) -> list[Path]:
    """``count`` valid, different plans built from the two full examples (fictional names)."""
    from birthplan.validate import load_and_validate

    rng = random.Random(seed)
    sources = [yaml.safe_load((REPO / "examples" / name).read_text(encoding="utf-8"))
               for name in ("sunderland-full.yaml", "swansea-full.yaml")]
    paths = []
    for i in range(count):
        data = json.loads(json.dumps(sources[i % 2], default=str))
        prefix = "TFC" if i % 2 == 0 else "SWA"
        data["plan"]["case_reference"] = f"{prefix}-2027-{i:04d}"
        data["people"]["mother"]["name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        data["people"]["mother"]["nhs_number"] = _nhs_number(rng)
        data["appointments"] = data["appointments"][: rng.randint(1, len(data["appointments"]))]
        data["wishes"]["other"] = " ".join(rng.choice(["calm", "music", "dim lights", "my own pillow"])
                                           for _ in range(rng.randint(1, 6)))
        path = folder / f"plan-{i:04d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        report = load_and_validate(path)[1]
        assert report.ok, [p.format() for p in report.errors]
        paths.append(path)
    return paths


def _birthplan_command() -> list[str]:
    script = Path(sys.executable).with_name("birthplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "birthplan.cli"]


def bench_batch(count: int) -> dict:
    """`birthplan render DIR` as a team runs it: a new process, 1 worker then every core."""
    from birthplan.batch import available_cores

    jobs = available_cores()
    results = {}
    with tempfile.TemporaryDirectory() as work:
        cases = Path(work) / "cases"
        cases.mkdir()
        generate_plans(cases, count)
        for workers in sorted({1, jobs}):
            out = Path(work) / f"out-{workers}"
            command = _birthplan_command() + ["render", str(cases), "--out", str(out),
                                              "--jobs", str(workers), "--force"]
            started = time.perf_counter()
            finished = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            with TreeMemory(finished.pid) as memory:
                stdout, stderr = finished.communicate()
            elapsed = time.perf_counter() - started
            if finished.returncode != 0:
                raise SystemExit(f"the batch failed:\n{stdout[-2000:]}\n{stderr[-2000:]}")
            assert f"{count} rendered, 0 skipped as unchanged, 0 failed" in stdout
            results[workers] = {"seconds": elapsed, "peak_mb": memory.peak / 2**20}
    one, many = results[1], results[jobs]
    return {
        "plans": count, "cores": jobs,
        "one_worker_s": one["seconds"], "all_cores_s": many["seconds"],
        "speedup": one["seconds"] / many["seconds"], "speedup_target": ">= 1.7 on 2 cores",
        "peak_mb": many["peak_mb"], "one_worker_peak_mb": one["peak_mb"], "peak_target": "< 400 MB",
    }


# ---------------------------------------------------------- 3. validate --


def bench_validate(repeat: int) -> dict:
    birthplan_cmd = _birthplan_command() + ["validate", str(EXAMPLE)]
    bare_cmd = [sys.executable, "-c", "import yaml, jsonschema"]

    def run(cmd):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    # As installed, birthplan's modules are compiled to bytecode once (pip does it at install
    # time, an editable install on first use), as the baseline's libraries are. Without this, a
    # shell with PYTHONDONTWRITEBYTECODE=1 recompiles birthplan's sources on every run (about
    # 15 ms of the 140) and measures the compiler, not the command.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "birthplan")], check=True)
    run(birthplan_cmd), run(bare_cmd)  # warm the file cache
    ours = median_time(lambda: run(birthplan_cmd), repeat)
    bare = median_time(lambda: run(bare_cmd), repeat)
    return {"birthplan_s": ours, "bare_imports_s": bare, "ratio": ours / bare, "target": "<= 1.5"}


# ------------------------------------------------------------- 4. serve --


def bench_serve(repeat: int) -> dict:
    import shutil
    import socket

    import httpx
    import uvicorn

    sys.path.insert(0, str(REPO))
    from birthplan.workspace.app import create_app
    from birthplan.workspace.security import Secrets
    from tests.workspace_client import form_fields

    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(EXAMPLE, Path(folder) / EXAMPLE.name)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        app_secrets = Secrets()
        app = create_app(folder, port=port, app_secrets=app_secrets, parallel_documents=True)  # as serve does
        app.renderer.start()
        server = uvicorn.Server(uvicorn.Config(app,
                                               host="127.0.0.1", port=port, access_log=False,
                                               log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.01)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get(f"/?token={app_secrets.access_token}", follow_redirects=True)
            plan = client.get("/", follow_redirects=True).text.split('href="/plan/')[1].split('"')[0]
            section = f"/plan/{plan}/section/wishes"
            fields = form_fields(client.get(section).text)

            def reload() -> None:
                # A browser follows Save's redirect to the page again: the next Save posts the form
                # of that page (its token names the file as saved), as a stale one is refused.
                fields.update(form_fields(client.get(section).text))

            def preview_update(words: str) -> None:
                changed = {**fields, "wishes.feeding": [words]}
                client.post(f"/plan/{plan}/live/wishes?audience=parent", data=changed).raise_for_status()
                client.get(f"/plan/{plan}/preview/parent").raise_for_status()

            def save(words: str) -> None:
                changed = {**fields, "wishes.feeding": [words], "action": ["save"]}
                response = client.post(section, data=changed, follow_redirects=False)
                assert response.status_code == 303, response.status_code

            def download_all() -> None:
                client.get(f"/plan/{plan}/download-all?language=en").raise_for_status()

            preview_update("warm"), save("warm"), reload(), download_all()  # warm: imports, fonts, caches
            # Wall time, and the CPU time the whole process spent (server and client): on a
            # shared machine the second shows the work itself, without the wait for a core.
            updates, update_cpu = [], []
            for i in range(max(repeat * 10, 40)):
                started, cpu = time.perf_counter(), time.process_time()
                preview_update(f"Breastfeeding, try {i}.")
                updates.append(time.perf_counter() - started)
                update_cpu.append(time.process_time() - cpu)
            saves, save_cpu = [], []
            for i in range(max(repeat * 4, 15)):
                started, cpu = time.perf_counter(), time.process_time()
                save(f"Breastfeeding, saved {i}.")
                saves.append(time.perf_counter() - started)
                save_cpu.append(time.process_time() - cpu)
                reload()
            # The download's work is shared between worker processes: its CPU time (all
            # processes), and the busiest process's, which is about what the download takes
            # when each process has a core to itself.
            downloads, download_cpu, busiest_cpu = [], [], []
            for _ in range(repeat):
                started, cpu = time.perf_counter(), tree_cpu()
                download_all()
                downloads.append(time.perf_counter() - started)
                total, busiest = cpu_spent(cpu, tree_cpu())
                download_cpu.append(total)
                busiest_cpu.append(busiest)
        from birthplan.render import render_plan

        with tempfile.TemporaryDirectory() as out:  # the same render without the workspace, same run
            library = median_time(lambda: render_plan(Path(folder) / EXAMPLE.name, formats=("pdf", "docx"),
                                                      out_dir=out), repeat)
        server.should_exit = True
        thread.join(5)
        app.renderer.stop()
    updates.sort()
    return {"preview_p95_s": updates[int(0.95 * (len(updates) - 1))], "preview_median_s": statistics.median(updates),
            "save_median_s": statistics.median(saves), "save_max_s": max(saves),
            "preview_cpu_p95_s": sorted(update_cpu)[int(0.95 * (len(update_cpu) - 1))],
            "save_cpu_median_s": statistics.median(save_cpu),
            "documents_s": statistics.median(downloads), "documents_all_s": downloads,
            "documents_cpu_s": statistics.median(download_cpu),
            "documents_busiest_cpu_s": statistics.median(busiest_cpu), "render_plan_s": library, "load_average": os.getloadavg()[0], "targets": "preview p95 <= 150 ms, save <= 100 ms, documents <= 1.5 s"}


# ---------------------------------------------------------- 5. longword --


def bench_long_word(repeat: int, length: int = 5000) -> dict:
    """One unbroken word of ``length`` characters against the same letters as short words."""
    from birthplan.load import load_plan
    from birthplan.render import render_plan
    from birthplan.yamlwrite import dump_plan

    data = load_plan(EXAMPLE).data
    with tempfile.TemporaryDirectory() as folder:
        plans = {}
        for kind, words in (("one_word", "x" * length), ("short_words", ("xxxx " * length)[:length])):
            data["wishes"]["feeding"] = f"Breastfeeding {words}"
            plans[kind] = Path(folder) / f"{kind}.yaml"
            plans[kind].write_text(dump_plan(data), encoding="utf-8")

        def sheet(kind):
            return lambda: render_plan(plans[kind], audiences=("delivery_suite",), formats=("pdf",),
                                       out_dir=Path(folder) / "out")

        sheet("short_words")(), sheet("one_word")()  # warm: imports, fonts
        short = median_time(sheet("short_words"), repeat)
        long = median_time(sheet("one_word"), repeat)
    return {"length": length, "one_word_s": long, "short_words_s": short, "ratio": long / short,
            "target": "<= 1.5"}


# -------------------------------------------------------------- report --


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=200, help="plans in the batch (default 200)")
    parser.add_argument("--repeat", type=int, default=5, help="repeats for the single-plan timing")
    parser.add_argument("--only", choices=["single", "batch", "validate", "serve", "longword"])
    args = parser.parse_args(argv)

    figures = {"machine": f"{platform.node()}: {platform.processor() or platform.machine()}, "
                          f"{os.cpu_count()} cores, Python {platform.python_version()}",
               "date": time.strftime("%Y-%m-%d")}
    if args.only in (None, "validate"):
        figures["validate"] = bench_validate(max(args.repeat * 4, 15))
    if args.only in (None, "single"):
        figures["single"] = bench_single(args.repeat)
    if args.only in (None, "batch"):
        figures["batch"] = bench_batch(args.plans)
    if args.only in (None, "serve"):
        figures["serve"] = bench_serve(args.repeat)
    if args.only in (None, "longword"):
        figures["longword"] = bench_long_word(args.repeat)

    rows = [("measure", "birthplan", "baseline", "ratio", "target", "met")]
    if "single" in figures:
        f = figures["single"]
        rows.append(("one plan, 3 audiences, DOCX+PDF", f"{f['birthplan_s']:.2f} s",
                     f"{f['bare_engines_s']:.2f} s (docxtpl + WeasyPrint)", f"{f['ratio']:.2f} x",
                     f["target"], "yes" if f["ratio"] <= 1.25 else "NO"))
    if "batch" in figures:
        f = figures["batch"]
        rows.append((f"{f['plans']} plans, {f['cores']} workers", f"{f['all_cores_s']:.1f} s",
                     f"{f['one_worker_s']:.1f} s (1 worker)", f"{f['speedup']:.2f} x faster",
                     f["speedup_target"], "yes" if f["speedup"] >= 1.7 else "NO"))
        rows.append(("batch peak memory (all processes, PSS)", f"{f['peak_mb']:.0f} MB",
                     f"{f['one_worker_peak_mb']:.0f} MB (1 worker)", "", f["peak_target"],
                     "yes" if f["peak_mb"] < 400 else "NO"))
    if "validate" in figures:
        f = figures["validate"]
        rows.append(("birthplan validate, new process", f"{f['birthplan_s'] * 1000:.0f} ms",
                     f"{f['bare_imports_s'] * 1000:.0f} ms (import yaml, jsonschema)", f"{f['ratio']:.2f} x",
                     f["target"], "yes" if f["ratio"] <= 1.5 else "NO"))
    if "serve" in figures:
        f = figures["serve"]
        rows.append(("workspace: preview update, p95", f"{f['preview_p95_s'] * 1000:.0f} ms",
                     f"median {f['preview_median_s'] * 1000:.0f} ms; CPU p95 {f['preview_cpu_p95_s'] * 1000:.0f} ms",
                     "", "<= 150 ms",
                     "yes" if f["preview_p95_s"] <= 0.150 else "NO"))
        rows.append(("workspace: save", f"{f['save_median_s'] * 1000:.0f} ms",
                     f"slowest {f['save_max_s'] * 1000:.0f} ms; CPU {f['save_cpu_median_s'] * 1000:.0f} ms",
                     "", "<= 100 ms",
                     "yes" if f["save_median_s"] <= 0.100 else "NO"))
        rows.append(("workspace: 3 audiences, PDF + DOCX", f"{f['documents_s']:.2f} s",
                     f"CPU {f['documents_cpu_s']:.2f} s, busiest process {f['documents_busiest_cpu_s']:.2f} s; "
                     f"render_plan alone {f['render_plan_s']:.2f} s", f"{f['documents_s'] / f['render_plan_s']:.2f} x",
                     "<= 1.5 s",
                     "yes" if f["documents_s"] <= 1.5 else "NO"))
    if "longword" in figures:
        f = figures["longword"]
        rows.append((f"sheet with one {f['length']:,}-character word", f"{f['one_word_s']:.2f} s",
                     f"{f['short_words_s']:.2f} s (same letters as short words)", f"{f['ratio']:.2f} x",
                     f["target"], "yes" if f["ratio"] <= 1.5 else "NO"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"machine: {figures['machine']} ({figures['date']}), load average {os.getloadavg()[0]:.1f}")
    for i, row in enumerate(rows):
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths)))
        if i == 0:
            print("-+-".join("-" * w for w in widths))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

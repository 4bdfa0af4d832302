"""A full ``mfa-auditor scan`` against ``moto_server`` versus a bare boto3 script (issue 10).

Usage: ``python benchmarks/bench_scan.py [--sizes 1000 10000] [--runs 3]``

For each size a fresh ``moto_server`` is seeded with that many users (``tests.support.seeding``).
One in-process collection, with its sign-in lookup, records every AWS call a scan makes
(service, operation and parameters, through botocore's ``provide-client-params`` event). Then,
``--runs`` times each and alternating, two subprocesses are timed end to end: ``python -m
auditor scan --endpoint-url …`` (imports, collection, analysis, every report file) and
``benchmarks/bare_reads.py``, which makes the same recorded calls with nothing but boto3. The
line printed per size gives both medians and their ratio; the target is a ratio of at most 1.3.
A second line splits one in-process scan into its phases (collect, analyze, reports and, inside
those, the HTML) so the overhead can be found without a profiler; ``--profile`` adds a cProfile
of the analysis and reporting to stderr. Run the 10,000 case at most once on a shared machine:
seeding alone takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402

from auditor.collector import collect_snapshot  # noqa: E402
from auditor.collector.signin_attach import SigninRequest, attach_live_signins  # noqa: E402
from auditor.config import AuditorConfig, CollectorSettings  # noqa: E402
from tests.support.moto_server import dummy_aws_environment, moto_server  # noqa: E402
from tests.support.seeding import seed_users  # noqa: E402

BARE = Path(__file__).resolve().parent / "bare_reads.py"


def record_calls(endpoint_url: str) -> list[list[Any]]:
    """Every call one scan's collection makes, in order, with the parameters it passed: the
    IAM reads and the sign-in lookup (ListRegions, LookupEvents per region), as ``scan`` does."""
    calls: list[list[Any]] = []

    def handler(params: dict[str, Any], model: Any, **_: Any) -> None:
        calls.append([model.service_model.service_name, model.name, dict(params)])

    session = boto3.Session(region_name="us-east-1")
    session.events.register("provide-client-params", handler)
    settings = CollectorSettings()
    snapshot = collect_snapshot(session, settings, endpoint_url=endpoint_url)
    attach_live_signins(
        snapshot,
        session,
        settings,
        SigninRequest(),
        now=datetime.now(timezone.utc),
        endpoint_url=endpoint_url,
    )
    return calls


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3, 4):
        raise SystemExit(f"{command[:4]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return seconds


def phases(endpoint_url: str, out: Path, profile: bool) -> dict[str, float]:
    """One scan in-process, phase by phase (the imports are already paid here)."""
    from auditor import pipeline
    from auditor.reporter import html as html_module

    config = AuditorConfig()
    now = datetime.now(timezone.utc)
    started = time.perf_counter()
    session = boto3.Session(region_name="us-east-1")
    snapshot = collect_snapshot(session, config.collector, endpoint_url=endpoint_url)
    collected = time.perf_counter()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    result = pipeline.analyze_snapshot(snapshot, config, now=now)
    analyzed = time.perf_counter()
    html_seconds = [0.0]
    real_render = html_module.render_html

    def render(data: Any) -> str:
        begin = time.perf_counter()
        text = real_render(data)
        html_seconds[0] += time.perf_counter() - begin
        return text

    import auditor.reporter.writer as writer

    writer.render_html = render  # type: ignore[attr-defined]
    request = pipeline.ReportRequest(out=out, reports_root=out, baseline=None)
    pipeline.write_run_reports(result, snapshot, request, now=now)
    writer.render_html = real_render  # type: ignore[attr-defined]
    reported = time.perf_counter()
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    return {
        "collect": collected - started,
        "analyze": analyzed - collected,
        "reports": reported - analyzed,
        "html": html_seconds[0],
    }


def import_seconds(env: dict[str, str], module: str) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], env=env, check=True)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def run(size: int, runs: int, profile: bool) -> None:
    env = dummy_aws_environment()
    env["PYTHONPATH"] = str(ROOT)
    with moto_server(startup_timeout=60) as url, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seeded = seed_users(url, size, workers=4)
        calls = record_calls(url)
        calls_file = folder / "calls.json"
        calls_file.write_text(json.dumps(calls, default=str), encoding="utf-8")
        scan_cmd = [sys.executable, "-m", "auditor", "scan", "--endpoint-url", url]
        scans: list[float] = []
        bares: list[float] = []
        for index in range(runs):
            out = folder / f"scan-{index}"
            scans.append(timed([*scan_cmd, "--out", str(out)], env, folder))
            bares.append(timed([sys.executable, str(BARE), url, str(calls_file)], env, folder))
        scan, bare = statistics.median(scans), statistics.median(bares)
        print(
            f"users={size} calls={len(calls)} seed_s={seeded.seconds:.1f} "
            f"scan_s={scan:.2f} bare_boto3_s={bare:.2f} ratio={scan / bare:.2f} "
            f"(median of {runs}; scans {', '.join(f'{s:.2f}' for s in scans)}; "
            f"bare {', '.join(f'{s:.2f}' for s in bares)})",
            flush=True,
        )
        split = phases(url, folder / "phases", profile)
        print(
            f"users={size} in-process: collect_s={split['collect']:.2f} "
            f"analyze_s={split['analyze']:.2f} reports_s={split['reports']:.2f} "
            f"(html_s={split['html']:.2f}) "
            f"import_cli_s={import_seconds(env, 'auditor.cli'):.2f} "
            f"import_boto3_s={import_seconds(env, 'boto3'):.2f}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile analysis + reports")
    args = parser.parse_args()
    isolated = dummy_aws_environment()  # dummy credentials, no profile: in-process calls too
    os.environ.clear()
    os.environ.update(isolated)
    for size in args.sizes:
        run(size, args.runs, args.profile)


if __name__ == "__main__":
    main()

"""`migprofile news check` on one item with 8,000 country mentions: target under 2 s.

Issue 11 measured tagging at 3.5/10.7/37.9 s for 2k/4k/8k mentions (quadratic). This builds one
plain-text item (prose sentences naming countries, a few figures) and also a run-on variant
(one sentence, no full stops), times tagging and figure extraction in process for 2k/4k/8k
mentions (linear: the time per mention stays flat), then `news check` in process and as a
command against an empty store in a temporary MIGPROFILE_HOME (no publisher data needed).

Usage: python benchmarks/news_mentions.py [--mentions N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["Moldova", "Romania", "Ukraine", "Georgia", "Chad", "Jordan", "Niger", "Turkey",
             "Germany", "Italy", "Kyrgyzstan", "Serbia"]  # fmt: skip


def item_text(mentions: int, *, run_on: bool = False) -> str:
    """A title line and one paragraph naming `mentions` countries (4 per sentence)."""
    parts = []
    for i in range(0, mentions, 4):
        a, b, c, d = (COUNTRIES[(i + k) % len(COUNTRIES)] for k in range(4))
        end = "," if run_on else "."
        figure = f" {1000 + i} migrants arrived in 2023" if i % 400 == 0 else ""
        parts.append(f"Migrants from {a}, {b} and {c} travelled to {d}{figure}{end}")
    return "Migration across the region\n\n" + " ".join(parts) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=8000)
    args = parser.parse_args()

    from migprofile.news.figures import extract_figures
    from migprofile.news.tagging import Tagger

    tagger = Tagger.default()
    rows: list[tuple[str, float, str]] = []
    for n in (args.mentions // 4, args.mentions // 2, args.mentions):
        for run_on in (False, True):
            text = item_text(n, run_on=run_on)
            t = time.perf_counter()
            mentions = tagger.geo_mentions(text)
            figures = extract_figures(text)
            dt = time.perf_counter() - t
            shape = "run-on" if run_on else "sentences"
            rows.append((f"tag + figures, {len(mentions):,} mentions ({shape})", dt,
                         f"{dt / max(len(mentions), 1) * 1e6:.0f} µs/mention, "
                         f"{len(figures)} figures"))  # fmt: skip

    with tempfile.TemporaryDirectory(prefix="migprofile-news-mentions-") as tmp:
        os.environ["MIGPROFILE_HOME"] = str(Path(tmp) / "home")
        path = Path(tmp) / "item.txt"
        path.write_text(item_text(args.mentions), encoding="utf-8")
        cli = [sys.executable, "-m", "migprofile.cli"]
        # an empty store: the figures are checked against nothing, the tagging is what we time
        subprocess.run([*cli, "ingest", "--raw-dir", tmp, "--offline"], capture_output=True)

        import migprofile
        from migprofile.news.service import check_items, read_items

        t = time.perf_counter()
        items = read_items([str(path)])
        with migprofile.open_store() as store:
            checked = check_items(store, items)
        in_process = time.perf_counter() - t
        tags = sum(1 for t_ in checked[0].tags if t_.kind == "geo")
        rows.append((f"news check, 1 item, {args.mentions:,} mentions, in process", in_process,
                     f"{tags} country tags"))  # fmt: skip

        t = time.perf_counter()
        proc = subprocess.run([*cli, "news", "check", str(path)], capture_output=True)
        command = time.perf_counter() - t
        rows.append(
            ("news check as a command (incl. start-up)", command, f"exit {proc.returncode}")
        )

    print(f"{'measure':<58} {'seconds':>8}  note")
    for label, seconds, note in rows:
        print(f"{label:<58} {seconds:>8.3f}  {note}")
    ok = in_process < 2.0 and command < 2.0
    print(f"target: news check under 2 s -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""`migprofile news check` on a plain-text digest of 20 press items: target under a second.

Uses the first 20 items of the test corpus (tests/news_corpus.py, written for the tests: no
publisher data) against a store built from ../shared/data in a temporary MIGPROFILE_HOME.

Usage: python benchmarks/news_speed.py [--data DIR] [--items N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()
    if not args.data.exists():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    from news_corpus import CORPUS, _digest

    with tempfile.TemporaryDirectory(prefix="migprofile-news-bench-") as tmp:
        os.environ["MIGPROFILE_HOME"] = str(Path(tmp) / "home")
        cli = [sys.executable, "-m", "migprofile.cli"]
        subprocess.run([*cli, "ingest", "--raw-dir", str(args.data), "--offline"],
                       check=True, capture_output=True)  # fmt: skip
        digest = Path(tmp) / "press.txt"
        digest.write_text(_digest(CORPUS[: args.items]), encoding="utf-8")

        import migprofile
        from migprofile.news.service import check_items, read_items

        t = time.perf_counter()
        items = read_items([str(digest)])
        with migprofile.open_store() as store:
            checked = check_items(store, items)
        in_process = time.perf_counter() - t

        t = time.perf_counter()
        subprocess.run([*cli, "news", "check", str(digest)], check=True, capture_output=True)
        whole_command = time.perf_counter() - t
    figures = sum(len(c.verdicts) for c in checked)
    print(f"{'measure':<44} {'seconds':>8}  target  result")
    ok = in_process < 1.0
    print(f"{f'news check, {len(items)} items ({figures} figures), in process':<44} "
          f"{in_process:>8.3f}  < 1 s   {'PASS' if ok else 'FAIL'}")  # fmt: skip
    print(f"{'news check as a command (incl. start-up)':<44} {whole_command:>8.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

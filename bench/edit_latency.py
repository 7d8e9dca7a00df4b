"""Times how long `gazette serve` takes to show an edit: appends a sentence to one article's
body, polls the article's page until it shows the sentence, restores the article, repeats.

    gazette serve --site SITE --port 1199 &
    python3 bench/edit_latency.py http://127.0.0.1:1199 SITE/content/PATH.md /URL/PATH/ [RUNS] [PAUSE_S]

PAUSE_S (default 30) is the wait between runs, for the full rebuild of the last edit to end.
"""
import pathlib
import statistics
import sys
import time
import urllib.request

base, article, page = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
pause = float(sys.argv[5]) if len(sys.argv) > 5 else 30
original = article.read_text()
times = []
try:
    for run in range(runs):
        marker = f"Zanzibar quokka {run} {time.time_ns()}"
        started = time.monotonic()
        article.write_text(original.rstrip("\n") + f"\n\n{marker}.\n")
        while marker not in urllib.request.urlopen(base + page).read().decode():
            time.sleep(0.005)
        times.append((time.monotonic() - started) * 1000)
        print(f"run {run}: {times[-1]:.0f} ms", flush=True)
        time.sleep(pause)
finally:
    article.write_text(original)
print(f"median {statistics.median(times):.0f} ms over {len(times)}")

"""The idea suggestions (facilitation/suggest) on a labelled set and at size.

Prints the adjusted Rand index of the clusters and the precision and recall of the duplicate
pairs on a labelled set (tests/data/suggest_ideas.json unless --set names another of the same
shape), the time for 500 ideas (median of several runs, one core: pinned to core 0 with
taskset where it exists), and the memory the analyzer and scikit-learn add to a process (RSS
after the first run minus before the import: word vectors included). Also, for comparison: the
same method without the domain thesaurus (facilitation/suggest/thesaurus.yaml): what the words
alone do, and without the word vectors (facilitation/suggest/meaning.py): the lexical method.
Then the stress table: both labelled sets as written and with setting words appended at random
across initiatives ("в селе", "для молодёжи", "в школах": facilitation/suggest/evaluate.py
`with_setting`, mean of three seeds), each with and without the thesaurus.
`--lexical` measures everything without the word vectors.

    .venv/bin/python bench/suggest.py [--set PATH] [--runs 7] [--lexical] [--json out.json]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The third to sixth were written blind, by people who never saw the method. The third to
# fifth have been studied since (development data); the sixth was sealed until the method of
# 2026-11-26 was final and opened once then (first look: ARI 0.429, precision 1.0).
SETS = [("suggest_ideas.json", "development"), ("suggest_heldout.json", "development"),
        ("suggest_third.json", "blind-written"), ("suggest_fourth.json", "blind-written"),
        ("suggest_fifth.json", "blind-written"), ("suggest_sixth.json", "blind, 1st look")]
PLACES = ["в Заречном районе", "для жителей Северного", "на левом берегу", "в посёлке Луговой",
          "силами студентов", "в малых городах области", ""]


def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def memory(path, lexical=False):
    """Run in a fresh process: RSS before any import of the method (the app's package, which
    the server has loaded anyway, already imported) and after its first run."""
    import facilitation  # noqa: F401
    before = rss_mb()
    from facilitation.suggest import method, suggest
    from facilitation.suggest.evaluate import load
    method.MEANING = not lexical
    texts, _, _ = load(path)
    suggest(texts)
    print(json.dumps({"before_mb": before, "after_mb": rss_mb()}))


def ideas_500(texts):
    return [f"{t} {PLACES[i % len(PLACES)]}".strip() for i, t in enumerate(texts * 5)][:500]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default=None, help="a labelled set (default: the dev set)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", default=None)
    parser.add_argument("--lexical", action="store_true", help="without the word vectors")
    parser.add_argument("--memory-probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_probe:
        memory(args.set or LABELLED, args.lexical)
        return
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from facilitation.suggest import method, meaning, suggest, text
    if args.lexical:
        method.MEANING = False
    from facilitation.suggest.evaluate import LABELLED, load, measure, reviewed
    path = Path(args.set) if args.set else LABELLED
    texts, gold, pairs = load(path)
    start = time.perf_counter()
    result = suggest(texts)
    first = time.perf_counter() - start
    figures = {"ideas": len(texts), "gold_pairs": len(pairs), **measure(result, gold, pairs),
               "first_call_s": first}
    big = ideas_500(texts)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        suggest(big)
        times.append(time.perf_counter() - start)
    figures["median_500_s"] = statistics.median(times)
    figures["max_500_s"] = max(times)
    probe = subprocess.run([sys.executable, __file__, "--memory-probe", "--set", str(path)]
                           + (["--lexical"] if args.lexical else []),
                           capture_output=True,
                           text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    mem = json.loads(probe.stdout.strip().splitlines()[-1])
    figures["model_memory_mb"] = mem["after_mb"] - mem["before_mb"]

    # Without the thesaurus of topics.
    with text.without_thesaurus():
        figures["without_thesaurus"] = measure(suggest(texts), gold, pairs)
    with method.lexical_only():
        figures["lexical_only"] = measure(suggest(texts), gold, pairs)
    figures["word_vectors"] = method.MEANING and meaning.vectors() is not None

    print(f"labelled set {path.name}: {figures['ideas']} ideas, "
          f"{figures['gold_pairs']} gold duplicate pairs; word vectors "
          f"{'used' if figures['word_vectors'] else 'NOT used (lexical method)'}")
    print(f"adjusted Rand index          {figures['ari']:.3f}   (goal ≥ 0.5)")
    print(f"duplicate precision          {figures['precision']:.3f}   (goal ≥ 0.9)")
    print(f"duplicate recall             {figures['recall']:.3f}")
    print(f"clusters proposed            {figures['clusters']}")
    print(f"500 ideas, median of {args.runs}     {figures['median_500_s'] * 1000:.0f} ms"
          f"   (max {figures['max_500_s'] * 1000:.0f} ms; goal ≤ 1 s)")
    print(f"first call (loads the model) {figures['first_call_s'] * 1000:.0f} ms")
    print(f"model memory                 {figures['model_memory_mb']:.0f} MB   (goal ≤ 200 MB)")
    w = figures["without_thesaurus"]
    print(f"{'without the thesaurus':<29}ARI {w['ari']:.3f}, precision {w['precision']:.3f}, "
          f"recall {w['recall']:.3f}")
    w = figures["lexical_only"]
    print(f"{'without the word vectors':<29}ARI {w['ari']:.3f}, precision {w['precision']:.3f}, "
          f"recall {w['recall']:.3f}")
    from facilitation.suggest.evaluate import variants
    table = variants([LABELLED, LABELLED.with_name("suggest_heldout.json")])
    figures["variants"] = {" ".join([name, "+setting" if setting else "as written",
                                     "thesaurus" if thesaurus else "no thesaurus"]): f
                           for (name, setting, thesaurus), f in table.items()}
    print("stress variants (setting words: mean of 3 seeds)      ARI    P      R")
    for key, f in figures["variants"].items():
        print(f"  {key:<52}{f['ari']:.3f}  {f['precision']:.3f}  {f['recall']:.3f}")
    # Every labelled set: the two the method was developed on, and the three written blind by
    # people who never saw it (each first opened once the method was frozen, since studied).
    print("every labelled set                          ideas  ARI    P      R      pairs found  "
          "purity  ARI reviewed")
    figures["sets"] = {}
    for name, role in SETS:
        texts_, gold_, pairs_ = load(LABELLED.with_name(name))
        found = suggest(texts_)
        f = measure(found, gold_, pairs_)
        f["ari_reviewed"] = measure(reviewed(found, gold_), gold_, pairs_)["ari"]
        figures["sets"][name] = {"role": role, **f}
        print(f"  {name:<24}{role:<18}{len(texts_):>5}  {f['ari']:.3f}  {f['precision']:.3f}  "
              f"{f['recall']:.3f}  {f['duplicate_pairs']:>11}  {f['purity']:.3f}   "
              f"{f['ari_reviewed']:.3f}")
    print("  (ARI reviewed: each cluster without the ideas a moderator would leave out, those "
          "left with one idea dismissed)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

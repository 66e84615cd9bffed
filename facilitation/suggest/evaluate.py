"""Measuring the suggestions on a labelled set (tests/data/suggest_ideas.json): the adjusted Rand
index of the clusters and the precision and recall of the duplicate pairs."""
import json
from itertools import combinations
from pathlib import Path

LABELLED = Path(__file__).resolve().parents[2] / "tests" / "data" / "suggest_ideas.json"


def load(path=LABELLED):
    """(texts, gold cluster per idea (None: alone), gold duplicate pairs as a set of (i, j))."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    ideas = data["ideas"]
    groups = {}
    for index, idea in enumerate(ideas):
        if idea.get("dup"):
            groups.setdefault(idea["dup"], []).append(index)
    pairs = {pair for g in groups.values() for pair in combinations(sorted(g), 2)}
    return [i["text"] for i in ideas], [i["cluster"] for i in ideas], pairs


def cluster_labels(clusters, n):
    """A label per idea: its proposed cluster, or a label of its own when it is in none."""
    labels = [f"alone-{i}" for i in range(n)]
    for number, cluster in enumerate(clusters):
        for i in cluster.members:
            labels[i] = f"c{number}"
    return labels


def gold_labels(gold):
    return [label if label is not None else f"alone-{i}" for i, label in enumerate(gold)]


def pairs_of(groups):
    return {pair for g in groups for pair in combinations(sorted(g), 2)}


def _main(labels, members):
    """(the most common gold label among a cluster's members, how many have it)."""
    from collections import Counter
    return Counter(labels[i] for i in members).most_common(1)[0]


def measure(suggestions, gold, gold_pairs):
    """{ari, precision, recall, clusters, duplicate_pairs, purity} of suggestions against the
    gold. Purity: the share of the ideas put in clusters that are of their cluster's main gold
    initiative (an idea that belongs with nothing is never of it): how often a proposed
    cluster's member is right, whatever was left out."""
    from sklearn.metrics import adjusted_rand_score
    n = len(gold)
    labels = gold_labels(gold)
    ari = adjusted_rand_score(labels, cluster_labels(suggestions.clusters, n))
    placed = sum(len(c.members) for c in suggestions.clusters)
    main = sum(_main(labels, c.members)[1] for c in suggestions.clusters)
    found = pairs_of(suggestions.duplicates)
    right = len(found & gold_pairs)
    return {"ari": ari,
            "precision": right / len(found) if found else 1.0,
            "recall": right / len(gold_pairs) if gold_pairs else 1.0,
            "clusters": len(suggestions.clusters), "duplicate_pairs": len(found),
            "purity": main / placed if placed else 1.0}


def reviewed(suggestions, gold):
    """The suggestions as a moderator who knows the gold would leave them: each proposed cluster
    without the ideas that are not of its main initiative (the ✕ on the board's panel),
    dismissed when fewer than two are left or when its main "initiative" is ideas that belong
    with nothing; duplicates as proposed. A figure of what the panel gives after a review, not of
    the method alone."""
    from .method import Cluster, Suggestions
    labels = gold_labels(gold)
    kept = []
    for c in suggestions.clusters:
        main = _main(labels, c.members)[0]
        members = [i for i in c.members if labels[i] == main]
        if len(members) >= 2:    # two ideas share a label only when it is a gold initiative
            kept.append(Cluster(c.name, members, c.words))
    return Suggestions(kept, suggestions.duplicates)


# Words of the session's setting (a rural district: "село", "школа", "молодёжь") that occur in
# many ideas of many initiatives. Appended at random across clusters they simulate a list where
# such words are everywhere (the method must not cluster by them); see `with_setting`.
SETTING_PHRASES = ["в селе", "для молодёжи", "в школах", "для детей", "в нашем районе",
                   "в сельских клубах"]


def with_setting(texts, seed=0, share=0.6, second=0.2):
    """The texts with setting phrases (SETTING_PHRASES) appended at random: to `share` of the
    ideas one phrase, to `second` of them one more; ideas without letters are left as they are."""
    import random
    import re
    rng = random.Random(seed)
    out = []
    for text in texts:
        if re.search("[a-zа-яё]", text, re.IGNORECASE):
            if rng.random() < share:
                text = f"{text} {rng.choice(SETTING_PHRASES)}"
            if rng.random() < second:
                text = f"{text} {rng.choice(SETTING_PHRASES)}"
        out.append(text)
    return out


SEEDS = (0, 1, 2)


def variants(paths, seeds=SEEDS):
    """{(set name, setting words?, thesaurus?): mean figures over the seeds} on the labelled sets
    as written and with setting phrases appended (with_setting), each with and without the
    domain thesaurus (the latter a proxy for wording the thesaurus does not know)."""
    from . import suggest
    from .text import without_thesaurus
    table = {}
    for path in paths:
        texts, gold, pairs = load(path)
        for setting in (False, True):
            batches = [with_setting(texts, seed) for seed in seeds] if setting else [texts]
            for thesaurus in (True, False):
                runs = []
                for batch in batches:
                    if thesaurus:
                        runs.append(measure(suggest(batch), gold, pairs))
                    else:
                        with without_thesaurus():
                            runs.append(measure(suggest(batch), gold, pairs))
                table[(Path(path).stem, setting, thesaurus)] = {
                    key: sum(r[key] for r in runs) / len(runs) for key in runs[0]}
    return table

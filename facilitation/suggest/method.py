"""The suggestions for a list of ideas: pure functions from texts to proposals.

Each idea becomes its lemmas (text.py); two TF-IDF views of the batch are compared by cosine:
the lemmas themselves (the meaning) and the character 3–5-grams of the lemmas (what survives a
typo or an unusual ending). Near-duplicates are pairs above a high similarity that share a
lemma, grouped by complete linkage (every two ideas of a group are that close). Clusters come from
average-linkage agglomerative clustering with a distance threshold; a cluster is proposed only
when its ideas share words, and those words, most telling first, make its name. An idea close
to nothing stays out: no proposal beats a silly one.
"""
from dataclasses import dataclass, field

from .text import concepts, display, lemmas, mend_typos, words

# Tuned on tests/data/suggest_ideas.json (round numbers); tests/data/suggest_heldout.json,
# written apart from the method, measures how far that carries (bench/suggest.py).
WORD_WEIGHT = 0.6          # the rest goes to the character n-grams
DUPLICATE_WORD_WEIGHT = 0.6
DUPLICATE_SIMILARITY = 0.55
# A general idea ("Велодорожки") is not a duplicate of a specific one ("Сеть велодорожек между
# районами"): the longer of two duplicates has fewer than twice the other's lemmas.
DUPLICATE_LENGTH_RATIO = 2
CLUSTER_DISTANCE = 0.92    # 1 - average similarity at which clusters stop joining
# An idea whose average similarity to the rest of its cluster is below this leaves it: average
# linkage lets a cluster grow by one shared common word, and such a member is more noise than help.
MEMBER_SIMILARITY = 0.08
NAME_WORDS = 3
NAME_MAX = 120             # InitiativeForm's limit


@dataclass
class Cluster:
    name: str
    members: list           # indices into the texts, ascending
    words: list = field(default_factory=list)


@dataclass
class Suggestions:
    clusters: list          # of Cluster, largest first
    duplicates: list        # of sorted index lists, each of two or more near-duplicates

    def as_dict(self, base=0):
        """Plain data; `base` 1 numbers the ideas as lines of a file."""
        return {
            "clusters": [{"name": c.name, "lines": [i + base for i in c.members]}
                         for c in self.clusters],
            "duplicates": [[i + base for i in group] for group in self.duplicates],
        }


def prepare(texts):
    """The lemmas of every text, typos mended against the other texts of the batch."""
    fixes = mend_typos([w for text in texts for w in words(text)])
    return [lemmas(text, fixes) for text in texts]


def _vectors(docs):
    """TF-IDF of the lemmas (with and without the topic terms) and of their character n-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    topical = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    by_topic = topical.fit_transform([d + concepts(d) for d in docs])
    by_word = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit_transform(docs)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    by_char = char.fit_transform([" ".join(d) for d in docs])
    return by_topic, topical.get_feature_names_out(), by_word, by_char


def _identity(doc):
    return doc


def similarity(docs):
    """The similarities of non-empty docs, as a dict of dense matrices and the topical TF-IDF:
    `topic` (lemmas and topic terms, with the n-grams: for clusters), `wording` (lemmas and
    n-grams only: for duplicates, which must say the same, not only be on the same topic),
    `shared` (whether two docs share a lemma) and `duplicate` (the threshold for `wording`)."""
    by_topic, vocabulary, by_word, by_char = _vectors(docs)
    char_sim = (by_char @ by_char.T).toarray()
    lemma_sim = (by_word @ by_word.T).toarray()
    topic = WORD_WEIGHT * (by_topic @ by_topic.T).toarray() + (1 - WORD_WEIGHT) * char_sim
    wording = DUPLICATE_WORD_WEIGHT * lemma_sim + (1 - DUPLICATE_WORD_WEIGHT) * char_sim
    return {"topic": topic, "wording": wording, "shared": lemma_sim > 0,
            "duplicate": DUPLICATE_SIMILARITY, "tfidf": by_topic, "vocabulary": vocabulary}


def _linkage_groups(distance, threshold, linkage):
    """Index groups of an agglomerative clustering of a precomputed distance matrix."""
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    if distance.shape[0] < 2:
        return [[i] for i in range(distance.shape[0])]
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage=linkage,
                                    distance_threshold=threshold)
    labels = model.fit_predict(np.clip(distance, 0.0, None))
    groups = {}
    for index, label in enumerate(labels):
        groups.setdefault(label, []).append(index)
    return list(groups.values())


def _duplicates(sim, shared, sizes, threshold):
    """Groups of two or more ideas, every two of them similar enough, sharing a lemma (or a
    synonym of one) and of comparable length."""
    import numpy as np
    sizes = np.asarray(sizes, dtype=float)
    comparable = np.maximum.outer(sizes, sizes) < DUPLICATE_LENGTH_RATIO * np.minimum.outer(sizes, sizes)
    close = (sim >= threshold) & shared & comparable
    np.fill_diagonal(close, False)
    candidates = np.flatnonzero(close.any(axis=1))
    if len(candidates) < 2:
        return []
    sub = np.ix_(candidates, candidates)
    distance = np.where(close[sub], 1.0 - sim[sub], 1.0)
    np.fill_diagonal(distance, 0.0)
    groups = _linkage_groups(distance, 1.0 - threshold + 1e-9, "complete")
    return [sorted(int(candidates[i]) for i in g) for g in groups if len(g) > 1]


def _cohesive(group, sim):
    """The group without the members that hang on it by a thread, the loosest first."""
    import numpy as np
    group = list(group)
    while len(group) > 1:
        sub = sim[np.ix_(group, group)]
        mean = (sub.sum(axis=1) - sub.diagonal()) / (len(group) - 1)
        worst = int(np.argmin(mean))
        if mean[worst] >= MEMBER_SIMILARITY:
            break
        del group[worst]
    return group


def _name(members, by_word, vocabulary):
    """The cluster's shared terms, most telling first: weight in the cluster × share of its ideas.

    Terms that read alike ("#нко" and "нко", "#животные" and "животное") count once."""
    import numpy as np
    rows = by_word[members]
    present = (rows > 0).sum(axis=0).A1
    weight = rows.sum(axis=0).A1 * present / len(members)
    chosen, shown = [], []
    for i in np.argsort(-weight, kind="stable"):
        if present[i] < 2 or len(chosen) == NAME_WORDS:
            break
        term = str(vocabulary[i])
        label = display(term)
        if any(_stem(label) == _stem(other) for other in shown):
            continue
        chosen.append(term)
        shown.append(label)
    if not chosen:
        return None, []
    name = ", ".join(shown)
    return (name[0].upper() + name[1:])[:NAME_MAX], chosen


def _stem(label):
    return label.lower()[:5]


def suggest(texts):
    """Suggestions for a list of idea texts (indices refer to `texts`). Pure; thread-safe."""
    docs = prepare(list(texts))
    live = [i for i, d in enumerate(docs) if d]
    if len(live) < 2:
        return Suggestions([], [])
    sims = similarity([docs[i] for i in live])
    sim, by_word, vocabulary = sims["topic"], sims["tfidf"], sims["vocabulary"]
    sizes = [len(set(docs[i])) for i in live]
    duplicates = [[live[i] for i in g]
                  for g in _duplicates(sims["wording"], sims["shared"], sizes, sims["duplicate"])]
    clusters = []
    for group in _linkage_groups(1.0 - sim, CLUSTER_DISTANCE, "average"):
        group = _cohesive(sorted(group), sim)
        if len(group) < 2:
            continue
        name, chosen = _name(group, by_word, vocabulary)
        if name is None:
            continue
        clusters.append(Cluster(name=name, members=[live[i] for i in group], words=chosen))
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    duplicates.sort()
    return Suggestions(clusters, duplicates)

"""The suggestions for a list of ideas: pure functions from texts to proposals.

Each idea becomes its lemmas (text.py), read through the domain thesaurus (thesaurus.yaml):
synonyms folded to one word, kinds of action ("курсы", "обучение", "ликбез") to one, and broad
topics added beside the words. TF-IDF views of the batch are compared by cosine: the words, the
topics and the character 3–5-grams of the lemmas (what survives a typo or an unusual ending).
Every view weighs down the terms common in the list at hand: in a rural district's session
"село", "школа", "молодёжь" are in many ideas of many initiatives and must not hold a cluster
together by themselves (which words those are is read from the list, not written down).
Near-duplicates say the same action on the same object: pairs above a similarity of the telling
words (actions folded, no topics, the list's common words left out) that share two of them (one
for a one-word idea), are of comparable length, do not name different things of one kind
("телеграм-канал" / "подкаст") and either both name a kind of action or neither does ("курсы
первой помощи" / "первая помощь для школьников"); they are grouped by complete linkage (every
two ideas of a group are that close). Clusters come from average-linkage agglomerative
clustering with a distance threshold; loosely attached members leave, every member shares a
telling word with another, and a cluster is proposed only when a third of its ideas share a
telling word (a core); a group without one is clustered again, tighter, or dropped. The shared
telling words, most telling first, make its name. An idea close to nothing stays out: no
proposal beats a silly one.

General word meaning (meaning.py: word vectors shipped in the natasha wheel) adds what shared
words miss ("интервью с пожилыми" / "устные истории старожилов"): the cosine of the ideas'
meaning vectors is mixed into the similarity of clusters. It plays no part in duplicates: on
lists written by others it found pairs that were not the same idea. Without the vectors the
method stays lexical.
"""
from contextlib import contextmanager
from dataclasses import dataclass, field

from .text import (ACTION_MARK, CONCEPT_MARK, PHRASE_JOIN, analyse, canon, concepts, display,
                   lemmas, mend_typos, thesaurus, words)

# Round numbers chosen on both labelled sets at once (tests/data/suggest_ideas.json and
# suggest_heldout.json, written apart), preferring the middle of ranges where both do well over
# the best of either (bench/suggest.py measures them). Similarities of clusters mix three views:
# On all five labelled sets (two written for the method, three blind) the words weigh a little
# more than on the first two alone: 0.45/0.3 gave mean ARI 0.559, 0.5/0.25 0.567, 0.55/0.2 0.570
# (0.6/0.2 falls to 0.540); 0.5 is the middle of that plateau.
WORD_WEIGHT = 0.5          # of the words as the thesaurus reads them
TOPIC_WEIGHT = 0.25        # of the thesaurus's topics
CHAR_WEIGHT = 0.25         # of the character n-grams of the lemmas
DUPLICATE_WORD_WEIGHT = 0.8  # the rest goes to the character n-grams
# 0.45 let through pairs of one topic and other things ("контейнеры во дворах" / "сбор мусора в
# подъездах") when the thesaurus does not know the words: precision 0.89 without it; 0.48-0.52
# keep it at 0.93 (0.5 is the middle), at a cost in recall on the held-out set (0.31 -> 0.19).
DUPLICATE_SIMILARITY = 0.5
# A general idea ("Велодорожки") is not a duplicate of a specific one ("Сеть велодорожек между
# районами"): the longer of two duplicates has fewer than twice the other's lemmas.
DUPLICATE_LENGTH_RATIO = 2
DUPLICATE_SHARED_WORDS = 2
# The shared telling words are at least this share of the longer idea's telling words.
DUPLICATE_COVER = 0.4
CLUSTER_DISTANCE = 0.88    # 1 - average similarity at which clusters stop joining
# An idea whose average similarity to the rest of its cluster is below this leaves it: average
# linkage lets a cluster grow by one shared common word, and such a member is more noise than help.
MEMBER_SIMILARITY = 0.12
# Words common in the list at hand weigh less in every view: a term in more than COMMON_SHARE
# of the ideas (and in at least COMMON_MIN of them) is scaled by (that share / its share) **
# COMMON_POWER. A term so scaled below TELLING does not count as a shared word of duplicates.
COMMON_SHARE = 0.1
COMMON_MIN = 4
COMMON_POWER = 2.0
TELLING = 0.5
# General word meaning (meaning.py: navec vectors from the natasha wheel), when they can be loaded;
# without them (or with MEANING False, or inside `lexical_only()`) the method is the lexical one
# above, figure for figure. Chosen as the rest: on both labelled sets at once, in the middle of
# a range good for both (MEANING_WEIGHT 0.1-0.2 with a distance of 0.9-0.94 all do about as well).
# Sentence models in their place were measured (bench/suggest_models.py, 2026-11-26): USE
# multilingual v3 and multilingual-e5-small, the two Russian ones that ship inside PyPI packages.
# At the best of a grid, chosen afterwards, they lift the mean ARI of the four sets written blind
# from 0.419 to 0.444 and lower the development sets' (0.834/0.755 -> 0.802/0.673 and
# 0.819/0.734); they take 7-19 s to embed 500 ideas on one core against the 1 s budget.
MEANING = True
MEANING_WEIGHT = 0.15      # share of the meaning similarity in the similarity of clusters
# Meaning keeps clusters apart that share only a common word, so they may join at a lower
# average similarity than words alone allow (at 0.92 the lexical method alone does worse).
MEANING_CLUSTER_DISTANCE = 0.92
# A cluster needs a core: a term not common in the list in CORE_SHARE of its ideas (and in two);
# a group without one is clustered again SPLIT_STEP tighter (at most SPLIT_DEPTH times), else
# dropped. Half was too strict on lists written by others: an initiative said in varied words
# ("молодёжь уезжает": трудовые отряды, профориентация, коворкинг, целевое обучение) shares a
# term in a third of its ideas, and its whole group was dropped, its ideas left alone (the main
# loss of ARI on those lists). A third keeps them; 0.3 and 0.4 do alike (mean ARI of the five
# sets 0.559 and 0.557 against 0.538 at 0.5), nothing got worse on any set.
CORE_SHARE = 0.3
SPLIT_STEP = 0.1
SPLIT_DEPTH = 1
ATTACHED = True            # a member must share a term not common in the list with another
NAME_WORDS = 3
NAME_MAX = 120             # InitiativeForm's limit


@dataclass
class Cluster:
    name: str
    members: list           # indices into the texts, ascending
    words: list = field(default_factory=list)
    # the name's parts in order, each (label, the members whose text has it): the name of what
    # is left when a moderator leaves an idea out is the parts still shared by two
    parts: list = field(default_factory=list)


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


def _identity(doc):
    return doc


def _tfidf(docs):
    from sklearn.feature_extraction.text import TfidfVectorizer
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    return vectorizer.fit_transform(docs), vectorizer.get_feature_names_out()


def _cosine(matrix):
    return (matrix @ matrix.T).toarray()


def similarity(docs):
    """The similarities of non-empty docs (lists of lemmas), as a dict:
    `topic` (the words as the thesaurus reads them, their topics and the character n-grams of
    the lemmas: for clusters), `wording` (the words with kinds of action folded, and the n-grams,
    no topics: for duplicates, which must say the same, not only be on the same topic), `shared`
    (how many telling words two docs share: words common in the list do not count),
    `duplicate` (the threshold for `wording`), and the TF-IDF of words and topics with its
    vocabulary (for names). Every view weighs down what is common in this list (`_common_down`)."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    plain = [canon(d, actions=False) for d in docs]
    folded = [canon(d) for d in docs]
    topics = [concepts(p + d) for p, d in zip(plain, docs)]
    by_plain = _common_down(_tfidf(plain)[0])
    by_folded = _tfidf(folded)[0]
    folded_scale = _common_scale(by_folded)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    grams = char.fit_transform([" ".join(d) for d in docs])
    topic = WORD_WEIGHT * _cosine(by_plain) + CHAR_WEIGHT * _cosine(_common_down(grams))
    if any(topics):
        topic += TOPIC_WEIGHT * _cosine(_common_down(_tfidf(topics)[0]))
    else:
        topic += TOPIC_WEIGHT * _cosine(by_plain)
    # duplicates read only the words that tell in this list: "в селе" in both says nothing
    keep = (folded_scale >= TELLING).astype(float)
    folded_sim = _cosine(normalize(by_folded.multiply(keep.reshape(1, -1)).tocsr()))
    char_sim = _cosine(char.fit_transform(_telling_text(docs)))
    wording = DUPLICATE_WORD_WEIGHT * folded_sim + (1 - DUPLICATE_WORD_WEIGHT) * char_sim
    meant = (_other_meaning or _meaning)(docs, plain) if MEANING else None
    if meant is not None:
        topic = (1 - MEANING_WEIGHT) * topic + MEANING_WEIGHT * np.clip(meant, 0.0, None)
    named, vocabulary = _tfidf([p + t for p, t in zip(plain, topics)])
    named_scale = _common_scale(named)
    present = (by_folded > 0).astype(float)
    telling = present.multiply((folded_scale >= TELLING).reshape(1, -1)).tocsr()
    shared = (telling @ telling.T).toarray()
    return {"topic": topic, "wording": wording, "shared": shared, "folded": folded,
            "meaning": meant,
            "sizes": np.asarray(present.sum(axis=1)).ravel(),
            "told": np.asarray(telling.sum(axis=1)).ravel(),
            "duplicate": DUPLICATE_SIMILARITY, "tfidf": _common_down(named, named_scale),
            "vocabulary": vocabulary, "common": named_scale < TELLING}


def _telling_text(docs):
    """Each doc's lemmas without those common in the list (all of them if nothing else is left),
    as text for the character n-grams."""
    from collections import Counter
    df = Counter(w for d in docs for w in set(d))
    limit = max(COMMON_SHARE * len(docs), COMMON_MIN - 1)
    out = []
    for d in docs:
        kept = [w for w in d if df[w] <= limit or (limit / df[w]) ** COMMON_POWER >= TELLING]
        out.append(" ".join(kept or d))
    return out


def _common_scale(matrix):
    """A weight per column of a docs x terms matrix: 1 for a term in at most COMMON_SHARE of the
    docs (or in fewer than COMMON_MIN of them), less the more docs share it beyond that. A word
    of the session's setting ("село" in a rural district's list) then cannot hold ideas of
    different initiatives together by itself; which words those are depends on the list only."""
    import numpy as np
    rows = matrix.shape[0]
    df = np.asarray((matrix > 0).sum(axis=0)).ravel().astype(float)
    limit = max(COMMON_SHARE * rows, COMMON_MIN - 1)
    return np.where(df > limit, (limit / np.maximum(df, 1.0)) ** COMMON_POWER, 1.0)


def _common_down(matrix, scale=None):
    """The rows of a TF-IDF matrix with common terms (`_common_scale`) weighed down, normalized."""
    from sklearn.preprocessing import normalize
    scale = _common_scale(matrix) if scale is None else scale
    if (scale == 1.0).all():
        return matrix
    return normalize(matrix.multiply(scale.reshape(1, -1)).tocsr())


@contextmanager
def lexical_only():
    """For measuring: the method without word vectors, as if they could not be loaded (not
    thread-safe)."""
    global MEANING
    saved, MEANING = MEANING, False
    try:
        yield
    finally:
        MEANING = saved


_other_meaning = None


@contextmanager
def meaning_from(cosines, weight=None, distance=None):
    """For measuring (bench/suggest_models.py): the method with another view of meaning in place
    of the word vectors. `cosines(docs, plain)` returns the ideas' cosine matrix (the docs are
    the ideas with any lemma, in order); `weight` and `distance` replace MEANING_WEIGHT and
    MEANING_CLUSTER_DISTANCE meanwhile. Not thread-safe."""
    global _other_meaning, MEANING_WEIGHT, MEANING_CLUSTER_DISTANCE
    saved = _other_meaning, MEANING_WEIGHT, MEANING_CLUSTER_DISTANCE
    _other_meaning = cosines
    MEANING_WEIGHT = MEANING_WEIGHT if weight is None else weight
    MEANING_CLUSTER_DISTANCE = MEANING_CLUSTER_DISTANCE if distance is None else distance
    try:
        yield
    finally:
        _other_meaning, MEANING_WEIGHT, MEANING_CLUSTER_DISTANCE = saved


def _meaning(docs, plain):
    """Cosines of the ideas' meaning vectors (meaning.py), or None without word vectors. An idea
    is read as its lemmas and, where the thesaurus folds a word into another ("велополоса" into
    "велодорожка"), that word too: navec may know one and not the other. Words common in the
    list weigh less, as in the other views."""
    from collections import Counter
    from . import meaning
    read = []
    for doc, canonical in zip(docs, plain):
        extra = [part for token in canonical if token not in doc
                 for part in token.split(PHRASE_JOIN) if part]
        read.append(list(doc) + extra)
    df = Counter(w for doc in read for w in set(doc))
    limit = max(COMMON_SHARE * len(read), COMMON_MIN - 1)

    def weight_of(word):
        common = (limit / df[word]) ** COMMON_POWER if df[word] > limit else 1.0
        return common

    embedded = meaning.embed(read, weight_of)
    return None if embedded is None else embedded @ embedded.T


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


def _other_things(a, b):
    """Whether two ideas name different things of one kind: a noun of each that the other lacks,
    both under one topic of the thesaurus and neither the topic's own name ("телеграм-канал" and
    "подкаст", "во дворах" and "в подъездах"; not "собаки" and "животные"). Said in other words,
    the same idea differs in words of no common topic, or in a general word for a specific one."""
    a, b = set(a), set(b)
    only_a = set().union(*(_kinds(w) for w in a - b))
    return any(only_a & _kinds(w) for w in b - a)


def _one_acts(a, b):
    """Whether one idea names a kind of action (thesaurus `actions`: a course, a collection, a
    clean-up) and the other none: "курсы первой помощи" is not "первая помощь для школьников",
    nor "экологический квест" "уроки экологии". Duplicates say the same action on the same
    object; when only one says what is done, the two may share the object and little else. On
    lists written by others such pairs were the wrong ones (precision 0.67 and 0.5 on two of
    them); the pairs it costs are said with an action word the thesaurus lacks (recall, not
    precision)."""
    return any(w.startswith(ACTION_MARK) for w in a) != any(w.startswith(ACTION_MARK) for w in b)


def _kinds(word):
    """The topics a noun is one thing of (not those it names); cached per thesaurus."""
    cache = _KINDS.setdefault(id(thesaurus()), {})
    found = cache.get(word)
    if found is None:
        found = frozenset(t for t in concepts([word]) if not _names(word, t)) \
            if analyse(word)[1] == "NOUN" else frozenset()
        cache[word] = found
    return found


_KINDS = {}


def _names(word, term):
    """Whether a word is the name of a topic term ("животное" of "#животные")."""
    return analyse(term.lstrip("#").split("_")[0])[0] == word


def _duplicates(sim, shared, sizes, threshold, folded=None, told=None):
    """Groups of two or more ideas, every two of them similar enough, sharing words (read through
    the thesaurus: two of them, or the one word of a one-word idea; words common in the list do
    not count) and of comparable length. Word meaning plays no part: on new text it found pairs
    that were not the same idea."""
    import numpy as np
    sizes = np.asarray(sizes, dtype=float)
    small = np.minimum.outer(sizes, sizes)
    told = sizes if told is None else np.maximum(np.asarray(told, dtype=float), 1.0)
    comparable = np.maximum.outer(told, told) < DUPLICATE_LENGTH_RATIO * np.minimum.outer(told, told)
    enough = (shared >= np.minimum(small, DUPLICATE_SHARED_WORDS)) \
        & (shared >= DUPLICATE_COVER * np.maximum.outer(told, told))
    similar = sim >= threshold
    close = similar & (shared > 0) & enough & comparable
    np.fill_diagonal(close, False)
    if folded is not None:
        for i, j in np.argwhere(np.triu(close)):
            if _other_things(folded[i], folded[j]) or _one_acts(folded[i], folded[j]):
                close[i, j] = close[j, i] = False
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


def _name(members, by_word, vocabulary, common=None):
    """The cluster's shared terms, most telling first: weight in the cluster × share of its ideas.
    Terms common in the list (`common`) are never part of a name: a name of setting words only
    ("Молодёжь, школа, дети") says nothing of what the ideas share.

    Terms that read alike ("#нко" and "нко", "#животные" and "животное") count once; a topic
    that only guesses at one word's sense (`_guessed_topics`) gives way to the word."""
    import numpy as np
    rows = by_word[members]
    present = (rows > 0).sum(axis=0).A1
    weight = rows.sum(axis=0).A1 * present / len(members)
    if common is not None:
        weight = np.where(common, 0.0, weight)
    order = np.argsort(-weight, kind="stable")
    order = order[(present[order] >= 2) & (weight[order] > 0)]
    guesses = _guessed_topics(present, vocabulary)
    # without the guessed topics, unless nothing else names the cluster
    found = _terms(order, vocabulary, guesses) or _terms(order, vocabulary, ())
    if found is None:
        return None, [], []
    shown, chosen = found
    parts = [(label, [members[r] for r in rows[:, i].nonzero()[0]])
             for label, i in zip(shown, chosen)]
    return name_of(shown), [str(vocabulary[i]) for i in chosen], parts


def name_of(labels):
    """A proposed name of its parts' labels (static/js/suggestions.js writes it the same way)."""
    name = ", ".join(labels)
    return (name[0].upper() + name[1:])[:NAME_MAX]


def _terms(order, vocabulary, skipped):
    """(labels, vocabulary indices) of the first NAME_WORDS terms in `order` not skipped, those
    that read alike counted once; None when there is none."""
    chosen, shown = [], []
    for i in order:
        term = str(vocabulary[i])
        label = display(term)
        if term in skipped or any(_stem(label) == _stem(other) for other in shown):
            continue
        chosen.append(int(i))
        shown.append(label)
        if len(chosen) == NAME_WORDS:
            break
    return (shown, chosen) if chosen else None


def _guessed_topics(present, vocabulary):
    """The topic terms that only one word of the cluster's ideas reaches, a word that reaches
    several topics: which of them it means is a guess ("бездомный": housing, social help, or the
    stray animals beside it), and the word itself, a term of the name in its own right, says it
    better. A topic reached by several words ("собака", "кошка", "животное") is no guess."""
    words = [str(vocabulary[i]) for i in present.nonzero()[0]
             if not str(vocabulary[i]).startswith((CONCEPT_MARK, ACTION_MARK))]
    reached = {}
    for word in words:
        topics = concepts([word])
        for term in topics:
            reached.setdefault(term, []).append((word, len(topics)))
    return {term for term, by in reached.items() if len(by) == 1 and by[0][1] > 1}


def _core(members, by_word, common):
    """Whether the members have a core: a term not common in the list that at least CORE_SHARE
    of them (and two) contain."""
    import numpy as np
    present = (by_word[members] > 0).sum(axis=0).A1
    need = max(2.0, CORE_SHARE * len(members))
    return bool(np.any((present >= need) & ~common))


def _attached(members, by_word, common):
    """The members that share a term not common in the list with another member."""
    import numpy as np
    rows = (by_word[members] > 0).astype(float).multiply((~common).astype(float).reshape(1, -1))
    rows = rows.tocsr()
    overlap = (rows @ rows.T).toarray()
    np.fill_diagonal(overlap, 0.0)
    return [m for m, row in zip(members, overlap) if row.max() > 0]


def _clusters(group, sim, distance, sims, depth=0):
    """The clusters a linkage group makes: cohesive, every member sharing a telling term with
    another, with a core of telling terms; a group without a core is clustered again, tighter,
    and its parts kept when they have one (else nothing: no proposal beats a silly one)."""
    by_word, vocabulary, common = sims["tfidf"], sims["vocabulary"], sims["common"]
    group = _cohesive(sorted(group), sim)
    if ATTACHED:
        group = _attached(group, by_word, common)
    if len(group) < 2:
        return []
    if _core(group, by_word, common):
        name, chosen, parts = _name(group, by_word, vocabulary, common)
        return [] if name is None else [(group, name, chosen, parts)]
    if depth >= SPLIT_DEPTH or len(group) < 4:
        return []
    import numpy as np
    sub = sim[np.ix_(group, group)]
    found = []
    for part in _linkage_groups(1.0 - sub, distance - SPLIT_STEP, "average"):
        found += _clusters([group[i] for i in part], sim, distance - SPLIT_STEP, sims, depth + 1)
    return found


def _stem(label):
    return label.lower()[:5]


def suggest(texts):
    """Suggestions for a list of idea texts (indices refer to `texts`). Pure; thread-safe."""
    docs = prepare(list(texts))
    live = [i for i, d in enumerate(docs) if d]
    if len(live) < 2:
        return Suggestions([], [])
    sims = similarity([docs[i] for i in live])
    sim = sims["topic"]
    duplicates = [[live[i] for i in g] for g in _duplicates(
        sims["wording"], sims["shared"], sims["sizes"], sims["duplicate"], sims["folded"],
        sims["told"])]
    clusters = []
    distance = CLUSTER_DISTANCE if sims["meaning"] is None else MEANING_CLUSTER_DISTANCE
    for group in _linkage_groups(1.0 - sim, distance, "average"):
        for members, name, chosen, parts in _clusters(group, sim, distance, sims):
            clusters.append(Cluster(name=name, members=[live[i] for i in members], words=chosen,
                                    parts=[(label, [live[i] for i in held])
                                           for label, held in parts]))
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    duplicates.sort()
    return Suggestions(clusters, duplicates)

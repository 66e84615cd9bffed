"""From an idea's text to the lemmas that carry its meaning: Russian through pymorphy3 (its
dictionary ships in the `pymorphy3-dicts-ru` package: nothing is fetched), English loans and
the session's abbreviations through a small glossary, typos mended against the batch's words.

The analyzer is built on first use and kept per process (about 15 MB); lemmas are cached.
"""
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

_morph = None
_morph_lock = threading.Lock()

WORD = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)

# Parts of speech that carry no topic: prepositions, conjunctions, particles, interjections,
# pronouns, predicatives ("можно", "нужно"), comparatives ("больше", "лучше").
_SKIP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED", "COMP"})

# Words of a strategic session that say nothing about what an idea is about.
STOP_LEMMAS = frozenset("""
создать создание сделать делать организовать организация провести проведение запустить
запуск открыть открытие поставить установить установка нужно надо можно мочь быть весь
всё каждый свой наш ваш самый новый другой хороший лучший плохой знать год раз сам
проект программа идея инициатива развитие работа система вопрос место день
город городской социальный житель человек хорошо плохо сила район местный общественный
который такой это свой
там тут здесь туда сюда где куда когда тогда потом сейчас просто очень также тоже ещё уже
даже хотя вообще именно
the a an and or of for in on at to with by from is are be our all more new
""".split())

# Abbreviations against their full forms: the full form (as lemmas) becomes the abbreviation.
ABBREVIATIONS = {
    "нко": ("некоммерческий", "организация"),
    "тос": ("территориальный", "общественный", "самоуправление"),
    "жкх": ("жилищный", "коммунальный"),
    "овз": ("ограниченный", "возможность", "здоровье"),
    "сми": ("средство", "массовый", "информация"),
    "мкд": ("многоквартирный", "дом"),
}
_ABBREVIATION_KEYS = {parts[0]: (abbr, parts) for abbr, parts in ABBREVIATIONS.items()}

# English words met in Russian sessions, and Russian words that name one topic in several
# ways: each maps to the lemma(s) that stand for it. Kept small and general on purpose.
GLOSSARY = {
    "eco": ("экология",), "ecology": ("экология",), "green": ("озеленение",),
    "экологический": ("экология",), "экологичный": ("экология",), "экопросвещение": ("экология", "просвещение"),
    "recycling": ("переработка",), "recycle": ("переработка",), "waste": ("отходы",),
    "plastic": ("пластик",), "zero": (), "garbage": ("мусор",), "trash": ("мусор",),
    "bike": ("велосипед",), "bicycle": ("велосипед",), "cycling": ("велосипед",),
    "велосипедный": ("велосипед",),
    "food": ("еда",), "sharing": ("шеринг",), "фудшеринг": ("еда", "шеринг"),
    "volunteer": ("волонтёр",), "volunteers": ("волонтёр",), "волонтёрский": ("волонтёр",),
    "волонтерский": ("волонтёр",), "волонтер": ("волонтёр",),
    "youth": ("молодёжь",), "молодежь": ("молодёжь",), "молодёжный": ("молодёжь",),
    "молодежный": ("молодёжь",), "teen": ("подросток",), "teens": ("подросток",),
    "подростковый": ("подросток",), "kids": ("ребёнок",), "children": ("ребёнок",),
    "детский": ("ребёнок",), "дети": ("ребёнок",), "ребенок": ("ребёнок",),
    "senior": ("пожилой",), "seniors": ("пожилой",), "пенсионер": ("пожилой",),
    "school": ("школа",), "школьный": ("школа",), "школьник": ("школа",),
    "park": ("парк",), "festival": ("фестиваль",), "fest": ("фестиваль",),
    "hub": ("пространство",), "space": ("пространство",), "coworking": ("коворкинг",),
    "ngo": ("нко",), "ngos": ("нко",), "fundraising": ("фандрайзинг",), "grant": ("грант",),
    "грантовый": ("грант",), "media": ("сми",), "online": ("онлайн",), "app": ("приложение",),
    "inclusive": ("инклюзия",), "инклюзивный": ("инклюзия",), "accessibility": ("доступность",),
    "доступный": ("доступность",), "river": ("река",), "речной": ("река",),
    "tree": ("дерево",), "trees": ("дерево",), "garden": ("огород",),
    "energy": ("энергосбережение",), "solar": ("солнечный",), "led": ("энергосбережение",),
    "animals": ("животное",), "dog": ("собака",), "dogs": ("собака",), "cat": ("кошка",),
    "cats": ("кошка",), "shelter": ("приют",), "телеграм": ("телеграм",), "telegram": ("телеграм",),
    "соседский": ("сосед",), "дворовый": ("двор",), "городской": ("город",),
    "пожилые": ("пожилой",), "мусорный": ("мусор",),
    # pymorphy's first reading of "в парке", "пластика" is the jacket and the art
    "парка": ("парк",), "пластика": ("пластик",), "пластиковый": ("пластик",),
}

GLOSSARY = {k.replace("ё", "е"): tuple(v.replace("ё", "е") for v in vs)
            for k, vs in GLOSSARY.items()}

# Prefixes written together with a word ("экоуроки", "велодорожки"): split off when the word
# itself is unknown to the dictionary, so that "экоуроки" meets "уроки экологии".
PREFIXES = {"эко": "экология", "вело": "велосипед", "энерго": "энергосбережение",
            "медиа": "сми", "фуд": "еда", "эко-": "экология"}

# The thesaurus of the domain (thesaurus.yaml beside this file): synonyms and kinds of action
# read as one word, and broad topics added beside an idea's words. Loaded on first use.
THESAURUS_FILE = Path(__file__).with_name("thesaurus.yaml")
CONCEPT_MARK = "#"         # a topic term: "#отходы"
ACTION_MARK = "@"          # a kind of action: "@обучение"
PHRASE_JOIN = "_"
_thesaurus = None
_thesaurus_lock = threading.Lock()


class Thesaurus:
    """The thesaurus as lookups: a lemma (or a phrase of lemmas) to the word it reads as, and a
    word to its topics. Prefix entries ("волонт*") are matched longest first; answers are cached."""

    def __init__(self, data=None):
        data = data or {}
        self.canonical = {}     # lemma -> (synonym head or "@action", is an action)
        self.prefixes = []      # (prefix, head, is an action)
        self.phrases = {}       # first lemma -> [(lemmas tuple, token)], longest first
        self.topics_of = {}     # lemma or token -> [topic terms]
        self.topic_prefixes = []
        self._cache = {}
        for line in data.get("synonyms") or ():
            entries = str(line).split()
            head = self._lemma_of(entries[0])
            for entry in entries:
                self._add_word(entry, head, False)
        for action, line in (data.get("actions") or {}).items():
            for entry in str(line).split():
                self._add_word(entry, ACTION_MARK + action, True)
        for topic, line in (data.get("topics") or {}).items():
            term = CONCEPT_MARK + topic
            for entry in str(line).split():
                if entry.endswith("*"):
                    self.topic_prefixes.append((_norm(entry[:-1]), term))
                    continue
                key = self._lemma_of(entry)
                if PHRASE_JOIN in entry and key not in self.canonical:
                    self._add_phrase(entry, key)
                for word in {key, self.canonical.get(key, (key,))[0]}:
                    terms = self.topics_of.setdefault(word, [])
                    if term not in terms:
                        terms.append(term)
        self.prefixes.sort(key=lambda p: -len(p[0]))
        self.topic_prefixes.sort(key=lambda p: -len(p[0]))
        for first in self.phrases:
            self.phrases[first].sort(key=lambda p: -len(p[0]))

    @staticmethod
    def _lemma_of(entry):
        """The lemma an entry stands for: a phrase's lemmas joined, a word's lemma."""
        entry = _norm(entry.rstrip("*"))
        if PHRASE_JOIN in entry:
            return PHRASE_JOIN.join(_word_lemma(w) for w in entry.split(PHRASE_JOIN))
        return _word_lemma(entry)

    def _add_phrase(self, entry, token):
        parts = tuple(_word_lemma(w) for w in _norm(entry).split(PHRASE_JOIN))
        self.phrases.setdefault(parts[0], []).append((parts, token))

    def _add_word(self, entry, head, action):
        if entry.endswith("*"):
            self.prefixes.append((_norm(entry[:-1]), head, action))
            return
        if PHRASE_JOIN in entry:
            self._add_phrase(entry, head)
            self.canonical.setdefault(head, (head, action))
            return
        for form in {_norm(entry), _word_lemma(_norm(entry))}:
            self.canonical.setdefault(form, (head, action))

    def head(self, lemma):
        """(the word a lemma reads as, whether it is a kind of action)."""
        found = self._cache.get(lemma)
        if found is None:
            found = self.canonical.get(lemma)
            if found is None:
                found = next(((h, a) for p, h, a in self.prefixes if lemma.startswith(p)),
                             (lemma, False))
            self._cache[lemma] = found
        return found

    def topics(self, word):
        key = ("#", word)
        found = self._cache.get(key)
        if found is None:
            found = list(self.topics_of.get(word, ()))
            found += [t for p, t in self.topic_prefixes if word.startswith(p) and t not in found]
            self._cache[key] = found
        return found


def _norm(word):
    return word.lower().replace("ё", "е")


def _word_lemma(word):
    if word in GLOSSARY:
        return GLOSSARY[word][0] if GLOSSARY[word] else word
    return analyse(word)[0] if re.fullmatch("[а-яё-]+", word) and "-" not in word else word


def thesaurus():
    """The process's thesaurus, read on first use."""
    global _thesaurus
    if _thesaurus is None:
        with _thesaurus_lock:
            if _thesaurus is None:
                import yaml
                _thesaurus = Thesaurus(yaml.safe_load(THESAURUS_FILE.read_text(encoding="utf-8")))
    return _thesaurus


@contextmanager
def without_thesaurus():
    """For measuring: the method as if the thesaurus were empty (not thread-safe)."""
    global _thesaurus
    saved = thesaurus()
    _thesaurus = Thesaurus()
    try:
        yield
    finally:
        _thesaurus = saved


def canon(seq, actions=True):
    """The lemmas as the words they read as: synonyms and phrases folded to their head, kinds of
    action to "@action" (or, with actions False, left as they are)."""
    table = thesaurus()
    out, i = [], 0
    while i < len(seq):
        lemma = seq[i]
        for parts, token in table.phrases.get(lemma, ()):
            if tuple(seq[i:i + len(parts)]) == parts:
                if actions or not token.startswith(ACTION_MARK):
                    out.append(token)
                else:
                    out.extend(parts)
                i += len(parts)
                break
        else:
            head, action = table.head(lemma)
            out.append(lemma if action and not actions else head)
            i += 1
    return out


def concepts(seq):
    """The topic terms ("#отходы") the lemmas (or their canonical words) point at, each once."""
    table = thesaurus()
    seen = []
    for word in seq:
        for candidate in (word, table.head(word)[0]):
            for term in table.topics(candidate):
                if term not in seen:
                    seen.append(term)
    return seen


# How a lemma standing for an abbreviation is shown in a proposed name.
DISPLAY = {abbr: abbr.upper() for abbr in ABBREVIATIONS}


def morph():
    """The process's pymorphy3 analyzer, built on first use (about 0.1 s)."""
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3
                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


@lru_cache(maxsize=200_000)
def analyse(word):
    """(lemma, part of speech, known to the dictionary) of one lower-case word."""
    if not re.search("[а-яё]", word):
        return word, "LATN" if word.isalpha() else "NUMB", True
    parse = morph().parse(word)[0]
    lemma = parse.normal_form.replace("ё", "е")
    return lemma, str(parse.tag.POS or ""), morph().word_is_known(word)


def words(text):
    """The lower-case words of a text (emoji, punctuation and hyphens split them off)."""
    return [w.replace("ё", "е") for w in WORD.findall(text.lower())]


def _distance_one(a, b):
    """Whether b comes from a by one edit: a letter changed, added, dropped or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def mend_typos(batch_words):
    """word -> a known word of the batch one edit away, for words the dictionary does not know.

    A typo of a word that someone else spelled right ("расдельный" / "раздельный") then reads
    as that word; a word nobody spelled right is left to the character n-grams."""
    known, unknown = {}, []
    for word in set(batch_words):
        if len(word) < 5 or not re.search("[а-яё]", word):
            continue
        if analyse(word)[2]:
            known.setdefault((len(word), word[0]), []).append(word)
        else:
            unknown.append(word)
    fixes = {}
    for word in unknown:
        for size in (len(word) - 1, len(word), len(word) + 1):
            # Typos rarely hit the first letter; looking only there keeps this fast.
            match = next((w for w in known.get((size, word[0]), ()) if _distance_one(word, w)), None)
            if match:
                fixes[word] = match
                break
    return fixes


def _split_prefix(word):
    if thesaurus().head(analyse(word)[0])[0] != analyse(word)[0]:
        return None      # the thesaurus knows the whole word ("велополоса")
    for prefix, lemma in PREFIXES.items():
        if word.startswith(prefix) and len(word) >= len(prefix) + 4 and not analyse(word)[2]:
            rest = word[len(prefix):]
            if analyse(rest)[2]:
                return lemma, rest
    return None


def lemmas(text, fixes=None):
    """The lemmas of a text that carry meaning, in order, abbreviations folded together."""
    out = []
    for word in words(text):
        word = (fixes or {}).get(word, word)
        split = _split_prefix(word)
        parts = [split[0], split[1]] if split else [word]
        for part in parts:
            if part in GLOSSARY:
                out.extend(GLOSSARY[part])
                continue
            lemma, pos, _known = analyse(part)
            if pos in _SKIP_POS or pos == "NUMB" or len(lemma) < 2:
                continue
            out.extend(GLOSSARY.get(lemma, (lemma,)))
    return [w for w in _fold_abbreviations(out) if w not in STOP_LEMMAS]


def _fold_abbreviations(seq):
    result, i = [], 0
    while i < len(seq):
        found = _ABBREVIATION_KEYS.get(seq[i])
        if found and tuple(seq[i:i + len(found[1])]) == found[1]:
            result.append(found[0])
            i += len(found[1])
            continue
        result.append(seq[i])
        i += 1
    return result


def display(lemma):
    """How a lemma, a topic term or a kind of action reads in a proposed name."""
    lemma = lemma.lstrip(CONCEPT_MARK + ACTION_MARK)
    return DISPLAY.get(lemma, lemma).replace(PHRASE_JOIN, " ")

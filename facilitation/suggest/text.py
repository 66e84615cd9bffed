"""From an idea's text to the lemmas that carry its meaning: Russian through pymorphy3 (its
dictionary ships in the `pymorphy3-dicts-ru` package: nothing is fetched), English loans and
the session's abbreviations through a small glossary, typos mended against the batch's words.

The analyzer is built on first use and kept per process (about 15 MB); lemmas are cached.
"""
import re
import threading
from functools import lru_cache

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

# The topics that strategic sessions on social and ecological initiatives keep coming back to,
# each with the lemmas that point at it. An idea gets the topic as one more term beside its own
# lemmas, so that "сортировка мусора" and "пункт приёма вторсырья" meet although they share no
# word. A thesaurus, not a model: extend it for sessions on other subjects.
CONCEPTS = {
    "отходы": "мусор отход отходы вторсырье переработка сортировка утилизация батарейка макулатура "
              "пластик стекло крышечка контейнер бак свалка раздельный экопункт",
    "озеленение": "дерево саженец зелень озеленение цветник клумба сквер газон огород питомник "
                  "посадка посадить высадить аллея кустарник",
    "пожилой": "пожилой пенсионер пенсия старший поколение бабушка дедушка долголетие ветеран "
               "одинокий",
    "молодежь": "подросток молодежь юный юношеский подростковый лагерь наставничество студент",
    "доступность": "инвалидность овз колясочник пандус инклюзия доступность маломобильный "
                   "слабовидящий незрячий глухой тактильный сурдопереводчик",
    "нко": "нко грант фандрайзинг некоммерческий активист акселератор проектирование "
           "благотворительность",
    "соседство": "сосед двор подъезд тос микрорайон соседство председатель благоустройство",
    "жкх": "жкх тариф коммунальный счетчик утепление энергосбережение отопление капремонт "
           "управлять квартира мкд",
    "экопросвещение": "экология природа экотропа просвещение экоурок",
    "транспорт": "велосипед велодорожка велопарковка пешеходный самокат транспорт парковка "
                 "велошеринг",
    "еда": "еда продукт столовая питание излишек шеринг обед",
    "водоем": "река берег пруд родник родниковый ручей озеро водоем набережная",
    "животные": "собака кошка животное приют стерилизация питомец зоозащитник вольер",
    "медиа": "сайт портал канал телеграм подкаст соцсеть сми газета блог блогер новость",
}
CONCEPT_OF = {}
for _concept, _lemmas in CONCEPTS.items():
    for _lemma in _lemmas.split():
        CONCEPT_OF.setdefault(_lemma, _concept)
CONCEPT_MARK = "#"


def concepts(seq):
    """The topic terms ("#отходы") the lemmas point at, each once, in order."""
    seen = []
    for lemma in seq:
        concept = CONCEPT_OF.get(lemma)
        if concept and CONCEPT_MARK + concept not in seen:
            seen.append(CONCEPT_MARK + concept)
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
    """How a lemma reads in a proposed name."""
    lemma = lemma.lstrip(CONCEPT_MARK)
    return DISPLAY.get(lemma, lemma)

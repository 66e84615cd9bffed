"""The suggestion method on the labelled sets (tests/data/suggest_ideas.json and
suggest_heldout.json) and on hard cases."""
import time

import pytest

from facilitation.suggest import suggest
from facilitation.suggest.evaluate import load, measure
from facilitation.suggest import text
from facilitation.suggest.text import canon, concepts, lemmas, mend_typos, words


@pytest.fixture(scope="module")
def labelled():
    texts, gold, pairs = load()
    return texts, gold, pairs, suggest(texts)


def test_the_labelled_set_is_big_and_varied_enough():
    texts, gold, pairs = load()
    assert len(texts) >= 80 and len(set(texts)) == len(texts)
    assert len({g for g in gold if g}) >= 10 and len(pairs) >= 20
    assert any(g is None for g in gold)


def test_figures_on_the_labelled_set(labelled):
    texts, gold, pairs, result = labelled
    figures = measure(result, gold, pairs)
    # 0.70, 0.95 and 0.79 when the domain thesaurus replaced the one written beside this set;
    # 0.815, 0.95, 0.79 with the word vectors (meaning.py); 0.80, 1.0, 0.79 with the list's
    # common words weighed down and the duplicates lexical again; 0.83, 1.0, 0.79 with a third of
    # a cluster for a core
    assert figures["ari"] >= 0.75, figures
    assert figures["precision"] >= 0.9, figures
    assert figures["recall"] >= 0.65, figures


def test_clusters_have_names_of_their_shared_words(labelled):
    texts, gold, pairs, result = labelled
    for cluster in result.clusters:
        assert cluster.name and len(cluster.name) <= 120 and len(cluster.members) >= 2
        assert cluster.name[0].isupper()


def test_a_topic_one_word_only_guesses_at_stays_out_of_the_name():
    """«бездомный» reaches housing and social help: in stray-animal ideas a name of those would
    be silly, so the word itself names them beside «животные», which three words reach. A topic
    one word reaches when that word means only it («батарейка»: waste) stays."""
    result = suggest(["Раздельный сбор батареек в школах", "Пункты приёма батареек в каждом районе",
                      "Стерилизация бездомных собак и кошек",
                      "Приют для бездомных животных с волонтёрами"])
    names = {tuple(c.members): c.name for c in result.clusters}
    assert names == {(0, 1): "Отходы, батарейка", (2, 3): "Животные, бездомный"}
    # homeless people: housing is reached by «ночлежка» as well, so it stays
    people = suggest(["Ночлежка для бездомных зимой", "Пункт обогрева для бездомных",
                      "Открыть ночлежку при храме"])
    assert [c.name for c in people.clusters] and "жильё" in people.clusters[0].name.lower()


def test_ideas_that_share_no_meaning_get_no_proposal():
    ideas = ["Кофе", "Шахматный клуб", "Ярмарка вакансий", "Музей истории района",
             "Велодорожки", "Приют для собак", "Не знаю", "🙂🙂", "???", "Сделать всё лучше"]
    result = suggest(ideas)
    assert result.clusters == [] and result.duplicates == []


def test_empty_and_tiny_input():
    assert suggest([]).as_dict() == {"clusters": [], "duplicates": []}
    assert suggest(["Озеленение"]).as_dict() == {"clusters": [], "duplicates": []}
    assert suggest(["", "   ", "👍"]).as_dict() == {"clusters": [], "duplicates": []}


def test_abbreviations_meet_their_full_forms():
    assert lemmas("Ресурсный центр для НКО") == ["ресурсный", "центр", "нко"]
    assert "нко" in lemmas("Помощь некоммерческим организациям")
    assert lemmas("Территориальное общественное самоуправление") == ["тос"]
    assert "жкх" in lemmas("Школа потребителя жилищно-коммунальных услуг")
    result = suggest(["Создать ТОС в каждом микрорайоне",
                      "Территориальное общественное самоуправление в каждом микрорайоне"])
    assert result.duplicates == [[0, 1]]


def test_typos_mixed_english_and_emoji():
    fixes = mend_typos(words("Расдельный сбор мусора. Раздельный сбор батареек"))
    assert fixes == {"расдельный": "раздельный"}
    assert lemmas("Eco-fest в парке") == ["экология", "фестиваль", "парк"]
    assert lemmas("Раздельный сбор 🔋♻️") == ["раздельный", "сбор"]
    result = suggest(["Курсы компьютерной грамотности для пожилых",
                      "Курсы компютерной грамотности для пенсионеров", "Кофе"])
    assert result.duplicates == [[0, 1]]


def test_a_general_idea_is_not_a_duplicate_of_a_specific_one():
    result = suggest(["Велодорожки", "Сеть велодорожек между районами города"])
    assert result.duplicates == []


def test_five_hundred_ideas_in_well_under_a_few_seconds():
    texts, _, _ = load()
    places = ["в Заречном районе", "для жителей Северного", "на левом берегу", "в посёлке Луговой",
              "силами студентов", "в малых городах области", ""]
    ideas = [f"{t} {places[i % len(places)]}" for i, t in enumerate(texts * 5)][:500]
    suggest(ideas[:50])
    start = time.perf_counter()
    suggest(ideas)
    # The goal is 1 s on one core (bench/suggest.py measures it); a shared test machine gets slack.
    assert time.perf_counter() - start < 3


def test_on_the_held_out_set():
    """tests/data/suggest_heldout.json was written by someone who never saw the method, on other
    topics. With the domain thesaurus (thesaurus.yaml, written from the domain, not from either
    set) it measured ARI 0.70, duplicate precision 1.0 and recall 0.31 (before it: 0.44, 1.0,
    0.08); with the word vectors 0.77, 1.0, 0.38; with the duplicates lexical and stricter
    (precision 0.93 without the thesaurus) 0.75, 1.0, 0.19; with a third of a cluster for a core
    and no duplicate of an idea naming a kind of action and one naming none 0.755, 1.0, 0.15.
    This guards the precision and keeps the clustering from getting worse unnoticed."""
    from facilitation.suggest.evaluate import LABELLED
    texts, gold, pairs = load(LABELLED.with_name("suggest_heldout.json"))
    assert len(texts) >= 80
    figures = measure(suggest(texts), gold, pairs)
    assert figures["precision"] >= 0.9, figures
    assert figures["ari"] >= 0.70, figures
    assert figures["recall"] >= 0.15, figures


BLIND_SETS = ("suggest_third.json", "suggest_fourth.json", "suggest_fifth.json",
              "suggest_sixth.json")


def test_on_the_sets_written_blind():
    """Four sets written by people who never saw the method (now opened, no longer blind). On
    the first three the method measured mean ARI 0.380 and duplicate precision 0.67, 1.0 and 0.5
    before a third of a cluster's ideas (not half) made a core and duplicates needed both ideas or
    neither to name a kind of action; 0.415 and 1.0 on each after. The sixth, sealed until then,
    measured 0.429 and 1.0 at its first look. This keeps the lists not written for the method
    from getting worse unnoticed."""
    from facilitation.suggest.evaluate import LABELLED
    aris = []
    for name in BLIND_SETS:
        texts, gold, pairs = load(LABELLED.with_name(name))
        figures = measure(suggest(texts), gold, pairs)
        assert figures["precision"] >= 0.9, (name, figures)
        assert figures["ari"] >= 0.25, (name, figures)
        aris.append(figures["ari"])
    assert sum(aris) / len(aris) >= 0.4, aris


def test_word_meaning_adds_to_clusters_and_not_to_duplicates():
    """The word vectors raise the clusters' ARI on the dev set (0.75 -> 0.80) and cost little on
    the held-out one (0.77 -> 0.75, once the list's common words are weighed down the lexical
    method does well there); duplicates are the same with and without them (lexical only)."""
    from facilitation.suggest import meaning, method
    from facilitation.suggest.evaluate import LABELLED
    assert meaning.vectors() is not None, "the natasha wheel (requirements.txt) ships them"
    gains = []
    for name in ("suggest_ideas.json", "suggest_heldout.json"):
        texts, gold, pairs = load(LABELLED.with_name(name))
        with_it = suggest(texts)
        with method.lexical_only():
            without = suggest(texts)
        assert with_it.duplicates == without.duplicates, name
        gains.append(measure(with_it, gold, pairs)["ari"] - measure(without, gold, pairs)["ari"])
    assert gains[0] >= 0.03 and gains[1] >= -0.05 and sum(gains) > 0, gains


def test_setting_words_in_many_ideas_do_not_make_clusters():
    """Five topics, every idea "в селе" (a rural district's session): not one cluster of all."""
    ideas = ["Курсы компьютерной грамотности для пенсионеров в селе",
             "Обучение пенсионеров работе со смартфоном в селе",
             "Стерилизация бездомных собак в селе", "Приют для бездомных собак в селе",
             "Велодорожка до станции в селе", "Велопарковки у магазинов в селе",
             "Раздельный сбор мусора в селе", "Контейнеры для раздельного сбора мусора в селе",
             "Музей истории края в селе", "Экскурсии по музею истории края в селе"]
    result = suggest(ideas)
    assert all(len(c.members) <= 3 for c in result.clusters), result.clusters
    for cluster in result.clusters:
        assert "село" not in cluster.name.lower() and "сельск" not in cluster.name.lower()
    topics = {i: i // 2 for i in range(10)}
    for cluster in result.clusters:
        assert len({topics[i] for i in cluster.members}) == 1, cluster
    assert suggest([idea for idea in ideas[::2]]).clusters == []
    assert suggest([idea for idea in ideas[::2]]).duplicates == []


def test_the_labelled_sets_with_setting_words_lose_little():
    """Setting words appended at random across initiatives (evaluate.with_setting: "в селе",
    "для молодёжи", "в школах"...) simulate a list where they are everywhere. Before the list's
    common words were weighed down: ARI 0.48 and 0.53, duplicate precision 0.83 and 0.90;
    after: 0.79 and 0.70, 0.93 and 1.0."""
    from facilitation.suggest.evaluate import LABELLED, with_setting
    for name, floor in (("suggest_ideas.json", 0.7), ("suggest_heldout.json", 0.62)):
        texts, gold, pairs = load(LABELLED.with_name(name))
        for seed in (0, 1, 2):
            figures = measure(suggest(with_setting(texts, seed)), gold, pairs)
            assert figures["ari"] >= floor, (name, seed, figures)
            assert figures["precision"] >= 0.85, (name, seed, figures)


def test_duplicates_stay_precise_without_the_thesaurus():
    """Without the thesaurus (a proxy for wording it does not know) duplicate precision stays
    at least 0.9 on both sets (0.93 and 1.0; 0.81 and 1.0 with the word-meaning path)."""
    from facilitation.suggest.evaluate import LABELLED
    for name in ("suggest_ideas.json", "suggest_heldout.json"):
        texts, gold, pairs = load(LABELLED.with_name(name))
        with text.without_thesaurus():
            figures = measure(suggest(texts), gold, pairs)
        assert figures["precision"] >= 0.9, (name, figures)


def test_ideas_in_other_words_are_close_in_meaning():
    from facilitation.suggest import method
    ideas = ["Лекции врачей о здоровом питании", "Доктора рассказывают о правильном питании",
             "Ночные патрули на улицах", "Шахматный клуб", "Ремонт велосипедов"]
    close = method.similarity(method.prepare(ideas))["meaning"]
    assert close[0, 1] > 0.5 and close[0, 1] > max(close[0, 2:]) + 0.3, close


def test_the_word_vectors_are_read_from_the_wheel():
    from facilitation.suggest import meaning
    table = meaning.vectors()
    assert table.row("врач") >= 0 and table.row("семенотекаа") == -1
    vectors = table.matrix([table.row(w) for w in ("врач", "доктор", "велосипед")])
    unit = vectors / (vectors ** 2).sum(axis=1, keepdims=True) ** 0.5
    assert unit[0] @ unit[1] > unit[0] @ unit[2] + 0.3


def test_without_the_word_vectors_the_method_stays_lexical(monkeypatch, caplog):
    """When the vectors cannot be read the suggestions are those of the lexical method."""
    from facilitation.suggest import meaning, method
    texts, _, _ = load()
    with method.lexical_only():
        lexical = suggest(texts)
    monkeypatch.setattr(meaning, "_table", None)
    monkeypatch.setattr(meaning, "_failed", False)
    monkeypatch.setattr(meaning, "_navec_path", lambda: None)
    assert meaning.vectors() is None and "unavailable" in caplog.text
    assert suggest(texts) == lexical


def test_the_thesaurus_adds_to_both_sets():
    """Without the thesaurus the words alone do much worse on both sets: it carries over."""
    from facilitation.suggest.evaluate import LABELLED
    for name in ("suggest_ideas.json", "suggest_heldout.json"):
        texts, gold, pairs = load(LABELLED.with_name(name))
        with_it = measure(suggest(texts), gold, pairs)
        with text.without_thesaurus():
            without = measure(suggest(texts), gold, pairs)
        assert with_it["ari"] >= without["ari"] + 0.2, (name, with_it, without)
        assert with_it["recall"] >= without["recall"], (name, with_it, without)


def test_the_thesaurus_reads_synonyms_actions_and_topics():
    assert canon(lemmas("Добровольцы техникума")) == canon(lemmas("Волонтёры колледжа"))
    assert canon(lemmas("Доброцентр при ссузе")) == ["волонтер", "колледж"]
    assert canon(lemmas("Ликбез для пенсионеров")) == ["@обучение", "пожилой"]
    assert canon(lemmas("Ликбез для пенсионеров"), actions=False)[0] == "ликбез"
    assert canon(lemmas("Лекции для старшего поколения")) == ["@обучение", "пожилой"]
    assert "#отходы" in concepts(lemmas("Пункт приёма вторсырья"))
    assert "#отходы" in concepts(lemmas("Сортировка мусора"))
    assert "#велосипед" in concepts(lemmas("Велополосы на главных улицах"))


def test_the_same_action_on_the_same_object_in_other_words_is_a_duplicate():
    result = suggest(["Раздельный сбор батареек в школах", "Пункты приёма батареек в школах",
                      "Шахматный клуб"])
    assert result.duplicates == [[0, 1]]
    result = suggest(["Волонтёрский центр в каждом колледже", "Добровольческие центры при ссузах",
                      "Музей истории района"])
    assert result.duplicates == [[0, 1]]


def test_the_same_topic_is_not_a_duplicate():
    """Same topic, another action or another thing of the same kind: not the same idea."""
    result = suggest(["Курсы компьютерной грамотности для пенсионеров",
                      "Клуб общения для одиноких пенсионеров",
                      "Телеграм-канал о добрых делах района",
                      "Подкаст о добрых делах района",
                      "Контейнеры для раздельного сбора мусора во дворах",
                      "Раздельный сбор мусора в подъездах"])
    assert result.duplicates == []


def test_an_action_and_no_action_are_not_one_idea():
    """One idea says what is done (a course, a quest), the other only what about: they may share
    the object and little else."""
    result = suggest(["Курсы первой помощи для жителей района", "Первая помощь школьникам района",
                      "Шахматный клуб", "Экологический квест для школьников",
                      "Уроки экологии школьникам"])
    assert result.duplicates == []


def test_another_view_of_meaning_can_be_measured_in_place_of_the_word_vectors():
    """bench/suggest_models.py puts a sentence model's cosines in place of the word vectors
    (`method.meaning_from`): the navec cosines given that way are the method as it is; other
    cosines change the clusters and never the duplicates; on leaving, everything is restored."""
    import numpy as np
    from facilitation.suggest import method
    texts, _, _ = load()
    before = (method.MEANING_WEIGHT, method.MEANING_CLUSTER_DISTANCE)
    as_it_is = suggest(texts)
    with method.meaning_from(method._meaning):
        assert suggest(texts) == as_it_is
    seen = []

    def everything_alike(docs, plain):
        seen.append(len(docs))
        return np.ones((len(docs), len(docs)))

    with method.meaning_from(everything_alike, weight=0.6, distance=0.8):
        assert (method.MEANING_WEIGHT, method.MEANING_CLUSTER_DISTANCE) == (0.6, 0.8)
        other = suggest(texts)
    assert seen and seen[0] <= len(texts)
    assert other.duplicates == as_it_is.duplicates
    assert other.clusters != as_it_is.clusters
    assert (method.MEANING_WEIGHT, method.MEANING_CLUSTER_DISTANCE) == before
    assert suggest(texts) == as_it_is


def test_purity_counts_the_members_of_each_cluster_s_main_initiative():
    from facilitation.suggest.method import Cluster, Suggestions
    gold = ["a", "a", "a", "b", "b", None, None]
    found = Suggestions([Cluster("x", [0, 1, 3]), Cluster("y", [4, 5, 6])], [])
    # cluster x: two of "a" and one "b"; cluster y: one "b" and two that belong with nothing
    assert measure(found, gold, set())["purity"] == 3 / 6
    assert measure(Suggestions([], []), gold, set())["purity"] == 1.0


def test_a_reviewed_proposal_keeps_only_its_main_initiative():
    from facilitation.suggest.evaluate import reviewed
    from facilitation.suggest.method import Cluster, Suggestions
    gold = ["a", "a", "a", "b", "b", None, None]
    found = Suggestions([Cluster("x", [0, 1, 3]), Cluster("y", [4, 5, 6]),
                         Cluster("z", [2, 4])], [[0, 1]])
    after = reviewed(found, gold)
    # x loses the "b"; y's ideas belong with nothing, and z is one "a" and one "b": dismissed
    assert [c.members for c in after.clusters] == [[0, 1]]
    assert after.duplicates == [[0, 1]]
    assert measure(after, gold, set())["purity"] == 1.0

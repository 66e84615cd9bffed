"""The suggestion method on the labelled set (tests/data/suggest_ideas.json) and on hard cases."""
import time

import pytest

from facilitation.suggest import suggest
from facilitation.suggest.evaluate import load, measure
from facilitation.suggest.text import lemmas, mend_typos, words


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
    assert figures["ari"] >= 0.5, figures
    assert figures["precision"] >= 0.9, figures
    assert figures["recall"] >= 0.4, figures


def test_clusters_have_names_of_their_shared_words(labelled):
    texts, gold, pairs, result = labelled
    for cluster in result.clusters:
        assert cluster.name and len(cluster.name) <= 120 and len(cluster.members) >= 2
        assert cluster.name[0].isupper()


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


def test_on_the_held_out_set_it_stays_careful():
    """tests/data/suggest_heldout.json was written by someone who never saw the method, on other
    topics. There the method proposes less (ARI 0.44 and duplicate recall 0.08 when it was
    written: below the goal, see bench/suggest.py) but what it proposes stays right: this
    guards the precision and keeps the clustering from getting worse unnoticed."""
    from facilitation.suggest.evaluate import LABELLED
    texts, gold, pairs = load(LABELLED.with_name("suggest_heldout.json"))
    assert len(texts) >= 80
    figures = measure(suggest(texts), gold, pairs)
    assert figures["precision"] >= 0.9, figures
    assert figures["ari"] >= 0.4, figures

"""`flask --app wsgi suggest FILE`: one idea per line in, JSON with line numbers from 1 out."""
import json


def test_suggest_prints_clusters_and_duplicates_by_line(runner, tmp_path):
    path = tmp_path / "ideas.txt"
    path.write_text("\n".join([
        "Раздельный сбор батареек в школах", "Кофе", "Пункты приёма батареек в школах", "",
        "Стерилизация бездомных собак", "Программа стерилизации бездомных животных",
        "Приют для бездомных животных"]) + "\n", encoding="utf-8")
    result = runner.invoke(args=["suggest", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) == {"clusters", "duplicates"}
    lines = sorted(c["lines"] for c in out["clusters"])
    assert lines == [[1, 3], [5, 6, 7]]
    assert all(isinstance(c["name"], str) and c["name"] for c in out["clusters"])
    assert [5, 6] in out["duplicates"]
    assert all(2 not in g and 4 not in g for g in out["duplicates"])


def test_suggest_on_a_file_of_unrelated_lines_says_nothing(runner, tmp_path):
    path = tmp_path / "ideas.txt"
    path.write_text("Кофе\nШахматный клуб\nЯрмарка вакансий\n", encoding="utf-8")
    result = runner.invoke(args=["suggest", str(path)])
    assert json.loads(result.output) == {"clusters": [], "duplicates": []}

"""Pages across platforms: changes, search, clause types, methodology and diffs."""

from __future__ import annotations

# The site fixture is imported, so pytest finds it; test arguments then shadow it.
# ruff: noqa: F811
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from clausewatch.web.methodology import method_document
from tests.web_fixtures import WebSite, site  # noqa: F401

PATHS = [
    "/changes",
    "/changes?platform=parrotchat&severity=High&material=true",
    "/search",
    "/search?q=arbitration",
    "/clause-types",
    "/clause-types/ai_training_on_user_data",
    "/methodology",
]


@pytest.mark.parametrize("path", PATHS)
def test_page_renders_with_landmarks(site: WebSite, path: str) -> None:
    response = site.client.get(path)
    tree = lxml_html.fromstring(response.text)

    assert response.status_code == 200
    assert len(tree.xpath("//header")) >= 1
    assert tree.xpath("//main[@id='main']")
    assert tree.xpath("//footer")
    assert len(tree.xpath("//h1")) == 1


@pytest.mark.parametrize("path", PATHS)
def test_form_fields_have_labels(site: WebSite, path: str) -> None:
    tree = lxml_html.fromstring(site.client.get(path).text)
    labelled = set(tree.xpath("//label/@for"))

    for field in tree.xpath("//main//input[not(@type='hidden')] | //main//select"):
        wrapped = field.xpath("ancestor::label")
        assert field.get("id") in labelled or wrapped, lxml_html.tostring(field)


def test_changes_filtered_by_platform(site: WebSite) -> None:
    html = site.client.get("/changes?platform=pebble-social").text

    assert "Pebble Social" in html
    assert 'href="/platforms/parrotchat"' not in html


def test_changes_filter_keeps_choices(site: WebSite) -> None:
    html = site.client.get("/changes?severity=High&material=true").text

    assert '<option value="High" selected>' in html
    assert 'name="material" value="true" checked' in html


@pytest.mark.parametrize(
    ("parameter", "value"),
    [("severity", "Awful"), ("kind", "rewritten"), ("since", "31/01/2026")],
)
def test_changes_invalid_value_is_422_with_form(
    site: WebSite, parameter: str, value: str
) -> None:
    response = site.client.get("/changes", params={parameter: value})
    tree = lxml_html.fromstring(response.text)

    assert response.status_code == 422
    alert = tree.xpath("//p[@role='alert']")
    assert len(alert) == 1
    assert repr(value) in alert[0].text_content()
    assert tree.xpath("//form[@action='/changes']")


def test_changes_page_and_api_agree_on_status(site: WebSite) -> None:
    page = site.client.get("/changes", params={"since": "bad"})
    api = site.client.get("/api/v1/changes", params={"since": "bad"})

    assert page.status_code == api.status_code == 422


def test_changes_severity_message_omits_empty(site: WebSite) -> None:
    response = site.client.get("/changes", params={"severity": "Awful"})

    assert "Low, Medium, High, Critical" in response.text
    assert "&#39;&#39;" not in response.text
    assert "''" not in response.text


def test_search_without_words_is_422_with_form(site: WebSite) -> None:
    response = site.client.get("/search", params={"q": "?!"})
    tree = lxml_html.fromstring(response.text)

    assert response.status_code == 422
    alert = tree.xpath("//p[@role='alert']")
    assert len(alert) == 1
    assert "no word" in alert[0].text_content()
    assert tree.xpath("//form[@action='/search']")


def test_search_marks_matches(site: WebSite) -> None:
    html = site.client.get("/search?q=binding+arbitration").text

    assert "1 provision match" in html
    assert "<mark>binding</mark>" in html


def test_search_escapes_policy_markup(site: WebSite) -> None:
    html = site.client.get("/search?q=markup+clause").text

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_search_query_echo_escaped(site: WebSite) -> None:
    html = site.client.get("/search", params={"q": "<b>x</b> privacy"}).text

    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_search_filters_by_platform(site: WebSite) -> None:
    html = site.client.get("/search?q=train&platform=pebble-social").text

    assert "1 provision match" in html
    assert "Pebble Social" in html


def test_clause_type_lists_platforms(site: WebSite) -> None:
    html = site.client.get("/clause-types/ai_training_on_user_data").text

    assert "Widespread: 2 of 2 platforms" in html
    assert 'href="/platforms/pebble-social"' in html
    assert "Prevalence over time" in html


def test_clause_type_history_grows(site: WebSite) -> None:
    tree = lxml_html.fromstring(
        site.client.get("/clause-types/ai_training_on_user_data").text
    )
    cells = tree.xpath("//section[@aria-labelledby='ct-history']//tbody/tr/td[2]")
    counts = [int(cell.text_content().split(" of ")[0]) for cell in cells]

    assert counts[-1] == 2
    assert counts == sorted(counts)


def test_unknown_clause_type_is_404(site: WebSite) -> None:
    assert site.client.get("/clause-types/nothing_like_it").status_code == 404


def test_methodology_states_rules(site: WebSite) -> None:
    html = site.client.get("/methodology").text

    assert "Widespread" in html
    assert "Volatile with" in html
    assert "opt_out_offered" in html
    assert "clausewatch eval" in html


def test_methodology_lists_saved_evaluation(site: WebSite) -> None:
    folder = site.settings.model_dir
    folder.mkdir(parents=True, exist_ok=True)
    report = folder / "evaluation-example.json"
    report.write_text(
        '{"dataset": "example", "split": "validation", "classifier_version": "v9", '
        '"records": 120, "sentences_per_second": 850.0, "spaces": {"clause_types": '
        '{"micro": {"precision": 0.91, "recall": 0.8, "f1": 0.85}, '
        '"macro": {"precision": 0.7, "recall": 0.6, "f1": 0.64}}}}',
        "utf-8",
    )
    try:
        html = site.client.get("/methodology").text
    finally:
        report.unlink()

    assert "example (validation split, 120 texts)" in html
    assert "0.910" in html
    assert "0.640" in html


@pytest.mark.parametrize("view", ["side", "inline"])
def test_diff_between_versions(site: WebSite, view: str) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    html = site.client.get(f"/documents/{record}/diff?from=1&to=3&view={view}").text

    assert "<ins>" in html
    assert "sell personal data to advertising partners" in html
    assert re.search(r"\d+ provision changes?;", html)
    assert "<script>alert(1)</script>" not in html


def test_diff_side_by_side_has_columns(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    html = site.client.get(f"/documents/{record}/diff?from=1&to=2").text

    assert 'class="diff-side"' in html
    assert "<del>" in html or "(absent)" in html


def test_diff_without_versions_compares_last_two(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    response = site.client.get(f"/documents/{record}/diff")

    assert response.status_code == 200
    tree = lxml_html.fromstring(response.text)
    assert tree.xpath("//select[@name='from']/option[@selected]/@value") == ["2"]
    assert tree.xpath("//select[@name='to']/option[@selected]/@value") == ["3"]


def test_diff_same_version_is_422(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    response = site.client.get(f"/documents/{record}/diff?from=2&to=2")

    assert response.status_code == 422
    assert "cannot compare version 2 with itself" in response.text


def test_diff_missing_version_is_404(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")

    response = site.client.get(f"/documents/{record}/diff?from=1&to=9")

    assert response.status_code == 404


def test_diff_form_on_document_page(site: WebSite) -> None:
    record = site.document_id("parrotchat", "Privacy Policy")
    tree = lxml_html.fromstring(site.client.get(f"/documents/{record}").text)

    form = tree.xpath("//form[contains(@class, 'diff-form')]")[0]
    assert form.get("method") == "get"
    assert form.xpath(".//select[@name='from']/option[@selected]/@value") == ["2"]
    assert form.xpath(".//select[@name='to']/option[@selected]/@value") == ["3"]


def test_platform_page_risk_and_timeline(site: WebSite) -> None:
    html = site.client.get("/platforms/parrotchat").text

    assert "Risk summary" in html
    assert "Sale of personal data" in html
    assert "Timeline of changes" in html
    assert "/documents/" in html
    assert "/diff?from=" in html


@pytest.mark.parametrize("name", ["figures", "severity", "classifier"])
def test_methodology_document_rendered(site: WebSite, name: str) -> None:
    response = site.client.get(f"/methodology/{name}")
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", response.text)]

    assert response.status_code == 200
    assert f'href="/methodology/{name}"' in site.client.get("/methodology").text
    assert levels.count(1) == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1, levels


def test_methodology_document_unknown_is_404(site: WebSite) -> None:
    assert site.client.get("/methodology/secrets").status_code == 404


def test_method_document_headings_shifted(tmp_path: Path) -> None:
    (tmp_path / "benchmarks-classifier.md").write_text(
        "## Clause classifier\n\n### Method\n\n```\n### not a heading\n```\n\n"
        "#### Detail\n",
        "utf-8",
    )

    document = method_document("classifier", tmp_path)

    assert document is not None
    assert document.title == "Clause classifier"
    assert "<h2>Method</h2>" in document.html
    assert "<h3>Detail</h3>" in document.html
    assert "### not a heading" in document.html


def test_method_document_missing_file(tmp_path: Path) -> None:
    assert method_document("classifier", tmp_path) is None

"""Declaration files in both formats: what loads, and how each mistake is reported."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from clausewatch.declarations import (
    TERMS_TYPES,
    DeclarationFieldError,
    DeclarationSetError,
    RangeSelector,
    UnsupportedFeatureError,
    UnsupportedSelectorError,
    css_to_xpath,
    load_catalog,
    load_declaration,
    load_declarations,
    normalize_css,
    slugify_platform_id,
)
from clausewatch.errors import DeclarationError

NATIVE_EXAMPLE = """\
id: character-ai
name: Character.AI
category: ai
documents:
  Privacy Policy:
    url: https://policies.character.ai/privacy
  Terms of Service:
    url: https://policies.character.ai/tos
    select: ["main"]
    remove: [".cookie-banner"]
    browser: true
"""


def write(folder: Path, name: str, content: str | dict[str, object]) -> Path:
    path = folder / name
    text = content if isinstance(content, str) else json.dumps(content, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


def test_native_example_loads(tmp_path: Path) -> None:
    platform = load_declaration(write(tmp_path, "character-ai.yaml", NATIVE_EXAMPLE))

    assert platform.id == "character-ai"
    assert platform.name == "Character.AI"
    assert platform.category == "ai"
    assert platform.source == tmp_path / "character-ai.yaml"
    assert [doc.terms_type for doc in platform.documents] == [
        "Privacy Policy",
        "Terms of Service",
    ]
    privacy = platform.documents[0].pages
    assert len(privacy) == 1
    assert privacy[0].url == "https://policies.character.ai/privacy"
    assert privacy[0].select == ()
    assert privacy[0].browser is False
    tos = platform.documents[1].pages[0]
    assert tos.select == ("main",)
    assert tos.remove == (".cookie-banner",)
    assert tos.browser is True
    assert tos.pdf is False


def test_native_shorthand_urls_and_ranges(tmp_path: Path) -> None:
    content = """\
name: Example Chat
documents:
  Privacy Policy: https://example.com/privacy
  Acceptable Use Policy:
    select:
      - start_before: "#usage"
        end_after: "#usage-end"
    browser: true
    urls:
      - https://example.com/usage
      - url: https://example.com/legal/usage.PDF
      - url: https://example.com/extra
        select: article
        browser: false
"""
    platform = load_declaration(write(tmp_path, "Example Chat.yml", content))

    assert platform.id == "example-chat"
    assert platform.category is None
    assert platform.documents[0].pages[0].url == "https://example.com/privacy"
    pages = platform.document("Acceptable Use Policy").pages  # type: ignore[union-attr]
    shared_range = RangeSelector(start_before="#usage", end_after="#usage-end")
    assert [page.url for page in pages] == [
        "https://example.com/usage",
        "https://example.com/legal/usage.PDF",
        "https://example.com/extra",
    ]
    assert pages[0].select == (shared_range,)
    assert pages[0].browser is True
    assert pages[0].pdf is False
    assert pages[1].pdf is True
    assert pages[2].select == ("article",)
    assert pages[2].browser is False


def test_native_format_in_json(tmp_path: Path) -> None:
    content = {
        "id": "example",
        "name": "Example",
        "documents": {
            "Terms of Service": {"url": "https://example.com/t", "pdf": True}
        },
    }
    platform = load_declaration(write(tmp_path, "example.json", content))

    assert platform.id == "example"
    assert platform.documents[0].pages[0].pdf is True


def test_ota_declaration_loads(tmp_path: Path) -> None:
    content = {
        "name": "Claude.ai",
        "terms": {
            "Terms of Service": {
                "fetch": "https://example.com/terms",
                "select": [
                    "main",
                    {"startBefore": "#eu", "endBefore": "footer"},
                ],
                "remove": "a[href$=--espanol]",
                "executeClientScripts": True,
            },
            "Privacy Policy": {
                "select": "article",
                "remove": [".nav"],
                "executeClientScripts": True,
                "combine": [
                    {"fetch": "https://example.com/privacy"},
                    {"fetch": "https://example.com/cookies", "select": "#body"},
                    {"fetch": "https://example.com/annex.pdf"},
                ],
            },
        },
    }
    platform = load_declaration(write(tmp_path, "Claude.ai.json", content))

    assert platform.id == "claude-ai"
    assert platform.name == "Claude.ai"
    assert platform.category is None
    tos = platform.document("Terms of Service").pages  # type: ignore[union-attr]
    assert tos[0].select == (
        "main",
        RangeSelector(start_before="#eu", end_before="footer"),
    )
    # cssselect does not read an identifier starting with "--", so it is quoted.
    assert tos[0].remove == ('a[href$="--espanol"]',)
    assert tos[0].browser is True
    privacy = platform.document("Privacy Policy").pages  # type: ignore[union-attr]
    assert [page.select for page in privacy] == [("article",), ("#body",), ("article",)]
    assert all(page.remove == (".nav",) for page in privacy)
    assert all(page.browser for page in privacy)
    assert [page.pdf for page in privacy] == [False, False, True]


def test_ota_legacy_documents_key(tmp_path: Path) -> None:
    content = {
        "name": "Old Service",
        "documents": {"Terms of Service": {"fetch": "https://example.com/t"}},
    }
    platform = load_declaration(write(tmp_path, "Old Service.json", content))

    assert platform.documents[0].urls == ("https://example.com/t",)


def test_ota_pdf_marked_in_query(tmp_path: Path) -> None:
    content = {
        "name": "Quotes",
        "terms": {"Terms of Service": {"fetch": "https://example.com/tos/?.pdf"}},
    }
    platform = load_declaration(write(tmp_path, "Quotes.json", content))

    assert platform.documents[0].pages[0].pdf is True


def test_ota_empty_terms_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "Retired.json", {"name": "Retired", "terms": {}})

    platform = load_declaration(path)
    declarations = load_declarations(tmp_path)

    assert platform.documents == ()
    assert [item.id for item in declarations.platforms] == ["retired"]
    assert declarations.ok


def test_ota_filter_rejects_document(tmp_path: Path) -> None:
    content = {
        "name": "Filtered",
        "terms": {
            "Privacy Policy": {
                "fetch": "https://example.com/p",
                "select": "main",
                "filter": ["removeTrackingIds", {"removeQueryParams": ["utm"]}],
            },
            "Terms of Service": {"fetch": "https://example.com/t", "select": "main"},
        },
    }
    path = write(tmp_path, "Filtered.json", content)

    with pytest.raises(UnsupportedFeatureError) as caught:
        load_declaration(path)
    declarations = load_declarations(tmp_path)

    message = str(caught.value)
    assert str(path) in message
    assert '"Privacy Policy"' in message
    assert "JavaScript filters [removeTrackingIds, removeQueryParams]" in message
    assert "which clausewatch cannot run" in message
    assert caught.value.terms_type == "Privacy Policy"
    [platform] = declarations.platforms
    assert [doc.terms_type for doc in platform.documents] == ["Terms of Service"]
    assert len(declarations.errors) == 1


def test_filter_in_combine_entry(tmp_path: Path) -> None:
    content = {
        "name": "Combined",
        "terms": {
            "Privacy Policy": {
                "select": "main",
                "combine": [
                    {"fetch": "https://example.com/a"},
                    {"fetch": "https://example.com/b", "filter": ["cleanUrls"]},
                ],
            }
        },
    }
    path = write(tmp_path, "Combined.json", content)

    declarations = load_declarations(path)

    assert declarations.platforms == ()
    [error] = declarations.errors
    assert isinstance(error, UnsupportedFeatureError)
    assert "[cleanUrls]" in str(error)


def test_star_of_type_selector_loads(tmp_path: Path) -> None:
    content = {
        "name": "Ordered",
        "terms": {
            "Imprint": {
                "fetch": "https://example.com/i",
                "select": "#legal .block:nth-of-type(3)",
            }
        },
    }
    platform = load_declaration(write(tmp_path, "Ordered.json", content))

    assert platform.documents[0].pages[0].select == ("#legal .block:nth-of-type(3)",)


OTA_BASE = {"name": "Broken", "terms": {}}


def ota(terms_type: str, document: object) -> dict[str, object]:
    return {**OTA_BASE, "terms": {terms_type: document}}


def native(documents: object, **top: object) -> str:
    return json.dumps({"name": "Broken", **top, "documents": documents})


# Each case: file name, content, field path, value shown, words of the problem.
BAD_DECLARATIONS = [
    pytest.param(
        "broken.yaml",
        "name: Broken\ndocumnets:\n  Privacy Policy: https://example.com/p\n",
        "documnets",
        "{'Privacy Policy'",
        'did you mean "documents"',
        id="unknown-top-key",
    ),
    pytest.param(
        "broken.json",
        native({"Privacy Policy": {"select": "main"}}),
        'documents."Privacy Policy".url',
        None,
        "missing URL",
        id="missing-url",
    ),
    pytest.param(
        "broken.json",
        native({"Privacy Policy": "ftp://example.com/p"}),
        'documents."Privacy Policy"',
        "'ftp://example.com/p'",
        "only http and https",
        id="ftp-url",
    ),
    pytest.param(
        "broken.json",
        native({"Privacy Policy": "https://"}),
        'documents."Privacy Policy"',
        "'https://'",
        "invalid URL",
        id="url-without-host",
    ),
    pytest.param(
        "broken.json",
        native({"Cookie Policy": "https://example.com/c"}),
        'documents."Cookie Policy"',
        "'Cookie Policy'",
        'unknown terms type; use "Trackers Policy"',
        id="unknown-terms-type",
    ),
    pytest.param(
        "broken.json",
        native(
            {"Terms of Service": {"url": "https://example.com/t", "browser": "yes"}}
        ),
        'documents."Terms of Service".browser',
        "'yes'",
        "expected true or false",
        id="browser-not-bool",
    ),
    pytest.param(
        "broken.json",
        native({"Privacy Policy": "https://example.com/p"}, id="Character AI"),
        "id",
        "'Character AI'",
        'e.g. "character-ai"',
        id="invalid-id",
    ),
    pytest.param(
        "broken.json",
        native({"Privacy Policy": "https://example.com/p"}, category="games"),
        "category",
        "'games'",
        "unknown category",
        id="unknown-category",
    ),
    pytest.param(
        "broken.json",
        native({"Privacy Policy": {"urls": "https://example.com/p"}}),
        'documents."Privacy Policy".urls',
        "'https://example.com/p'",
        "expected a non-empty list",
        id="urls-not-list",
    ),
    pytest.param(
        "broken.json",
        native(
            {
                "Privacy Policy": {
                    "url": "https://e.com",
                    "select": [{"start_before": "h1"}],
                }
            }
        ),
        'documents."Privacy Policy".select[0]',
        "{'start_before': 'h1'}",
        "exactly one start and exactly one end",
        id="range-without-end",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"fetch": "https://e.com/p", "select": ["a", "b", 42]}),
        'terms."Privacy Policy".select[2]',
        "42",
        "expected a CSS selector or a range object",
        id="selector-not-string",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"fetch": "https://e.com/p", "select": "main >"}),
        'terms."Privacy Policy".select',
        "'main >'",
        "invalid CSS selector",
        id="css-syntax",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"fetch": "https://e.com/p", "remove": "p::before"}),
        'terms."Privacy Policy".remove',
        "'p::before'",
        "cannot translate it",
        id="css-pseudo-element",
    ),
    pytest.param(
        "Broken.json",
        ota(
            "Privacy Policy",
            {
                "fetch": "https://e.com/p",
                "select": {"startBefore": "h1", "endBfore": "h2"},
            },
        ),
        'terms."Privacy Policy".select.endBfore',
        "'h2'",
        'did you mean "endBefore"',
        id="range-key-typo",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"fetchh": "https://e.com/p", "select": "main"}),
        'terms."Privacy Policy".fetchh',
        "'https://e.com/p'",
        "unknown key",
        id="ota-unknown-key",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"fetch": "https://e.com/p", "combine": []}),
        'terms."Privacy Policy".fetch',
        "'https://e.com/p'",
        'both "fetch" and "combine" are set',
        id="fetch-and-combine",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"combine": [{"fetch": "https://e.com/a"}, "x"]}),
        'terms."Privacy Policy".combine[1]',
        "'x'",
        "expected a mapping",
        id="combine-entry-not-mapping",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"fetch": "https://e.com/p", "executeClientScripts": 1}),
        'terms."Privacy Policy".executeClientScripts',
        "1",
        "expected true or false",
        id="execute-scripts-not-bool",
    ),
    pytest.param(
        "Broken.json",
        ota("Privacy Policy", {"fetch": "https://e.com/p", "filter": "cleanUrls"}),
        'terms."Privacy Policy".filter',
        "'cleanUrls'",
        "expected a list of filter names",
        id="filter-not-list",
    ),
    pytest.param(
        "Broken.json",
        {"terms": {"Privacy Policy": {"fetch": "https://e.com/p"}}},
        "name",
        None,
        "missing service name",
        id="ota-missing-name",
    ),
]


@pytest.mark.parametrize(
    ("file_name", "content", "field", "value", "problem"), BAD_DECLARATIONS
)
def test_bad_declaration_message(
    tmp_path: Path,
    file_name: str,
    content: str | dict[str, object],
    field: str,
    value: str | None,
    problem: str,
) -> None:
    path = write(tmp_path, file_name, content)

    with pytest.raises(DeclarationError) as caught:
        load_declaration(path)

    found = getattr(caught.value, "errors", (caught.value,))
    [error] = [item for item in found if getattr(item, "field", None) == field]
    assert isinstance(error, DeclarationFieldError)
    message = str(error)
    assert message.startswith(f"{path}: {field}")
    if value is not None:
        assert f"{field} = {value}" in message
    assert problem in message


BAD_FILES = [
    pytest.param("bad.json", '{"name": "X",\n "terms": }', "invalid JSON at line 2"),
    pytest.param("bad.yaml", "name: [unclosed\n", "invalid YAML"),
    pytest.param("bad.yaml", "- a\n- b\n", "expected a mapping at the top level"),
    pytest.param(
        "bad.yaml",
        "name: X\ndocuments:\n  Privacy Policy: https://a.io\n"
        "  Privacy Policy: https://b.io\n",
        "key 'Privacy Policy' (line 4) appears twice",
    ),
    pytest.param("bad.json", '{"name": "X", "name": "Y"}', "key 'name' appears twice"),
    pytest.param("bad.toml", "name = 'X'", "unsupported file type '.toml'"),
    pytest.param("bad.yaml", "name: X\n", "documents: missing documents"),
]


@pytest.mark.parametrize(("file_name", "content", "problem"), BAD_FILES)
def test_bad_file_message(
    tmp_path: Path, file_name: str, content: str, problem: str
) -> None:
    path = write(tmp_path, file_name, content)

    with pytest.raises(DeclarationError) as caught:
        load_declaration(path)

    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_missing_file_message(tmp_path: Path) -> None:
    with pytest.raises(DeclarationError, match="declaration file not found"):
        load_declaration(tmp_path / "absent.yaml")


def test_non_utf8_file_message(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Caf\xe9\n".encode("latin-1"))

    with pytest.raises(DeclarationError, match="not valid UTF-8 at byte 9"):
        load_declaration(path)


def test_history_file_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "Service.history.json", {"Privacy Policy": []})

    with pytest.raises(DeclarationError, match="load Service.json instead"):
        load_declaration(path)


def test_several_problems_listed(tmp_path: Path) -> None:
    content = native(
        {"Privacy Policy": "ftp://e.com/p", "Terms of Service": {"url": 3}},
        category="games",
    )
    path = write(tmp_path, "broken.json", content)

    with pytest.raises(DeclarationSetError) as caught:
        load_declaration(path)

    assert len(caught.value.errors) == 3
    assert str(caught.value).startswith("3 declaration problems")
    assert "category = 'games'" in str(caught.value)
    assert "url = 3" in str(caught.value)


def test_folder_skips_history_and_others(tmp_path: Path) -> None:
    write(tmp_path, "character-ai.yaml", NATIVE_EXAMPLE)
    write(tmp_path, "Old.json", ota("Privacy Policy", {"fetch": "https://e.com/p"}))
    write(tmp_path, "Old.history.json", {"Privacy Policy": [{"fetch": "x"}]})
    write(tmp_path, "Old.filters.js", "export function x() {}")
    write(tmp_path, "README.md", "# notes")
    (tmp_path / "nested").mkdir()
    write(tmp_path / "nested", "deep.yaml", NATIVE_EXAMPLE)

    declarations = load_declarations(tmp_path)

    assert [platform.id for platform in declarations.platforms] == [
        "character-ai",
        "old",
    ]
    assert declarations.errors == ()
    declarations.raise_for_errors()


def test_folder_collects_errors(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", NATIVE_EXAMPLE)
    write(tmp_path, "bad.json", '{"name": ')
    write(tmp_path, "mixed.json", native({"Privacy Policy": "https://e.com/p", "x": 1}))

    declarations = load_declarations(tmp_path)

    assert [platform.id for platform in declarations.platforms] == [
        "character-ai",
        "mixed",
    ]
    assert len(declarations.errors) == 2
    assert not declarations.ok
    with pytest.raises(DeclarationSetError, match="bad.json"):
        declarations.raise_for_errors()


def test_duplicate_id_rejected(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", NATIVE_EXAMPLE)
    write(tmp_path, "b.yaml", NATIVE_EXAMPLE)

    declarations = load_declarations(tmp_path)

    assert len(declarations.platforms) == 1
    [error] = declarations.errors
    assert "b.yaml: id = 'character-ai': platform id already declared by" in str(error)


def test_missing_folder_message(tmp_path: Path) -> None:
    with pytest.raises(DeclarationError, match="declarations folder not found"):
        load_declarations(tmp_path / "absent")


def test_catalog_from_one_file(tmp_path: Path) -> None:
    path = write(tmp_path, "character-ai.yaml", NATIVE_EXAMPLE)

    [platform] = load_catalog(path)

    assert platform.name == "Character.AI"


def test_catalog_rejects_bad_folder(tmp_path: Path) -> None:
    write(tmp_path, "bad.yaml", "name: X\ndocuments: {}\n")

    with pytest.raises(DeclarationSetError, match="no documents declared"):
        load_catalog(tmp_path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Claude.ai", "claude-ai"),
        ("DALL·E", "dall-e"),
        ("Société Générale", "societe-generale"),
        ("  Le  Chat ", "le-chat"),
        ("туту.ру", "5tbeaebc"),
        ("!!!", ""),
    ],
)
def test_platform_id_slug(name: str, expected: str) -> None:
    assert slugify_platform_id(name) == expected


def test_file_name_without_id(tmp_path: Path) -> None:
    path = write(
        tmp_path, "!!!.json", ota("Privacy Policy", {"fetch": "https://e.com"})
    )

    with pytest.raises(DeclarationFieldError, match="no platform id can be made"):
        load_declaration(path)


def test_terms_types_from_ota() -> None:
    assert len(TERMS_TYPES) == len(set(TERMS_TYPES))
    for name in ("Terms of Service", "Privacy Policy", "Trackers Policy"):
        assert name in TERMS_TYPES
    for name in (
        "Acceptable Use Policy",
        "Developer Terms",
        "Data Processor Agreement",
    ):
        assert name in TERMS_TYPES


STAR_OF_TYPE_PAGE = (
    "<div id='legal'><section class='a'>s1</section><p class='a'>p1</p>"
    "<section class='a'>s2</section><p class='a'>p2</p><p>p3</p></div>"
)


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("#legal .a:nth-of-type(2)", ["s2", "p2"]),
        ("#legal .a:first-of-type", ["s1", "p1"]),
        ("#legal :last-of-type", ["s2", "p3"]),
        ("#legal :nth-last-of-type(2)", ["s1", "p2"]),
        ("#legal :only-of-type", []),
        ("#legal .a:nth-of-type(n)", ["s1", "p1", "s2", "p2"]),
        ("#legal p:nth-of-type(2)", ["p2"]),
    ],
)
def test_star_of_type_matches(selector: str, expected: list[str]) -> None:
    root = lxml.html.fromstring(STAR_OF_TYPE_PAGE)

    matched = [element.text for element in root.xpath(css_to_xpath(selector))]

    assert matched == expected


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("a[href$=--espanol]", 'a[href$="--espanol"]'),
        ("a[href$=--es i]", 'a[href$="--es" i]'),
        ("main > .content", "main > .content"),
        ('[name="x y"]', '[name="x y"]'),
    ],
)
def test_normalize_css_quotes_values(selector: str, expected: str) -> None:
    assert normalize_css(selector) == expected


def test_normalize_css_errors() -> None:
    with pytest.raises(UnsupportedSelectorError, match="Pseudo-elements"):
        normalize_css("p::before")
    with pytest.raises(ValueError, match="Expected selector"):
        normalize_css("main >")


def test_id_from_file_name_is_marked(tmp_path: Path) -> None:
    written = load_declaration(write(tmp_path, "character-ai.yaml", NATIVE_EXAMPLE))
    derived = load_declaration(
        write(tmp_path, "chat.yaml", NATIVE_EXAMPLE.replace("id: character-ai\n", ""))
    )
    ota_file = write(
        tmp_path, "Chat.json", ota("Privacy Policy", {"fetch": "https://e.com"})
    )

    assert written.id_from_file_name is False
    assert (derived.id, derived.id_from_file_name) == ("chat", True)
    assert load_declaration(ota_file).id_from_file_name is True

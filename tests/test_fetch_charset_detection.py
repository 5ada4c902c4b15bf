"""Detecting the charset of pages that declare none, in the fetcher and the extractor.

Each paragraph is served by a local server as an HTML page and as plain text, with a
bare Content-Type: no charset parameter, no ``<meta>`` and no byte order mark unless
a test adds one. The fetcher's decoded text and the extractor's own decoding of the
raw body must both give the exact words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from clausewatch.extract import extract_content
from clausewatch.fetch import FetchResult
from clausewatch.fetch.charset import (
    charset_from_xml_declaration,
    detect_charset,
    resolve_charset,
)
from clausewatch.fetch.latin_charsets import best_latin_reading
from tests.test_fetch_support import LocalServer, Reply, fetch_once, make_settings

FRENCH = (
    "Nous traitons les données à caractère personnel nécessaires à la fourniture "
    "du service. Vous pouvez à tout moment exercer vos droits d’accès, de "
    "rectification et d’effacement auprès de notre délégué à la protection des "
    "données."
)
# Latin-1 has no curly apostrophe, so this variant uses the straight one.
FRENCH_LATIN_1 = FRENCH.replace("’", "'")
FRENCH_SHORT = "Les données à caractère personnel nécessaire à la facturation."
# ISO-8859-15 differs from Latin-1 by œ and €, among others.
FRENCH_LATIN_9 = (
    "Le cœur du service coûte 5 € par mois. Nous conservons vos données à "
    "caractère personnel le temps nécessaire à la facturation."
)
GERMAN = (
    "Wir verarbeiten Ihre personenbezogenen Daten ausschließlich gemäß der "
    "Datenschutz-Grundverordnung. Sie können jederzeit Auskunft über die "
    "gespeicherten Daten verlangen und der Übermittlung an Dritte widersprechen."
)
SPANISH = (
    "Tratamos sus datos personales únicamente para prestar el servicio. Puede "
    "ejercer en cualquier momento sus derechos de acceso, rectificación y "
    "oposición, y solicitar la eliminación de su información. ¿Tiene dudas? "
    "Escríbanos desde España."
)
PORTUGUESE = (
    "Tratamos os seus dados pessoais apenas para prestar o serviço. Você pode "
    "solicitar a qualquer momento o acesso, a retificação e a eliminação das "
    "informações, e as ações serão concluídas em até trinta dias."
)
POLISH = (
    "Przetwarzamy Twoje dane osobowe wyłącznie w celu świadczenia usługi. Możesz "
    "w każdej chwili żądać dostępu do swoich danych, ich sprostowania, usunięcia "
    "lub ograniczenia przetwarzania. Źródłem danych jest użytkownik, który "
    "zakłada konto."
)
CZECH = (
    "Zpracováváme vaše osobní údaje výhradně za účelem poskytování služby. "
    "Kdykoli můžete požádat o přístup ke svým údajům, jejich opravu, výmaz nebo "
    "omezení zpracování. Správcem údajů je naše společnost, která odpovídá za "
    "jejich ochranu."
)
RUSSIAN = (
    "Мы обрабатываем ваши персональные данные исключительно для предоставления "
    "услуги. Вы можете в любое время запросить доступ к своим данным, их "
    "исправление или удаление. Мы никогда не продаём ваши данные третьим лицам."
)
JAPANESE = (
    "当社は、お客様がサービスを利用する際に提供する個人情報を収集します。収集した"
    "情報は、サービスの提供、改善およびお客様へのご連絡のために利用します。法令に"
    "基づく場合を除き、お客様の同意なく第三者に提供しません。"
)
CHINESE = (
    "我们仅为提供服务而处理您的个人信息。您可以随时要求访问、更正或删除您的数据。"
    "未经您的同意，我们不会向第三方出售您的信息。"
)


@dataclass(frozen=True)
class Case:
    """A paragraph encoded one way, the charsets accepted for it, and its key words."""

    text: str
    encoding: str
    charsets: tuple[str, ...]
    words: tuple[str, ...]


CASES = {
    "french-windows-1252": Case(
        FRENCH,
        "cp1252",
        ("cp1252",),
        ("données", "à", "caractère", "nécessaires", "d’accès", "délégué"),
    ),
    "french-short-windows-1252": Case(
        FRENCH_SHORT, "cp1252", ("cp1252",), ("données à caractère", "nécessaire à")
    ),
    "french-iso-8859-1": Case(
        FRENCH_LATIN_1, "iso-8859-1", ("cp1252",), ("données", "à", "auprès")
    ),
    "french-iso-8859-15": Case(
        FRENCH_LATIN_9, "iso-8859-15", ("iso8859-15",), ("cœur", "5 €", "coûte")
    ),
    "german-windows-1252": Case(
        GERMAN,
        "cp1252",
        ("cp1252",),
        ("ausschließlich", "gemäß", "über", "Übermittlung"),
    ),
    "german-iso-8859-1": Case(
        GERMAN, "iso-8859-1", ("cp1252",), ("ausschließlich", "können")
    ),
    "spanish-windows-1252": Case(
        SPANISH,
        "cp1252",
        ("cp1252",),
        ("únicamente", "rectificación", "información", "¿Tiene", "España"),
    ),
    "spanish-iso-8859-15": Case(
        SPANISH, "iso-8859-15", ("cp1252", "iso8859-15"), ("oposición", "España")
    ),
    "portuguese-windows-1252": Case(
        PORTUGUESE,
        "cp1252",
        ("cp1252",),
        ("serviço", "Você", "retificação", "informações", "ações", "até"),
    ),
    "portuguese-iso-8859-1": Case(
        PORTUGUESE, "iso-8859-1", ("cp1252",), ("serviço", "concluídas")
    ),
    "polish-windows-1250": Case(
        POLISH,
        "cp1250",
        ("cp1250",),
        ("wyłącznie", "świadczenia", "każdej", "żądać", "usunięcia", "Źródłem"),
    ),
    "polish-iso-8859-2": Case(
        POLISH, "iso-8859-2", ("iso8859-2",), ("wyłącznie", "świadczenia", "żądać")
    ),
    "czech-windows-1250": Case(
        CZECH,
        "cp1250",
        ("cp1250",),
        ("výhradně", "účelem", "můžete", "přístup", "společnost"),
    ),
    "czech-iso-8859-2": Case(
        CZECH, "iso-8859-2", ("iso8859-2",), ("vaše", "služby", "přístup", "údajům")
    ),
    "russian-koi8-r": Case(
        RUSSIAN, "koi8-r", ("koi8-r",), ("обрабатываем", "персональные", "продаём")
    ),
    "russian-windows-1251": Case(
        RUSSIAN, "cp1251", ("cp1251",), ("обрабатываем", "персональные", "продаём")
    ),
    "japanese-shift-jis": Case(
        JAPANESE, "shift_jis", ("shift_jis", "cp932"), ("個人情報", "第三者", "お客様")
    ),
    "chinese-gb18030": Case(
        CHINESE, "gb18030", ("gb18030",), ("个人信息", "第三方", "同意")
    ),
}


MEDIA_TYPES = ["text/html", "text/plain"]


def page(text: str) -> str:
    return (
        "<html><head><title>Privacy</title></head>"
        f"<body><main><h1>Privacy</h1><p>{text}</p></main></body></html>"
    )


def document_body(case: Case, media_type: str) -> bytes:
    text = page(case.text) if media_type == "text/html" else case.text
    return text.encode(case.encoding)


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    local = LocalServer().start()
    yield local
    local.stop()


def serve_and_fetch(
    server: LocalServer,
    tmp_path: Path,
    path: str,
    body: bytes,
    media_type: str = "text/html",
) -> FetchResult:
    url = server.add(path, Reply(headers={"Content-Type": media_type}, body=body))
    return fetch_once(make_settings(tmp_path), url)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("media_type", MEDIA_TYPES)
def test_fetcher_decodes_undeclared_page(
    server: LocalServer, tmp_path: Path, name: str, media_type: str
) -> None:
    case = CASES[name]
    path = f"/fetch/{media_type}/{name}"

    result = serve_and_fetch(
        server, tmp_path, path, document_body(case, media_type), media_type
    )

    assert result.charset in case.charsets
    text = result.text()
    for word in case.words:
        assert word in text
    assert case.text in text


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("media_type", MEDIA_TYPES)
@pytest.mark.parametrize("decoded_by", ["fetcher", "extractor"])
def test_extracted_markdown_keeps_words(
    server: LocalServer, tmp_path: Path, name: str, media_type: str, decoded_by: str
) -> None:
    case = CASES[name]
    path = f"/extract/{decoded_by}/{media_type}/{name}"
    result = serve_and_fetch(
        server, tmp_path, path, document_body(case, media_type), media_type
    )

    document = extract_content(
        result.body,
        content_type=result.content_type,
        text=result.text() if decoded_by == "fetcher" else None,
        url=result.final_url,
    )

    for word in case.words:
        assert word in document.markdown
    assert case.text in document.markdown


def test_french_page_not_read_as_windows_1250(
    server: LocalServer, tmp_path: Path
) -> None:
    # charset_normalizer 3.5 ranks windows-1250 first for this page.
    sentence = (
        "Les données à caractère personnel nécessaire à la gestion du compte "
        "sont conservées."
    )
    body = (
        "<html><head><title>Politique</title></head>"
        f"<body><p>{sentence}</p></body></html>"
    ).encode("cp1252")

    result = serve_and_fetch(server, tmp_path, "/french-page", body)

    assert result.charset == "cp1252"
    assert sentence in result.text()
    assert "ŕ" not in result.text()
    assert "caractčre" not in result.text()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_page_with_bom(
    server: LocalServer, tmp_path: Path, encoding: str
) -> None:
    body = ("\ufeff" + page(FRENCH)).encode(encoding)

    result = serve_and_fetch(server, tmp_path, f"/bom/{encoding}", body)
    document = extract_content(
        result.body, content_type=result.content_type, text=None, url=result.final_url
    )

    assert result.charset == encoding
    assert FRENCH in result.text()
    assert FRENCH in document.markdown


def test_xml_declaration_names_charset(server: LocalServer, tmp_path: Path) -> None:
    xhtml = '<?xml version="1.0" encoding="ISO-8859-2"?>\n' + page(POLISH).replace(
        "<html>", '<html xmlns="http://www.w3.org/1999/xhtml">'
    )
    url = server.add(
        "/xhtml",
        Reply(
            headers={"Content-Type": "application/xhtml+xml"},
            body=xhtml.encode("iso-8859-2"),
        ),
    )

    result = fetch_once(make_settings(tmp_path), url)

    assert result.charset == "iso8859-2"
    assert POLISH in result.text()


@pytest.mark.parametrize(
    ("declaration", "expected"),
    [
        (b'<?xml version="1.0" encoding="windows-1250"?><a/>', "cp1250"),
        (b"  <?xml version='1.0' encoding='iso-8859-1'?><a/>", "cp1252"),
        (b'<?xml version="1.0" encoding="UTF-16"?><a/>', "utf-8"),
        (b'<?xml version="1.0"?><a encoding="koi8-r"/>', None),
        (b'<p>text</p><?xml version="1.0" encoding="koi8-r"?>', None),
    ],
)
def test_charset_from_xml_declaration(declaration: bytes, expected: str | None) -> None:
    assert charset_from_xml_declaration(declaration) == expected


def test_meta_charset_wins_over_xml_declaration() -> None:
    body = (
        '<?xml version="1.0" encoding="iso-8859-2"?>'
        '<html><head><meta charset="windows-1252"></head></html>'
    ).encode("ascii")

    assert resolve_charset(body, "text/html", html=True) == "cp1252"


@pytest.mark.parametrize(
    "text",
    [
        "Terms of service. Año 2024, last updated in March.",
        "Größe",
        "à été",
        "We don’t sell your data, and we don’t share it.",
    ],
)
def test_mostly_ascii_latin_text_not_read_as_cjk(text: str) -> None:
    body = text.encode("cp1252")

    charset = detect_charset(body)

    assert charset == "cp1252"
    assert body.decode(charset) == text


def test_utf16_without_bom_not_read_as_latin() -> None:
    body = page(FRENCH).encode("utf-16-le")

    charset = detect_charset(body)

    assert charset == "utf-16-le"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (FRENCH_SHORT, "cp1252", "cp1252"),
        (FRENCH_LATIN_9, "iso-8859-15", "iso8859-15"),
        (POLISH, "cp1250", "cp1250"),
        (POLISH, "iso-8859-2", "iso8859-2"),
        (CZECH, "iso-8859-2", "iso8859-2"),
        ("Kişisel verilerinizi yalnızca hizmet için işliyoruz.", "cp1254", "cp1254"),
    ],
)
def test_best_latin_reading(text: str, encoding: str, expected: str) -> None:
    reading = best_latin_reading(text.encode(encoding))

    assert reading is not None
    assert reading.charset == expected
    assert reading.misfits == 0


def test_best_latin_reading_prefers_windows_1252_on_tie() -> None:
    # Both code pages read these bytes as the same German letters.
    reading = best_latin_reading("Größe".encode("cp1252"), ["cp1250"])

    assert reading is not None
    assert reading.charset == "cp1252"


def test_best_latin_reading_skips_undefined_bytes() -> None:
    # 0x81 is undefined in the windows code pages and a C1 control in ISO-8859.
    reading = best_latin_reading(b"caf\xe9 \x81")

    assert reading is not None
    assert reading.charset.startswith("iso8859-")
    assert reading.misfits == 1

"""Selectors that pick the significant parts of a page: CSS selectors and ranges.

This module contains the one definition of ``RangeSelector`` and ``Selector`` that
both the declaration reader and the extraction stage use. CSS selectors are translated
here with cssselect, the engine that lxml uses, so a declaration that loads has
selectors that ``css_to_xpath`` can translate at extraction time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from cssselect import HTMLTranslator
from cssselect.parser import Function, SelectorSyntaxError
from cssselect.xpath import ExpressionError, XPathExpr


@dataclass(frozen=True)
class RangeSelector:
    """Content between two elements, as Open Terms Archive range selectors define it.

    A valid range sets exactly one start (``start_before`` keeps the start element,
    ``start_after`` drops it) and exactly one end (``end_before`` drops the end element,
    ``end_after`` keeps it). Each value is a CSS selector; the first match is used.
    """

    start_before: str | None = None
    start_after: str | None = None
    end_before: str | None = None
    end_after: str | None = None

    @property
    def css_selectors(self) -> tuple[str, ...]:
        """CSS selectors of the bounds that are set."""
        bounds = (self.start_before, self.start_after, self.end_before, self.end_after)
        return tuple(bound for bound in bounds if bound is not None)


Selector = str | RangeSelector

# Element names of the WHATWG HTML Living Standard, plus common obsolete ones.
_HTML_ELEMENTS = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button "
    "canvas caption center cite code col colgroup data datalist dd del details dfn "
    "dialog dir div dl dt em embed fieldset figcaption figure font footer form frame "
    "frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd "
    "label legend li link main map mark menu meta meter nav noscript object ol "
    "optgroup option output p param picture pre progress q rp rt ruby s samp script "
    "search section select slot small source span strong style sub summary sup table "
    "tbody td template textarea tfoot th thead time title tr track tt u ul var video "
    "wbr"
).split()


class _Translator(HTMLTranslator):
    """cssselect's HTML translator, extended to the ``*:...-of-type`` pseudo-classes.

    cssselect rejects ``:first-of-type`` and its relatives without an element name,
    because XPath 1.0 cannot compare a sibling's name with the current element's. The
    condition is written instead for each HTML element name and the results joined
    with ``or``, which is exact for HTML elements.
    """

    # NOTE: custom elements (names with a hyphen) never match such a selector.

    def xpath_nth_of_type_function(
        self, xpath: XPathExpr, function: Function
    ) -> XPathExpr:
        parent = super().xpath_nth_of_type_function
        return self._for_each_element(xpath, lambda expr: parent(expr, function))

    def xpath_nth_last_of_type_function(
        self, xpath: XPathExpr, function: Function
    ) -> XPathExpr:
        parent = super().xpath_nth_last_of_type_function
        return self._for_each_element(xpath, lambda expr: parent(expr, function))

    def xpath_first_of_type_pseudo(self, xpath: XPathExpr) -> XPathExpr:
        return self._for_each_element(xpath, super().xpath_first_of_type_pseudo)

    def xpath_last_of_type_pseudo(self, xpath: XPathExpr) -> XPathExpr:
        return self._for_each_element(xpath, super().xpath_last_of_type_pseudo)

    def xpath_only_of_type_pseudo(self, xpath: XPathExpr) -> XPathExpr:
        return self._for_each_element(xpath, super().xpath_only_of_type_pseudo)

    @staticmethod
    def _for_each_element(
        xpath: XPathExpr, translate: Callable[[XPathExpr], XPathExpr]
    ) -> XPathExpr:
        if xpath.element != "*":
            return translate(xpath)
        alternatives = []
        for name in _HTML_ELEMENTS:
            condition = translate(XPathExpr(element=name)).condition
            if not condition:
                # The pseudo-class matches every element, so it adds no condition.
                return xpath
            alternatives.append(f"(self::{name} and ({condition}))")
        return xpath.add_condition(" or ".join(alternatives))


_TRANSLATOR = _Translator()

# An attribute selector whose value is written without quotes, as in [href$=--es].
_UNQUOTED_ATTRIBUTE = re.compile(
    r"\[\s*(?P<name>[-\w|*:]+)\s*(?P<operator>[~|^$*]?=)\s*(?P<value>[^\s\"'\]]+)"
    r"(?P<flag>\s+[iIsS])?\s*\]"
)


class UnsupportedSelectorError(ValueError):
    """A valid CSS selector that cssselect cannot translate to XPath."""


def _quote_attribute_values(selector: str) -> str:
    def quote(match: re.Match[str]) -> str:
        value = match["value"].replace("\\", "\\\\").replace('"', '\\"')
        flag = match["flag"] or ""
        return f'[{match["name"]}{match["operator"]}"{value}"{flag}]'

    return _UNQUOTED_ATTRIBUTE.sub(quote, selector)


def normalize_css(selector: str) -> str:
    """Return ``selector`` in a form that cssselect compiles, or raise.

    Browsers accept unquoted attribute values that start with ``--`` (an identifier
    in CSS Syntax Level 3) but cssselect 1.x does not, so such values are quoted, which
    does not change what the selector matches. Raises ``ValueError`` with cssselect's
    reason for invalid syntax, and ``UnsupportedSelectorError`` for valid CSS that
    cssselect cannot translate (a pseudo-element such as ``::before``, for one).
    """
    # NOTE: valid Selectors Level 4 syntax that cssselect 1.6 cannot parse, such as
    # :nth-child(2 of .x), is reported as invalid syntax.
    try:
        _TRANSLATOR.css_to_xpath(selector)
        return selector
    except ExpressionError as error:
        raise UnsupportedSelectorError(str(error)) from error
    except SelectorSyntaxError as error:
        syntax_error = error

    quoted = _quote_attribute_values(selector)
    if quoted != selector:
        try:
            _TRANSLATOR.css_to_xpath(quoted)
            return quoted
        except SelectorSyntaxError:
            pass
        except ExpressionError as error:
            raise UnsupportedSelectorError(str(error)) from error
    raise ValueError(str(syntax_error)) from syntax_error


def css_to_xpath(selector: str) -> str:
    """Translate a CSS selector to XPath 1.0 for HTML documents.

    Use this rather than lxml's ``CSSSelector`` or plain cssselect: it also accepts
    the unquoted attribute values and ``*:nth-of-type()`` forms found in real
    declarations.
    """
    return str(_TRANSLATOR.css_to_xpath(normalize_css(selector)))

"""The names of document types, taken from Open Terms Archive.

Using Open Terms Archive's names lets clausewatch read its declarations and version
histories unchanged and compare the same kind of document across platforms. The list
and most aliases below are those of termsTypes.json in
github.com/OpenTermsArchive/terms-types at commit
52ed859102f09ded5f93e4a18f91cab15a4cf075.
"""

from __future__ import annotations

from clausewatch.suggestions import close_matches

TERMS_TYPES: tuple[str, ...] = (
    "Terms of Service",
    "Privacy Policy",
    "Imprint",
    "Trackers Policy",
    "Developer Terms",
    "Community Guidelines",
    "Deceased Users",
    "Acceptable Use Policy",
    "Restricted Use Policy",
    "Commercial Terms",
    "Copyright Claims Policy",
    "Law Enforcement Guidelines",
    "Human Rights Policy",
    "In-App Purchases Policy",
    "Review Guidelines",
    "Brand Guidelines",
    "Quality Guidelines",
    "Data Controller Agreement",
    "Data Processor Agreement",
    "User Consent Policy",
    "Closed Captioning Policy",
    "Seller Warranty",
    "Single Sign-On Policy",
    "Vulnerability Disclosure Policy",
    "Live Policy",
    "Complaints Policy",
    "Conditions of Carriage",
    "General Conditions of Sale",
    "Marketplace Buyers Conditions",
    "Marketplace Sellers Conditions",
    "Ranking Parameters Description",
    "Premium Partner Conditions",
    "Platform to Business Notice",
    "Business Mediation Policy",
    "Business Privacy Policy",
    "Editorial Policy",
    "Anti-corruption Policy",
    "Accessibility Statement",
    "Hyperlinks Policy",
    "Whistleblower Policy",
    "Affiliate Agreement",
    "Service Level Agreement",
    "Content Monetisation Policy",
    "Advertising Content Policy",
)

# Names that platforms use for a type, lower-cased. Open Terms Archive lists these as
# aliases, and the last group adds common names of AI and cookie policies.
_ALIASES: dict[str, str] = {
    "terms and conditions": "Terms of Service",
    "terms of use": "Terms of Service",
    "legal notice": "Imprint",
    "cookies policy": "Trackers Policy",
    "developer policy": "Developer Terms",
    "developer agreement": "Developer Terms",
    "community standards": "Community Guidelines",
    "fair use policy": "Acceptable Use Policy",
    "acceptable usage policy": "Acceptable Use Policy",
    "limited use policy": "Restricted Use Policy",
    "restriction policy": "Restricted Use Policy",
    "copyright infringement policy": "Copyright Claims Policy",
    "intellectual property policy": "Copyright Claims Policy",
    "legal process guidelines": "Law Enforcement Guidelines",
    "branding policies": "Brand Guidelines",
    "trademark usage guidelines": "Brand Guidelines",
    "quality standards": "Quality Guidelines",
    "data processing agreement": "Data Processor Agreement",
    "closed captioning guidelines": "Closed Captioning Policy",
    "captioning policy": "Closed Captioning Policy",
    "closed captioning standards": "Closed Captioning Policy",
    "security disclosure policy": "Vulnerability Disclosure Policy",
    "transport conditions": "Conditions of Carriage",
    "seller agreement": "Marketplace Sellers Conditions",
    "premium partner program": "Premium Partner Conditions",
    "editorial guidelines": "Editorial Policy",
    "anti-bribery policy": "Anti-corruption Policy",
    "accessibility policy": "Accessibility Statement",
    "links policy": "Hyperlinks Policy",
    "linking policy": "Hyperlinks Policy",
    "external links policy": "Hyperlinks Policy",
    "outgoing links policy": "Hyperlinks Policy",
    "whistleblower protections": "Whistleblower Policy",
    "affiliate policy": "Affiliate Agreement",
    "service level addendum": "Service Level Agreement",
    "content monetization policy": "Content Monetisation Policy",
    "ads policies": "Advertising Content Policy",
    "ads content policies": "Advertising Content Policy",
    "cookie policy": "Trackers Policy",
    "usage policy": "Acceptable Use Policy",
    "usage policies": "Acceptable Use Policy",
    "ai usage policy": "Acceptable Use Policy",
    "generative ai policy": "Acceptable Use Policy",
    "prohibited use policy": "Acceptable Use Policy",
}


def suggest_terms_type(name: str) -> str | None:
    """Return the terms type that ``name`` is an alias or a close mistyping of.

    Returns None for a name that only shares a word such as "Policy" with the
    types ("Banana Policy"), so that no unrelated type is offered.
    """
    alias = _ALIASES.get(name.strip().lower())
    if alias is not None:
        return alias
    type_of = {terms_type.lower(): terms_type for terms_type in TERMS_TYPES}
    type_of.update(_ALIASES)
    close = close_matches(name, type_of, limit=1)
    return type_of[close[0]] if close else None


def quoted_terms_types() -> str:
    """Return every terms type, quoted and separated by commas, for error messages."""
    return ", ".join(f'"{terms_type}"' for terms_type in TERMS_TYPES)

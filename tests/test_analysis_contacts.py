"""Contact extraction from policy Markdown written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.analysis import Contact, extract_contacts

POLICY = """\
# Privacy Notice of Example

## Your rights

To exercise your rights, send a request to
[our privacy team](mailto:privacy@example.com?subject=Request) or use the
[privacy request form](/privacy/request-form). We answer within a month.

You can also reach our Data Protection Officer at dpo@example.eu, or e-mail
privacy@example.com again if you prefer.

For press inquiries, write to press@example.com. Journalists can also call us.

Our general address for business matters is hello@example.com.

## Deleting your data

You can [delete your account](https://example.com/account/delete) at any time. To ask
for the deletion of your personal data without closing the account, go
[here](https://example.com/help/data-deletion).

Download your information from [Export your data](/settings/export).

## Choices

You can opt out of personalised ads on [this page](https://example.com/ads/opt-out).
Manage what we collect in your [privacy settings](https://example.com/settings/privacy).

Do not click [this](javascript:alert(1)) or [that](ftp://example.com/file).
Read our [Privacy Policy](https://example.com/privacy) and [Terms](https://example.com/terms).

## Contact

If you would rather write to us, our mailing address is:

Example Ltd.
Attn: Privacy Office
12 Harbour Street
Dublin 2
D02 XY12
Ireland
"""


@pytest.fixture(scope="module")
def contacts() -> list[Contact]:
    return extract_contacts(POLICY, base_url="https://example.com/legal/privacy")


def values_of(contacts: list[Contact], kind: str) -> list[str]:
    return [contact.value for contact in contacts if contact.kind == kind]


def test_mailto_link_is_privacy_email(contacts: list[Contact]) -> None:
    assert values_of(contacts, "privacy_email") == ["privacy@example.com"]


def test_plain_address_near_dpo_is_dpo_email(contacts: list[Contact]) -> None:
    assert values_of(contacts, "dpo_email") == ["dpo@example.eu"]


def test_press_and_general_addresses_ignored(contacts: list[Contact]) -> None:
    values = [contact.value for contact in contacts]

    assert "press@example.com" not in values
    assert "hello@example.com" not in values


def test_relative_link_resolved(contacts: list[Contact]) -> None:
    assert values_of(contacts, "privacy_request_form_url") == [
        "https://example.com/privacy/request-form"
    ]
    assert values_of(contacts, "data_export_url") == [
        "https://example.com/settings/export"
    ]


def test_deletion_pages(contacts: list[Contact]) -> None:
    assert values_of(contacts, "account_deletion_url") == [
        "https://example.com/account/delete"
    ]
    assert values_of(contacts, "deletion_request_url") == [
        "https://example.com/help/data-deletion"
    ]


def test_opt_out_and_settings(contacts: list[Contact]) -> None:
    assert values_of(contacts, "opt_out_url") == ["https://example.com/ads/opt-out"]
    assert values_of(contacts, "settings_url") == [
        "https://example.com/settings/privacy"
    ]


def test_only_http_and_mail_values(contacts: list[Contact]) -> None:
    for contact in contacts:
        if contact.href is not None:
            assert contact.href.startswith(("https://", "http://", "mailto:"))


def test_policy_links_are_not_contacts(contacts: list[Contact]) -> None:
    values = [contact.value for contact in contacts]

    assert "https://example.com/privacy" not in values
    assert "https://example.com/terms" not in values


def test_postal_address_block(contacts: list[Contact]) -> None:
    assert values_of(contacts, "postal_address") == [
        "Example Ltd., Attn: Privacy Office, 12 Harbour Street, Dublin 2, D02 XY12, "
        "Ireland"
    ]


def test_context_is_source_sentence(contacts: list[Contact]) -> None:
    dpo = next(contact for contact in contacts if contact.kind == "dpo_email")

    assert dpo.context.startswith("You can also reach our Data Protection Officer")


def test_repeated_contact_ranks_first(contacts: list[Contact]) -> None:
    assert contacts[0] == Contact(
        "privacy_email",
        "privacy@example.com",
        "To exercise your rights, send a request to our privacy team or use the "
        "privacy request form.",
    )


def test_href_by_kind() -> None:
    assert Contact("privacy_email", "a@b.org", "").href == "mailto:a@b.org"
    assert Contact("postal_address", "1 Main St", "").href is None
    assert Contact("dispute_postal_address", "1 Main St", "").href is None
    assert Contact("opt_out_url", "https://b.org/o", "").href == "https://b.org/o"


def test_relative_links_skipped_without_base() -> None:
    markdown = "Use the [privacy request form](/privacy/request-form) to ask."

    assert extract_contacts(markdown) == []


def test_relative_link_with_base() -> None:
    markdown = "Use the [privacy request form](/privacy/request-form) to ask."

    contacts = extract_contacts(markdown, base_url="https://example.org/a/b")

    assert [contact.value for contact in contacts] == [
        "https://example.org/privacy/request-form"
    ]


def test_generic_anchor_uses_sentence() -> None:
    markdown = "If you want to close your account, click [here](https://x.example/c)."

    contacts = extract_contacts(markdown)

    assert [(c.kind, c.value) for c in contacts] == [
        ("account_deletion_url", "https://x.example/c")
    ]


def test_heading_gives_evidence_to_email() -> None:
    markdown = "## Data Protection Officer\n\nWrite to officer@example.org."

    contacts = extract_contacts(markdown)

    assert [(c.kind, c.value) for c in contacts] == [
        ("dpo_email", "officer@example.org")
    ]


def test_invisible_characters_removed() -> None:
    markdown = "Reach us at [privacy@example.org\u2060](mailto:privacy@example.org)."

    contacts = extract_contacts(markdown)

    assert [c.value for c in contacts] == ["privacy@example.org"]


def test_inline_postal_address() -> None:
    markdown = (
        "Mailing address: Example Inc., Attn: Privacy, 1 Main Street, Springfield, "
        "IL 62701. Telephone: +1 555 0100."
    )

    contacts = extract_contacts(markdown)

    assert [c.value for c in contacts if c.kind == "postal_address"] == [
        "Example Inc., Attn: Privacy, 1 Main Street, Springfield, IL 62701"
    ]


def test_registered_office_is_not_mail_address() -> None:
    markdown = (
        "These terms are between you and Example Inc., located at 1 Main Street, "
        "Springfield, IL 62701, USA."
    )

    assert extract_contacts(markdown) == []


def test_postal_block_stops_at_list_item() -> None:
    markdown = (
        "- **Contact**\n\n    You can write to us at:\n\n    Example Ltd.\n"
        "    Attn: Privacy Office\n    12 Harbour Street\n    Dublin 2\n\n"
        "- **Last revised**\n\n    March 3, 2025\n"
    )

    contacts = extract_contacts(markdown)

    assert [c.value for c in contacts if c.kind == "postal_address"] == [
        "Example Ltd., Attn: Privacy Office, 12 Harbour Street, Dublin 2"
    ]


def test_copyright_agent_address_ignored() -> None:
    markdown = (
        "To report copyright infringement, write to our agent:\n\n"
        "Example Inc.\nAttn: Copyright Agent\n1 Main Street\nSpringfield, IL 62701\n"
    )

    assert extract_contacts(markdown) == []


def test_empty_text() -> None:
    assert extract_contacts("") == []


def test_own_site_ranks_first() -> None:
    markdown = (
        "You can opt out at [Adtech](https://tracker.example.net/opt-out) or on our "
        "[opt-out page](https://www.example.co.uk/opt-out)."
    )

    contacts = extract_contacts(markdown, base_url="https://help.example.co.uk/privacy")

    assert [c.value for c in contacts] == [
        "https://www.example.co.uk/opt-out",
        "https://tracker.example.net/opt-out",
    ]


@pytest.mark.parametrize(
    ("service", "kind", "value"),
    [
        ("ChatGPT", "privacy_email", "privacy@openai.com"),
        ("ChatGPT", "dpo_email", "dpo@openai.com"),
        ("Claude.ai", "privacy_email", "privacy@anthropic.com"),
        ("Claude.ai", "dpo_email", "dpo@anthropic.com"),
        ("DeepSeek", "privacy_email", "privacy@deepseek.com"),
    ],
)
def test_real_policy_contacts(
    corpus_dir: Path, service: str, kind: str, value: str
) -> None:
    latest = sorted((corpus_dir / service / "Privacy Policy").glob("*.md"))[-1]

    contacts = extract_contacts(latest.read_text(encoding="utf-8"))

    assert values_of(contacts, kind)[0] == value


def test_autolinks_are_read() -> None:
    markdown = (
        "## Your rights\n\nTo delete your data, visit "
        "<https://example.org/privacy/delete> or write to "
        "<mailto:privacy@example.org>.\n"
    )
    contacts = extract_contacts(markdown, base_url="https://example.org/privacy")
    values = {contact.value for contact in contacts}
    assert "privacy@example.org" in values
    assert "https://example.org/privacy/delete" in values


# Each case reaches a contact along a path that a shortcut in the scanner or the
# extractor skips for other text: a sentence without "@", a link short of the
# threshold without its sentence, list items after a lead-in, hard line breaks.
@pytest.mark.parametrize(
    ("markdown", "kind", "value"),
    [
        (
            "Ask [our privacy team](mailto:privacy@example.org?subject=Hi) anything.",
            "privacy_email",
            "privacy@example.org",
        ),
        (
            "Questions about your personal data go to info@example.org",
            "privacy_email",
            "info@example.org",
        ),
        (
            "Submit a privacy request through our [web form](https://example.org/f).",
            "privacy_request_form_url",
            "https://example.org/f",
        ),
        (
            "[Read about it](https://example.org/privacy/webform) to submit a request.",
            "privacy_request_form_url",
            "https://example.org/privacy/webform",
        ),
        (
            "## Delete your account\n\n"
            "Go to [the account page](https://example.org/delete-account).",
            "account_deletion_url",
            "https://example.org/delete-account",
        ),
        (
            "To delete your data, see <https://example.org/privacy/erasure>.",
            "deletion_request_url",
            "https://example.org/privacy/erasure",
        ),
        (
            "Our addresses are:\n\n- Visitors welcome.\n"
            "- Example Ltd, 12 Harbour Street, Dublin 2, Ireland\n",
            "postal_address",
            "Example Ltd, 12 Harbour Street, Dublin 2, Ireland",
        ),
        (
            "You can write to us at:\n\nExample Ltd.\\\nAttn: Privacy Office\\\n"
            "12 Harbour Street  \nDublin 2\n",
            "postal_address",
            "Example Ltd., Attn: Privacy Office, 12 Harbour Street, Dublin 2",
        ),
        (
            "By post: Example Inc., 1 Main Street, Springfield IL 62701. "
            "Phone: +1 555 0100.",
            "postal_address",
            "Example Inc., 1 Main Street, Springfield IL 62701",
        ),
    ],
    ids=[
        "mailto-without-at-in-text",
        "plain-email-without-link",
        "web-form-link",
        "url-and-sentence-cues",
        "url-and-heading-cues",
        "autolink",
        "list-item-after-short-item",
        "block-with-hard-breaks",
        "inline-before-phone",
    ],
)
def test_contact_found(markdown: str, kind: str, value: str) -> None:
    contacts = extract_contacts(markdown)

    assert (kind, value) in [(contact.kind, contact.value) for contact in contacts]


def test_link_with_url_cue_alone_is_not_contact() -> None:
    markdown = "[Read about it](https://example.org/privacy/webform) in our help pages."

    assert extract_contacts(markdown) == []


def test_list_lead_in_expires_after_three_sentences() -> None:
    markdown = (
        "Our addresses are:\n\n- Visitors welcome.\n- Parking available.\n"
        "- Lifts provided.\n- Example Ltd, 12 Harbour Street, Dublin 2, Ireland\n"
    )

    assert extract_contacts(markdown) == []


# A regulator's or an abuse desk's address in a privacy policy is not a way to reach
# the platform about one's data, however close it sits to privacy words.
@pytest.mark.parametrize(
    "markdown",
    [
        "## Complaints\n\nIn the UK, the relevant data protection authority is the "
        "Information Commissioner's Office, 3 Example Lane, Wilmslow, SK9 1AA, "
        "email: casework@regulator.example.\n",
        "You may lodge a complaint with your local supervisory authority, for "
        "example the Data Protection Commission at info@dpc.example.\n",
        "## Privacy questions\n\nYou can also complain to the Commissioner at "
        "complaints@commissioner.example.\n",
        "## Your privacy\n\nTo report illegal content involving children, e-mail "
        "abuse-csam@example.com and name it in the subject.\n",
    ],
    ids=["regulator-office", "supervisory-authority", "commissioner", "abuse-desk"],
)
def test_other_desks_are_not_privacy_email(markdown: str) -> None:
    assert extract_contacts(markdown) == []


def test_privacy_email_beside_regulator_kept() -> None:
    markdown = (
        "## Privacy questions\n\nWrite to privacy@example.com. You can also "
        "complain to the Commissioner at complaints@commissioner.example.\n"
    )

    assert values_of(extract_contacts(markdown), "privacy_email") == [
        "privacy@example.com"
    ]


def test_arbitration_notice_address_is_dispute_email() -> None:
    text = (
        "You may opt out of this agreement to arbitrate by sending a signed notice "
        "to legal-desk@shopco.example within 30 days.\n"
    )

    found = extract_contacts(text)

    assert [(c.kind, c.value) for c in found] == [
        ("dispute_email", "legal-desk@shopco.example")
    ]


def test_arbitration_body_address_ignored() -> None:
    text = (
        "Rules for a demand for arbitration are available from the JAMS office, "
        "which you can reach at casefiling@arbiters.example.\n"
    )

    assert extract_contacts(text) == []


def test_wrapped_link_ignored() -> None:
    text = (
        "Change what we collect in your [privacy settings](https://print.example.com/"
        "policy/https%3A%2F%2Fexample.com%2Fsettings%2Fprivacy).\n"
    )

    assert extract_contacts(text, base_url="https://example.com/privacy") == []


def test_return_address_in_query_kept() -> None:
    url = "https://example.com/settings/privacy?next=https%3A%2F%2Fexample.com%2F"
    text = f"Change what we collect in your [privacy settings]({url}).\n"

    found = extract_contacts(text, base_url="https://example.com/privacy")

    assert values_of(found, "settings_url") == [url]


OTHER_SITE_POLICY = """\
Read the [home page](https://example.com/) and the [blog](https://example.com/blog)
and our [news](https://example.com/news).

For the analytics shown to page owners and how to exercise your rights, see
[here](https://social.example/legal/owner_insights_terms).

To exercise your rights with our partner, see [here](https://help.partner.example/rights).
"""


def test_other_site_page_needs_own_evidence() -> None:
    found = extract_contacts(OTHER_SITE_POLICY)

    values = [contact.value for contact in found]
    assert "https://social.example/legal/owner_insights_terms" not in values
    assert "https://help.partner.example/rights" in values


def test_accessibility_settings_not_privacy_settings() -> None:
    text = (
        "For screen readers and other accessibility settings, see "
        "[this article](https://example.com/help/accessibility-settings).\n"
    )

    assert extract_contacts(text, base_url="https://example.com/privacy") == []


def test_postal_block_after_this_address() -> None:
    markdown = (
        "You may opt out of this agreement to arbitrate within 30 days. You must "
        "use this address to opt out:\n\nExample LLC\n\nArbitration Opt-Out\n\n"
        "12 Harbour Street,\n\nSpringfield, IL 62701\n"
    )

    contacts = extract_contacts(markdown)

    assert [c.value for c in contacts if c.kind == "dispute_postal_address"] == [
        "Example LLC, Arbitration Opt-Out, 12 Harbour Street, Springfield, IL 62701"
    ]


def postal_values(markdown: str) -> list[str]:
    return [c.value for c in extract_contacts(markdown) if c.kind == "postal_address"]


@pytest.mark.parametrize(
    ("markdown", "value"),
    [
        (
            "If you live in Europe, our mailing address is: Example Trading Ltd, a "
            "company registered in England and Wales and located at 4 Orchard Lane, "
            "Leeds, LS1 4AB, United Kingdom, with company number 01234567.",
            "Example Trading Ltd, 4 Orchard Lane, Leeds, LS1 4AB, United Kingdom",
        ),
        (
            "You can write to us at:\n\nExample Services Limited, an Irish company "
            "limited by shares  \nUnit 5, Quay House  \nDublin 2  \nIreland  \n"
            "Legal Representative - Jane Roe, Director  \nShare Capital - €10,000.00\n",
            "Example Services Limited, Unit 5, Quay House, Dublin 2, Ireland",
        ),
        (
            "Write to us by post:\n\nExample GmbH\nCommercial register: HRB 98765\n"
            "VAT number: DE123456789\nMusterweg 3\n10115 Berlin\nGermany\n",
            "Example GmbH, Musterweg 3, 10115 Berlin, Germany",
        ),
        (
            "Mailing address: Example Corp., a Delaware corporation, 9 Elm Street, "
            "Springfield, IL 62701 (Registration No. 5550123).",
            "Example Corp., 9 Elm Street, Springfield, IL 62701",
        ),
    ],
    ids=[
        "inline-registered-in-england",
        "block-share-capital",
        "block-register-lines-inside",
        "inline-company-form",
    ],
)
def test_postal_address_leaves_out_register_details(markdown: str, value: str) -> None:
    assert postal_values(markdown) == [value]


def test_postal_block_leaves_out_lead_in_line() -> None:
    markdown = (
        "Questions? By post:\n\nExample Inc.\n12 Harbour Street\n"
        "Springfield, IL 62701\n"
    )

    assert postal_values(markdown) == [
        "Example Inc., 12 Harbour Street, Springfield, IL 62701"
    ]


def postal_kinds_and_values(markdown: str) -> list[tuple[str, str]]:
    return [
        (contact.kind, contact.value)
        for contact in extract_contacts(markdown)
        if contact.kind in {"postal_address", "dispute_postal_address"}
    ]


@pytest.mark.parametrize(
    ("markdown", "value"),
    [
        (
            "Before starting arbitration you must describe your claim in writing. Any "
            "notice of dispute you send us should be mailed to Example Inc., Attn: "
            "Claims Desk, 5 Birch Road, Springfield, IL 62704.",
            "Example Inc., Attn: Claims Desk, 5 Birch Road, Springfield, IL 62704",
        ),
        (
            "To leave this arbitration agreement, you must either mail your opt-out "
            "notice to this address: Example Inc., Attn: Opt-Outs, 5 Birch Road, "
            "Springfield, IL 62704, or e-mail it to optouts@example.com.",
            "Example Inc., Attn: Opt-Outs, 5 Birch Road, Springfield, IL 62704",
        ),
        (
            "Notice to us should be sent by mail to Example Inc., Attn: Disputes, "
            "5 Birch Road, Springfield, IL 62704. or claims@example.com.",
            "Example Inc., Attn: Disputes, 5 Birch Road, Springfield, IL 62704",
        ),
        (
            "Notices to the company must be sent by certified mail addressed to "
            "Example Inc., 5 Birch Road, Springfield, IL 62704, Attention: Legal "
            "Department.",
            "Example Inc., 5 Birch Road, Springfield, IL 62704, Attention: Legal "
            "Department",
        ),
        (
            "Any demand under this arbitration clause must be mailed to Example "
            "Inc., 5 Birch Rd. Springfield, IL 62704.",
            "Example Inc., 5 Birch Rd. Springfield, IL 62704",
        ),
    ],
    ids=[
        "mailed-to-after-notice-words",
        "to-this-address-then-email",
        "attention-disputes-then-email",
        "attention-legal-department",
        "street-abbreviation",
    ],
)
def test_dispute_postal_address_found(markdown: str, value: str) -> None:
    assert postal_kinds_and_values(markdown) == [("dispute_postal_address", value)]


def test_legal_desk_for_privacy_mail_stays_postal() -> None:
    markdown = (
        "For questions about your personal data, write to us at: Example Inc., "
        "Attn: Legal and Privacy, 5 Birch Road, Springfield, IL 62704."
    )

    assert postal_kinds_and_values(markdown) == [
        (
            "postal_address",
            "Example Inc., Attn: Legal and Privacy, 5 Birch Road, Springfield, "
            "IL 62704",
        )
    ]


def test_address_for_privacy_and_disputes_found_as_both() -> None:
    markdown = (
        "You can also reach us by mail at 5 Birch Road, Springfield, IL 62704, USA.\n\n"
        "To opt out of arbitration, send notice by certified mail addressed to "
        "5 Birch Road, Springfield, IL 62704, USA.\n"
    )

    assert sorted(postal_kinds_and_values(markdown)) == [
        ("dispute_postal_address", "5 Birch Road, Springfield, IL 62704, USA"),
        ("postal_address", "5 Birch Road, Springfield, IL 62704, USA"),
    ]


def test_arbitration_body_postal_address_ignored() -> None:
    markdown = (
        "Arbitration demands are filed by mail to the American Arbitration "
        "Association, Case Filing Services, 5 Birch Road, Springfield, IL 62704."
    )

    assert extract_contacts(markdown) == []


# Addresses that terms give for purposes other than privacy requests: a copy of the
# terms, takedown notices, and requests from the police or the courts.
@pytest.mark.parametrize(
    "markdown",
    [
        "A printed copy of these terms is yours for the asking: send a letter to "
        "Terms Inquiries, PO Box 4321, Springfield, IL 62701, USA.",
        "Send DMCA takedown notices by mail to Example Inc., Attn: Designated "
        "Agent, 5 Birch Road, Springfield, IL 62704.",
        "Law enforcement agencies may serve legal process on us by mail at: "
        "Example Inc., 5 Birch Road, Springfield, IL 62704.",
        "Subpoenas and court orders go by post to:\n\nExample Inc.\n"
        "Custodian of Records\n5 Birch Road\nSpringfield, IL 62704\n",
        "## Your privacy\n\nPolice forces and other law enforcement "
        "bodies can reach our response team at requests@example.com.\n",
    ],
    ids=[
        "terms-inquiries",
        "dmca-agent",
        "law-enforcement-inline",
        "custodian-of-records-block",
        "law-enforcement-email",
    ],
)
def test_non_privacy_desks_ignored(markdown: str) -> None:
    assert extract_contacts(markdown) == []


def test_cancellation_address_found_as_postal() -> None:
    markdown = (
        "To cancel your membership, mail a signed notice to: Example Inc., Attn: "
        "Cancellations, PO Box 4321, Springfield, IL 62701, USA."
    )

    assert postal_kinds_and_values(markdown) == [
        (
            "postal_address",
            "Example Inc., Attn: Cancellations, PO Box 4321, Springfield, IL 62701, "
            "USA",
        )
    ]


def test_long_company_list_address_found() -> None:
    # Three company names joined by "/" make this address longer than 220 characters,
    # but it has only six parts.
    markdown = (
        "Formal notices to the marketplace must be delivered by courier to the "
        "following entity and address: Example Marketplace Holdings Private Limited/"
        "Example Trading Services Co. Ltd/Example Marketplace Europe Pte. Ltd. (as "
        "the case may be), 12/F Harbour Tower, Pier Square, 8 Quayside Road, "
        "Central, Hong Kong, Attn: Legal Department, Example Marketplace."
    )

    [(kind, value)] = postal_kinds_and_values(markdown)

    assert len(value) > 220
    assert kind == "dispute_postal_address"
    assert value == (
        "Example Marketplace Holdings Private Limited/Example Trading Services Co. "
        "Ltd/Example Marketplace Europe Pte. Ltd., 12/F Harbour Tower, Pier Square, "
        "8 Quayside Road, Central, Hong Kong, Attn: Legal Department, Example "
        "Marketplace"
    )


def test_run_on_sentence_is_not_address() -> None:
    # No street word or postcode marks where the address starts, so the whole
    # sentence would pass for one if its words of prose were not noticed.
    markdown = (
        "Notices to the company shall be made in writing and sent by certified mail "
        "to the office, 7F, Harbour Tower, Seaside-dong, 88 Harbour-ro, Jung-gu, "
        "Busan, Republic of Korea."
    )

    assert not any("shall" in value for _, value in postal_kinds_and_values(markdown))


def test_address_for_notices_lead_left_out() -> None:
    markdown = (
        "The company's address for legal notices is: Example Inc., Attn: General "
        "Counsel, 5 Birch Road, Springfield, IL 62704."
    )

    assert postal_kinds_and_values(markdown) == [
        (
            "dispute_postal_address",
            "Example Inc., Attn: General Counsel, 5 Birch Road, Springfield, IL 62704",
        )
    ]


TERMS_WITH_CONTACT_SECTION = """\
## 9. Arbitration

To opt out of this arbitration agreement, send your opt-out notice through one of the
means listed in Section 14 (Contact Us) below within 30 days.

## 14. Contact Us

You can write to us at:

Example Inc.
5 Birch Road
Springfield, IL 62704

Or e-mail hello@example.com. Reporters can write to press@example.com.

## 15. Offices

Our other office is at:

Example Europe Ltd.
8 Quay Road
Dublin 2
"""


def dispute_contacts(markdown: str) -> list[tuple[str, str]]:
    return [
        (contact.kind, contact.value)
        for contact in extract_contacts(markdown)
        if contact.kind in {"dispute_email", "dispute_postal_address"}
    ]


@pytest.mark.parametrize(
    "reference", ["Section 14 (Contact Us)", "Section 14", "section 14 (contact us)"]
)
def test_referenced_section_gives_dispute_contacts(reference: str) -> None:
    markdown = TERMS_WITH_CONTACT_SECTION.replace("Section 14 (Contact Us)", reference)

    found = extract_contacts(markdown)

    disputes = [c for c in found if c.kind.startswith("dispute_")]
    assert sorted((c.kind, c.value) for c in disputes) == [
        ("dispute_email", "hello@example.com"),
        ("dispute_postal_address", "Example Inc., 5 Birch Road, Springfield, IL 62704"),
    ]
    assert all(reference in c.context for c in disputes)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Section 14 (Contact Us)", "Section 14 (Fees)"),
        ("Section 14 (Contact Us) below", "Section 14 of our Privacy Policy"),
        (
            "Section 14 (Contact Us) below",
            "Section 14 (Contact Us) of our Privacy Policy",
        ),
        ("Section 14 (Contact Us)", "Section 12 (Contact Us)"),
        ("Section 14 (Contact Us)", "Section 14(b)"),
        ("## 9. Arbitration", "## 9. Feedback"),
    ],
    ids=[
        "other-title",
        "other-document",
        "other-document-with-title",
        "no-such-section",
        "subsection",
        "not-about-disputes",
    ],
)
def test_section_reference_not_followed(old: str, new: str) -> None:
    markdown = TERMS_WITH_CONTACT_SECTION.replace(old, new)
    if old.startswith("##"):
        markdown = markdown.replace("arbitration agreement", "newsletter")

    assert dispute_contacts(markdown) == []


@pytest.mark.parametrize(
    ("markdown", "kind", "value"),
    [
        (
            "You can opt out at https://acme.example/settings/ai.",
            "settings_url",
            "https://acme.example/settings/ai",
        ),
        (
            "To delete your data, visit www.acme.example/privacy/delete-data.",
            "deletion_request_url",
            "https://www.acme.example/privacy/delete-data",
        ),
        (
            "## Your choices\n\nTo stop marketing e-mails (see "
            "https://acme.example/email/unsubscribe), follow the steps there.",
            "opt_out_url",
            "https://acme.example/email/unsubscribe",
        ),
        (
            "For interest-based ads, opt out at www.ads-choices.example/opt-out.",
            "opt_out_url",
            "https://www.ads-choices.example/opt-out",
        ),
    ],
    ids=["finding-sentence", "www-host", "in-brackets", "other-site-with-url-cue"],
)
def test_bare_url_found(markdown: str, kind: str, value: str) -> None:
    contacts = extract_contacts(markdown, base_url="https://acme.example/privacy")

    assert [(c.kind, c.value) for c in contacts] == [(kind, value)]


@pytest.mark.parametrize(
    "markdown",
    [
        # A page on another site whose URL has no cue and no word of a page to act
        # on, so its sentence's deletion words are not enough.
        "To delete your data, read the guide at https://guides.example/article/42.",
        "You may complain to the Information Commissioner about data deletion at "
        "https://regulator.example/complaints/delete-data.",
        "For press inquiries about opting out, see https://acme.example/press/opt-out.",
        "To delete your data, see https://acme.example/privacy/delete%2Fdata.",
        "Change the accessibility settings at https://acme.example/settings/a11y.",
        "Read our Privacy Policy at https://acme.example/privacy before you opt out.",
    ],
    ids=["off-site", "regulator", "press-desk", "wrapped", "accessibility", "policy"],
)
def test_bare_url_not_contact(markdown: str) -> None:
    assert extract_contacts(markdown, base_url="https://acme.example/privacy") == []


def test_bare_url_without_home_site_needs_own_evidence() -> None:
    markdown = (
        "You confirm that no export exclusion list names you "
        "(see http://lists.gov.example/checklist.htm). To export your data, go to "
        "https://acme.example/account/export."
    )

    contacts = extract_contacts(markdown)

    assert [c.value for c in contacts] == ["https://acme.example/account/export"]


def test_bare_url_beside_its_link_counts_once() -> None:
    # Both pages have the same evidence, so the page mentioned first ranks first
    # unless the second one's repeated URL is counted twice.
    markdown = (
        "To delete your data, use [https://acme.example/delete-y]"
        "(https://acme.example/delete-y).\n\n"
        "To delete your data, use https://acme.example/delete-x "
        "([https://acme.example/delete-x](https://acme.example/delete-x)).\n"
    )

    contacts = extract_contacts(markdown, base_url="https://acme.example/privacy")

    assert [c.value for c in contacts] == [
        "https://acme.example/delete-y",
        "https://acme.example/delete-x",
    ]


def test_bare_urls_do_not_make_home_site() -> None:
    # Four plain mentions of a partner's pages outnumber the three links to the
    # platform's site but do not make the partner's site the document's own, so a
    # link there still needs evidence of its own.
    markdown = (
        "See [our help](https://acme.example/help), [our blog](https://acme.example/b)"
        " and [our shop](https://acme.example/shop).\n\n"
        "Partners: https://partner.example/a, https://partner.example/b, "
        "https://partner.example/c and https://partner.example/d.\n\n"
        "To exercise your rights over their data, see "
        "[here](https://partner.example/insights-terms).\n"
    )

    assert extract_contacts(markdown) == []

"""Resolving a clause type's actions against a platform's contacts."""

from __future__ import annotations

import pytest

from clausewatch.analysis import CONTACT_KINDS as ANALYSIS_CONTACT_KINDS
from clausewatch.analysis import Contact, cues, extract_contacts, resolve_actions
from clausewatch.analysis.actions import MAX_CONTACTS_PER_ACTION
from clausewatch.taxonomy import CONTACT_KINDS as TAXONOMY_CONTACT_KINDS
from clausewatch.taxonomy import Action, ClauseType, Severity, default_taxonomy
from clausewatch.taxonomy.models import CONTACT_TOPICS

OPT_OUT = Action(
    kind="opt_out",
    label="Turn off training",
    needs=("opt_out_url", "settings_url"),
    caveat="An opt-out applies to future data only.",
)
DELETE = Action(
    kind="delete_data",
    label="Delete your data",
    needs=("deletion_request_url",),
    caveat="Copies in trained models stay.",
)
COMPLAIN = Action(
    kind="file_complaint",
    label="Complain to a regulator",
    needs=(),
    caveat="Investigations take months.",
)


def make_clause_type(*actions: Action) -> ClauseType:
    return ClauseType(
        id="example_training",
        name="Example clause type",
        category="Artificial intelligence",
        severity=Severity.HIGH,
        severity_reason="Training data cannot be taken back out of a model.",
        what_it_is="{platform} uses {subject}.",
        why_it_matters="It matters.",
        consumer_impact="It affects you.",
        actions=actions,
        regulation_ids=(),
        agency_ids=(),
        related_ids=(),
        positive_examples=(),
        negative_examples=(),
        subject_default="your content",
    )


def contact(kind: str, value: str) -> Contact:
    return Contact(kind, value, f"Sentence about {value}.")


def test_action_gets_matching_contacts_in_needs_order() -> None:
    contacts = [
        contact("settings_url", "https://e.example/settings"),
        contact("opt_out_url", "https://e.example/opt-out"),
        contact("privacy_email", "privacy@e.example"),
    ]

    [resolved] = resolve_actions(make_clause_type(OPT_OUT), contacts, platform="E")

    assert resolved.kind == "opt_out"
    assert resolved.label == "Turn off training"
    assert resolved.caveat == "An opt-out applies to future data only."
    assert [c.value for c in resolved.contacts] == [
        "https://e.example/opt-out",
        "https://e.example/settings",
    ]


def test_each_needed_kind_shows_within_maximum() -> None:
    contacts = [contact("opt_out_url", f"https://e.example/o{i}") for i in range(5)]
    contacts.append(contact("settings_url", "https://e.example/settings"))

    [resolved] = resolve_actions(make_clause_type(OPT_OUT), contacts)

    assert len(resolved.contacts) == MAX_CONTACTS_PER_ACTION
    assert resolved.contacts[-1].kind == "settings_url"


def test_missing_page_falls_back_to_email() -> None:
    contacts = [contact("privacy_email", "privacy@e.example")]

    [resolved] = resolve_actions(make_clause_type(DELETE), contacts, platform="Example")

    assert resolved.caveat == (
        "No data deletion request page was found in Example's documents; ask by "
        "e-mail instead. Copies in trained models stay."
    )
    assert [c.value for c in resolved.contacts] == ["privacy@e.example"]


def test_missing_everything_points_to_agencies() -> None:
    [resolved] = resolve_actions(make_clause_type(OPT_OUT), [], platform="Example")

    assert resolved.contacts == ()
    assert resolved.caveat.startswith(
        "Example's documents name no opt-out page or privacy settings page and no "
        "other privacy contact;"
    )
    assert "file a complaint with the agencies below" in resolved.caveat


def test_default_platform_name_is_capitalised() -> None:
    [resolved] = resolve_actions(make_clause_type(OPT_OUT), [])

    assert resolved.caveat.startswith("The platform's documents name no opt-out page")


def test_action_without_needs_keeps_caveat() -> None:
    contacts = [contact("privacy_email", "privacy@e.example")]

    [resolved] = resolve_actions(make_clause_type(COMPLAIN), contacts)

    assert resolved.contacts == ()
    assert resolved.caveat == "Investigations take months."


def test_all_actions_appear_in_order() -> None:
    resolved = resolve_actions(make_clause_type(OPT_OUT, DELETE, COMPLAIN), [])

    assert [action.kind for action in resolved] == [
        "opt_out",
        "delete_data",
        "file_complaint",
    ]


@pytest.mark.parametrize(
    "clause_type",
    default_taxonomy().clause_types.values(),
    ids=lambda clause_type: clause_type.id,
)
def test_every_clause_type_resolves(clause_type: ClauseType) -> None:
    contacts = [contact("privacy_email", "privacy@e.example")]

    resolved = resolve_actions(clause_type, contacts, platform="Examplia")

    assert [action.kind for action in resolved] == [
        action.kind for action in clause_type.actions
    ]
    assert all(action.caveat for action in resolved)


def test_denial_leaves_out_opt_outs() -> None:
    sale = default_taxonomy().clause_types["sale_of_data"]
    contacts = [Contact("opt_out_url", "https://acme.example/opt-out", "Opt out here.")]

    affirmed = resolve_actions(sale, contacts, platform="Acme")
    denied = resolve_actions(sale, contacts, platform="Acme", denied=True)

    assert "opt_out" in {action.kind for action in affirmed}
    assert "opt_out" not in {action.kind for action in denied}
    assert {action.kind for action in denied} == {
        action.kind for action in affirmed if action.kind != "opt_out"
    }


ARBITRATION_OPT_OUT = Action(
    kind="opt_out",
    label="Opt out of arbitration",
    needs=("dispute_email", "postal_address", "opt_out_url"),
    caveat="The window is short.",
    topic="arbitration",
)
TWO_FACTOR = Action(
    kind="change_settings",
    label="Turn on two-factor authentication",
    needs=("settings_url",),
    caveat="Use an authenticator app.",
    topic="account_security",
)
REFUSE_COOKIES = Action(
    kind="change_settings",
    label="Refuse non-essential cookies",
    needs=("settings_url", "opt_out_url"),
    caveat="Refusing cookies can log you out.",
    topic="cookies",
)
AD_OPT_OUT = Action(
    kind="opt_out",
    label="Opt out of targeted ads",
    needs=("opt_out_url",),
    caveat="You still see ads.",
)


def test_arbitration_opt_out_skips_other_opt_outs() -> None:
    contacts = [
        Contact(
            "opt_out_url",
            "https://e.example/ads/opt-out",
            "You can opt out of interest-based ads on this page.",
        ),
        Contact("privacy_email", "privacy@e.example", "Write to privacy@e.example."),
        Contact(
            "dispute_email",
            "notices@e.example",
            "To opt out of arbitration, e-mail notices@e.example within 30 days.",
        ),
    ]

    [resolved] = resolve_actions(make_clause_type(ARBITRATION_OPT_OUT), contacts)

    assert [c.value for c in resolved.contacts] == ["notices@e.example"]
    assert resolved.caveat == "The window is short."


def test_arbitration_postal_address_needs_dispute_words() -> None:
    privacy_desk = Contact(
        "postal_address", "E Inc., 1 Main St, Springfield", "Write to our privacy team:"
    )
    legal_desk = Contact(
        "postal_address",
        "E Inc., Legal, 2 Side St, Springfield",
        "Send your notice of dispute or arbitration opt-out to:",
    )

    [resolved] = resolve_actions(
        make_clause_type(ARBITRATION_OPT_OUT), [privacy_desk, legal_desk]
    )

    assert [c.value for c in resolved.contacts] == [legal_desk.value]


def test_arbitration_without_contacts_names_topic_route() -> None:
    contacts = [
        Contact("privacy_email", "privacy@e.example", "Write to privacy@e.example."),
        Contact("opt_out_url", "https://e.example/opt-out", "Opt out of sale here."),
    ]

    [resolved] = resolve_actions(
        make_clause_type(ARBITRATION_OPT_OUT), contacts, platform="Example"
    )

    assert resolved.contacts == ()
    assert resolved.caveat.startswith(
        "Example's documents name no e-mail address for notices of dispute, postal "
        "address or opt-out page for arbitration opt-outs; follow the opt-out steps "
        "in the dispute terms"
    )
    assert resolved.caveat.endswith("The window is short.")


def test_two_factor_rejects_cookie_settings() -> None:
    cookie_settings = Contact(
        "settings_url", "https://e.example/cookie-settings", "Cookie Settings"
    )
    security_settings = Contact(
        "settings_url",
        "https://e.example/settings/security",
        "Turn on two-step verification in your security settings.",
    )

    [resolved] = resolve_actions(
        make_clause_type(TWO_FACTOR), [cookie_settings, security_settings]
    )

    assert [c.value for c in resolved.contacts] == [security_settings.value]


def test_two_factor_gets_no_privacy_fallback() -> None:
    contacts = [
        Contact("settings_url", "https://e.example/settings", "Manage your settings."),
        Contact("privacy_email", "privacy@e.example", "Write to privacy@e.example."),
    ]

    [resolved] = resolve_actions(
        make_clause_type(TWO_FACTOR), contacts, platform="Example"
    )

    assert resolved.contacts == ()
    assert "security section of your account settings" in resolved.caveat


COOKIE_TOGGLE = Contact(
    "opt_out_url",
    "https://e.example/privacy#cookie-toggle",
    "You can turn off non-essential cookies with the cookie toggle.",
)


def test_cookie_only_link_skips_other_opt_outs() -> None:
    [resolved] = resolve_actions(make_clause_type(AD_OPT_OUT), [COOKIE_TOGGLE])

    assert resolved.contacts == ()


def test_cookie_only_link_serves_cookie_action() -> None:
    [resolved] = resolve_actions(make_clause_type(REFUSE_COOKIES), [COOKIE_TOGGLE])

    assert resolved.contacts == (COOKIE_TOGGLE,)


def test_cookie_and_ads_link_serves_ad_opt_out() -> None:
    both = Contact(
        "opt_out_url",
        "https://e.example/ad-choices",
        "Refuse advertising cookies and targeted ads on our ad choices page.",
    )

    [resolved] = resolve_actions(make_clause_type(AD_OPT_OUT), [both])

    assert resolved.contacts == (both,)


def test_bundled_arbitration_opt_out_declares_topic() -> None:
    arbitration = default_taxonomy().clause_types["arbitration"]

    [opt_out] = [action for action in arbitration.actions if action.kind == "opt_out"]

    assert opt_out.topic == "arbitration"
    assert "dispute_email" in opt_out.needs


def test_every_topic_has_cues() -> None:
    assert set(cues.TOPIC_CUES) == CONTACT_TOPICS


def test_contact_kinds_agree_with_taxonomy() -> None:
    assert set(ANALYSIS_CONTACT_KINDS) == TAXONOMY_CONTACT_KINDS


def test_consent_tool_link_serves_cookies_and_ads() -> None:
    consent_tool = Contact(
        "opt_out_url",
        "https://e.example/privacy#optanon-toggle",
        "You can also opt out with the Your Privacy Choices link in our footer.",
    )

    [cookies] = resolve_actions(make_clause_type(REFUSE_COOKIES), [consent_tool])
    [ads] = resolve_actions(make_clause_type(AD_OPT_OUT), [consent_tool])
    [arbitration] = resolve_actions(
        make_clause_type(ARBITRATION_OPT_OUT), [consent_tool]
    )

    assert cookies.contacts == (consent_tool,)
    assert ads.contacts == (consent_tool,)
    assert arbitration.contacts == ()


TURN_OFF_RENEWAL = Action(
    kind="change_settings",
    label="Turn off automatic renewal",
    needs=("settings_url", "opt_out_url"),
    caveat="The current period is still charged.",
    topic="subscriptions",
)
RENEWAL_PAGE = Contact(
    "opt_out_url",
    "https://help.e.example/article/turning-off-auto-renewal-for-a-premium-plan",
    "Paid plans renew automatically unless you turn off the auto-renewal option.",
)


def test_renewal_action_skips_privacy_contacts() -> None:
    contacts = [
        Contact(
            "settings_url",
            "https://e.example/settings/privacy",
            "Choose who sees your profile in your privacy settings.",
        ),
        Contact("privacy_email", "privacy@e.example", "Write to privacy@e.example."),
    ]

    [resolved] = resolve_actions(
        make_clause_type(TURN_OFF_RENEWAL), contacts, platform="Example"
    )

    assert resolved.contacts == ()
    assert resolved.caveat.startswith(
        "Example's documents name no settings page or opt-out page for subscriptions;"
    )
    assert "billing section of your account settings" in resolved.caveat


def test_renewal_page_serves_renewal_action() -> None:
    [resolved] = resolve_actions(make_clause_type(TURN_OFF_RENEWAL), [RENEWAL_PAGE])

    assert resolved.contacts == (RENEWAL_PAGE,)


def test_renewal_page_skips_other_opt_outs() -> None:
    [training] = resolve_actions(make_clause_type(OPT_OUT), [RENEWAL_PAGE])
    [ads] = resolve_actions(make_clause_type(AD_OPT_OUT), [RENEWAL_PAGE])

    assert training.contacts == ()
    assert ads.contacts == ()


def test_bundled_auto_renewal_declares_topic() -> None:
    auto_renewal = default_taxonomy().clause_types["auto_renewal"]

    [turn_off] = [action for action in auto_renewal.actions if action.needs]

    assert turn_off.topic == "subscriptions"


def test_link_of_two_kinds_offered_once() -> None:
    controls = "https://help.e.example/data-controls"
    contacts = [
        Contact("opt_out_url", controls, "Opt out of training in data controls."),
        Contact("settings_url", controls, "Change your data controls settings."),
        Contact("settings_url", "https://e.example/settings", "Open your settings."),
    ]

    [resolved] = resolve_actions(make_clause_type(OPT_OUT), contacts)

    assert [c.value for c in resolved.contacts] == [
        controls,
        "https://e.example/settings",
    ]


def test_dispute_postal_address_serves_only_arbitration() -> None:
    dispute_desk = Contact(
        "postal_address",
        "E LLC, Arbitration Opt-Out, 1 Main St, Springfield",
        "You may opt out of this agreement to arbitrate by writing to:",
    )

    [arbitration] = resolve_actions(
        make_clause_type(ARBITRATION_OPT_OUT), [dispute_desk]
    )
    [deletion] = resolve_actions(make_clause_type(DELETE), [dispute_desk])

    assert arbitration.contacts == (dispute_desk,)
    assert deletion.contacts == ()


TRAINING_OPT_OUT = Action(
    kind="opt_out",
    label="Turn off the use of your data for model training",
    needs=("opt_out_url", "settings_url"),
    caveat="An opt-out applies to future data only.",
    topic="model_training",
)


def test_training_opt_out_rejects_ad_opt_outs() -> None:
    ad_opt_out = Contact(
        "opt_out_url",
        "https://ads.example/opt-out",
        "To opt out of interest-based ads from our partners, visit this page.",
    )
    cookie_settings = Contact(
        "settings_url", "https://e.example/cookie-settings", "Cookie Settings"
    )
    data_controls = Contact(
        "settings_url",
        "https://e.example/settings/data-controls",
        "You can stop us from using your chats to train our models in Data Controls.",
    )

    [resolved] = resolve_actions(
        make_clause_type(TRAINING_OPT_OUT),
        [ad_opt_out, cookie_settings, data_controls],
    )

    assert [c.value for c in resolved.contacts] == [data_controls.value]


def test_training_opt_out_without_contacts_names_route() -> None:
    contacts = [
        Contact("settings_url", "https://e.example/settings", "Manage your settings."),
        Contact("privacy_email", "privacy@e.example", "Write to privacy@e.example."),
    ]

    [resolved] = resolve_actions(
        make_clause_type(TRAINING_OPT_OUT), contacts, platform="Example"
    )

    assert resolved.contacts == ()
    assert "for model training" in resolved.caveat
    assert "object to the training in writing" in resolved.caveat


def test_training_actions_offer_bare_urls() -> None:
    policy = (
        "## Your choices\n\n"
        "You can opt out of the use of your chats for training at "
        "https://acme.example/settings/ai.\n\n"
        "To delete your data, visit www.acme.example/delete.\n"
    )
    contacts = extract_contacts(policy, base_url="https://acme.example/privacy")
    clause_type = default_taxonomy().clause_type("ai_training_on_user_data")

    actions = resolve_actions(clause_type, contacts, platform="Acme")

    offered = {action.kind: [c.value for c in action.contacts] for action in actions}
    assert offered["opt_out"] == ["https://acme.example/settings/ai"]
    assert offered["delete_data"] == ["https://www.acme.example/delete"]


def test_bundled_training_opt_out_has_topic() -> None:
    clause_type = default_taxonomy().clause_type("ai_training_on_user_data")

    [opt_out] = [action for action in clause_type.actions if action.kind == "opt_out"]

    assert opt_out.topic == "model_training"


CREDIT_PRESCREEN_OPT_OUT = Contact(
    "opt_out_url",
    "https://www.prescreen-choices.example/",
    "Lenders may screen your file for card offers unless you opt out at the "
    "credit bureaus' shared page.",
)


@pytest.mark.parametrize(
    "contact_with_credit_words",
    [
        CREDIT_PRESCREEN_OPT_OUT,
        Contact(
            "opt_out_url",
            "https://bureaus.example/opt-out",
            "To stop firm offers of credit or insurance, opt out with the bureaus.",
        ),
    ],
    ids=["url names prescreening", "sentence names credit offers"],
)
def test_credit_offer_opt_out_serves_no_ad_opt_out(
    contact_with_credit_words: Contact,
) -> None:
    [ads] = resolve_actions(make_clause_type(AD_OPT_OUT), [contact_with_credit_words])

    assert ads.contacts == ()


def test_bundled_opt_outs_skip_credit_prescreen_page() -> None:
    taxonomy = default_taxonomy()
    privacy_choices = Contact(
        "opt_out_url",
        "https://e.example/privacy-choices",
        "You can opt out of targeted advertising on our privacy choices page.",
    )

    for clause_type_id in ("sharing_for_advertising", "automated_decisions_profiling"):
        resolved = resolve_actions(
            taxonomy.clause_type(clause_type_id),
            [CREDIT_PRESCREEN_OPT_OUT, privacy_choices],
        )
        offered = {c.value for action in resolved for c in action.contacts}
        assert CREDIT_PRESCREEN_OPT_OUT.value not in offered, clause_type_id
        assert privacy_choices.value in offered, clause_type_id


def test_credit_and_ads_sentence_serves_ad_opt_out() -> None:
    both = Contact(
        "opt_out_url",
        "https://e.example/choices",
        "Opt out of credit offers and of targeted ads on our choices page.",
    )

    [ads] = resolve_actions(make_clause_type(AD_OPT_OUT), [both])

    assert ads.contacts == (both,)


COOKIE_PAGE_ABOUT_ADS = Contact(
    "settings_url",
    "https://e.example/cookie-preferences",
    "You may refuse cookies used for interest-based advertising at any time in our "
    "cookie preferences.",
)
TARGETED_ADS_OPT_OUT = Action(
    kind="opt_out",
    label="Opt out of targeted advertising",
    needs=("opt_out_url", "settings_url"),
    caveat="You still see ads.",
)
PROFILING_OPT_OUT = Action(
    kind="opt_out",
    label="Opt out of profiling",
    needs=("opt_out_url", "settings_url"),
    caveat="Some profiling is needed to run the service.",
)
LOCATION_SETTINGS = Action(
    kind="change_settings",
    label="Turn off location access",
    needs=("settings_url",),
    caveat="The app may ask again.",
)


@pytest.mark.parametrize(
    "action",
    [TARGETED_ADS_OPT_OUT, PROFILING_OPT_OUT, LOCATION_SETTINGS],
    ids=lambda action: action.label,
)
def test_cookie_page_skips_non_cookie_actions(action: Action) -> None:
    [resolved] = resolve_actions(make_clause_type(action), [COOKIE_PAGE_ABOUT_ADS])

    assert COOKIE_PAGE_ABOUT_ADS not in resolved.contacts


def test_cookie_page_about_ads_serves_cookie_action() -> None:
    [resolved] = resolve_actions(
        make_clause_type(REFUSE_COOKIES), [COOKIE_PAGE_ABOUT_ADS]
    )

    assert resolved.contacts == (COOKIE_PAGE_ABOUT_ADS,)


def test_cookie_page_with_security_words_skips_two_factor() -> None:
    cookie_page = Contact(
        "settings_url",
        "https://e.example/cookies/settings",
        "Strictly necessary cookies keep your log-in session secure; manage the "
        "others in cookie settings.",
    )

    [resolved] = resolve_actions(make_clause_type(TWO_FACTOR), [cookie_page])

    assert resolved.contacts == ()


def test_bundled_arbitration_offers_dispute_postal_address() -> None:
    taxonomy = default_taxonomy()
    privacy_desk = Contact(
        "postal_address",
        "Example Inc., Attn: Privacy, 5 Birch Road, Springfield, IL 62704",
        "For privacy questions, write to us at:",
    )
    legal_desk = Contact(
        "dispute_postal_address",
        "Example Inc., Attention: Legal Department, 5 Birch Road, Springfield",
        "Notices to the company must be sent by certified mail addressed to",
    )

    [arbitration_opt_out] = [
        action
        for action in resolve_actions(
            taxonomy.clause_type("arbitration"), [privacy_desk, legal_desk]
        )
        if action.kind == "opt_out"
    ]
    [deletion] = [
        action
        for action in resolve_actions(
            taxonomy.clause_type("data_deletion_right"), [privacy_desk, legal_desk]
        )
        if action.kind == "delete_data"
    ]

    assert arbitration_opt_out.contacts == (legal_desk,)
    assert deletion.contacts == (privacy_desk,)


CANCELLATION_DESK = Contact(
    "postal_address",
    "Example Inc., Attn: Cancellations, PO Box 4321, Springfield, IL 62701",
    "This notice must be sent to: Example Inc., Attn: Cancellations, PO Box 4321, "
    "Springfield, IL 62701.",
)
CANCEL_BY_MAIL = Contact(
    "postal_address",
    "Example Inc., 9 Elm Street, Springfield, IL 62701",
    "To cancel a subscription bought on our website, write to us at:",
)


@pytest.mark.parametrize(
    "address", [CANCELLATION_DESK, CANCEL_BY_MAIL], ids=["attention-line", "lead-in"]
)
def test_cancellation_address_skips_privacy_actions(address: Contact) -> None:
    [deletion] = resolve_actions(make_clause_type(DELETE), [address])

    assert deletion.contacts == ()


@pytest.mark.parametrize(
    "address", [CANCELLATION_DESK, CANCEL_BY_MAIL], ids=["attention-line", "lead-in"]
)
def test_cancellation_address_serves_renewal_action(address: Contact) -> None:
    [renewal] = resolve_actions(
        make_clause_type(TURN_OFF_RENEWAL), [address], platform="Example"
    )

    assert renewal.contacts == (address,)
    assert renewal.caveat.startswith(
        "No settings page or opt-out page for subscriptions was found in Example's "
        "documents; write to the postal address instead."
    )


def test_privacy_desk_naming_refunds_kept() -> None:
    privacy_desk = Contact(
        "postal_address",
        "Example Inc., Attn: Privacy, 9 Elm Street, Springfield, IL 62701",
        "For questions about your personal data or a refund, write to:",
    )

    [deletion] = resolve_actions(make_clause_type(DELETE), [privacy_desk])

    assert deletion.contacts == (privacy_desk,)


def test_bundled_renewal_offers_cancellation_desk() -> None:
    taxonomy = default_taxonomy()
    privacy_desk = Contact(
        "postal_address",
        "Example Inc., Attn: Privacy, 5 Birch Road, Springfield, IL 62704",
        "For privacy questions, write to us at:",
    )
    contacts = [privacy_desk, CANCELLATION_DESK]

    [turn_off] = [
        action
        for action in resolve_actions(taxonomy.clause_type("auto_renewal"), contacts)
        if action.kind == "change_settings"
    ]
    [deletion] = [
        action
        for action in resolve_actions(
            taxonomy.clause_type("data_deletion_right"), contacts
        )
        if action.kind == "delete_data"
    ]

    assert turn_off.contacts == (CANCELLATION_DESK,)
    assert deletion.contacts == (privacy_desk,)


NOTICE_OF_DISPUTE_DESK = Contact(
    "dispute_postal_address",
    "Example Inc., Attn: Claims, 5 Birch Road, Springfield, IL 62704",
    "Any notice of dispute must be mailed to Example Inc., Attn: Claims, 5 Birch "
    "Road, Springfield, IL 62704.",
)
OPT_OUT_DESK = Contact(
    "dispute_postal_address",
    "Example Inc., Arbitration Opt-Out, 5 Birch Road, Springfield, IL 62704",
    "To leave this agreement to arbitrate, you must write to this address:",
)
NOTICE_OF_DISPUTE_EMAIL = Contact(
    "dispute_email",
    "claims@example.com",
    "Before filing for arbitration, send a notice of dispute to claims@example.com.",
)


def test_opt_out_address_listed_first() -> None:
    taxonomy = default_taxonomy()

    [opt_out] = [
        action
        for action in resolve_actions(
            taxonomy.clause_type("arbitration"),
            [NOTICE_OF_DISPUTE_EMAIL, NOTICE_OF_DISPUTE_DESK, OPT_OUT_DESK],
        )
        if action.kind == "opt_out"
    ]

    assert opt_out.contacts == (
        OPT_OUT_DESK,
        NOTICE_OF_DISPUTE_EMAIL,
        NOTICE_OF_DISPUTE_DESK,
    )


ARBITRATION_OPT_OUT_BY_MAIL = Action(
    kind="opt_out",
    label="Opt out of arbitration",
    needs=("dispute_postal_address",),
    caveat="The window is short.",
    topic="arbitration",
)


def test_opt_out_address_kept_within_maximum() -> None:
    notice_desks = [
        Contact(
            "dispute_postal_address",
            f"Example Inc., Attn: Claims {number}, 5 Birch Road, Springfield",
            "Any notice of dispute must be mailed to this desk.",
        )
        for number in (1, 2)
    ]

    [resolved] = resolve_actions(
        make_clause_type(ARBITRATION_OPT_OUT_BY_MAIL), [*notice_desks, OPT_OUT_DESK]
    )

    assert resolved.contacts == (OPT_OUT_DESK, notice_desks[0])


def test_other_opt_outs_keep_kind_order() -> None:
    settings = Contact(
        "settings_url", "https://e.example/settings", "Opt out of training here."
    )
    opt_out_page = Contact(
        "opt_out_url", "https://e.example/choices", "Manage your choices."
    )

    [resolved] = resolve_actions(make_clause_type(OPT_OUT), [settings, opt_out_page])

    assert resolved.contacts == (opt_out_page, settings)

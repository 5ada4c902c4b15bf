"""Stance detection: a provision affirms its clause type's practice or denies it."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausewatch.analysis import AFFIRMS, DENIES, detect_stance, stance_aware
from clausewatch.analysis.stance import (
    CUES_FILE,
    default_stance_cues,
    find_mentions,
    load_stance_cues,
)
from clausewatch.classify import load_patterns
from clausewatch.taxonomy import TaxonomyFileError, default_taxonomy
from clausewatch.tracking.ingest import prepare_text
from tests.conftest import require_shared

DENIALS = [
    ("sale_of_data", "We do not sell your personal information."),
    ("sale_of_data", "Your data is never rented or sold to anyone."),
    ("sale_of_data", "We don't sell your data.\n- We keep it on our own servers."),
    ("ai_training_on_user_data", "We do not use your chats to train our models."),
    ("ai_training_on_user_data", "We will never use your content to train our AI."),
    ("sharing_for_advertising", "We don't share your data with advertisers."),
    ("sharing_for_advertising", "We do not use your data for targeted advertising."),
    ("childrens_data", "We do not knowingly collect data from children under 13."),
    (
        "childrens_data",
        "Our app is not directed to children. If we learn that we have collected "
        "data from a child, we delete it.",
    ),
    ("human_review_of_conversations", "No human reads your chats with the assistant."),
    (
        "automated_decisions_profiling",
        "You will not be subject to decisions based solely on automated processing.",
    ),
    ("biometric_data", "We do not collect or store face geometry."),
    # A run-in heading names the topic; the statement after the colon denies it.
    (
        "automated_decisions_profiling",
        "**Profiling:** We do not profile members in ways that have legal effects.",
    ),
    (
        "automated_decisions_profiling",
        "- Automated decisions: the company takes no decision about you by "
        "automated means alone.",
    ),
    (
        "automated_decisions_profiling",
        "We do not use your messages to infer your interests.",
    ),
    # "Without" between the negation and the mention does not end its reach.
    (
        "automated_decisions_profiling",
        "We do not use automated decisions without human review, including "
        "profiling, that affect your legal rights.",
    ),
    (
        "sale_of_data",
        "You have the right to opt out of the sale of your data. However, we do not "
        "sell your data.",
    ),
    # Denials without "not" or "never".
    (
        "ai_training_on_user_data",
        "None of your conversations is used to train our models.",
    ),
    ("sale_of_data", "None of your personal data is sold or rented."),
    (
        "ai_training_on_user_data",
        "We use your feedback to fix bugs and improve the app (excluding model "
        "training).",
    ),
    (
        "ai_training_on_user_data",
        "Purpose: research and product development, excluding any training of models.",
    ),
    # A denial narrowed to one sense of the word still denies the practice.
    ("sale_of_data", "We never sell your data for money."),
    ("sale_of_data", "We do not sell your information in the conventional sense."),
    # An exception in a later clause with its own subject bears on that clause.
    (
        "sale_of_data",
        "We don't sell your details to marketers, and we don't pass your e-mail "
        "address to them unless you ask us to.",
    ),
    # Service providers acting for the platform are no exception to a denial.
    (
        "sale_of_data",
        "We never sell personal data, but we do use hosting vendors that store it on "
        "our behalf.",
    ),
    (
        "sale_of_data",
        "We do not sell your data. However, service providers handle it for us.",
    ),
    ("sale_of_data", "While we do not sell your information, we explain who gets it."),
    (
        "sale_of_data",
        "We do not sell your data. Instead, advertisers tell us which audience they "
        "want to reach.",
    ),
    # "Instead" after a denial describes something else.
    (
        "automated_decisions_profiling",
        "We do not infer your age from your activity. Instead, we ask you for it.",
    ),
    # Titles and definitions name the practice without stating it.
    (
        "sale_of_data",
        "- **Your right to opt out of sale.** We don't sell your data, but we do "
        "share it with service providers.",
    ),
    (
        "sale_of_data",
        "- Sales & promotion of our own products.\nExample Corp does not sell your "
        "data.",
    ),
    (
        "sale_of_data",
        "- **Opting out of Sale**. We do not sell the information we hold about you.",
    ),
    (
        "sale_of_data",
        "- Sale & promotion of our own products and services: The company never "
        "sells user data.",
    ),
    (
        "sale_of_data",
        "State law defines “sale” broadly. We do not sell personal information as "
        "that law defines it.",
    ),
    # Children's data: only sentences about children count.
    (
        "childrens_data",
        "The app is not aimed at children. You must be old enough to agree to the "
        "processing of your data where you live. We do not knowingly collect data "
        "from anyone under 13.",
    ),
    (
        "childrens_data",
        "The service is intended for adults, and we do not knowingly gather "
        "information from minors.",
    ),
    (
        "childrens_data",
        "We will obtain your consent where the law requires it, and we do not "
        "knowingly sell data about users under 16.",
    ),
    (
        "childrens_data",
        "We do not knowingly collect data from kids under 13. If we find such an "
        "account, we will stop providing the service to it and erase its data.",
    ),
    (
        "childrens_data",
        "Our games are not directed to children. If we learn that a child, a minor "
        "or anyone under 16 has sent us personal data, we delete it.",
    ),
    (
        "biometric_data",
        "We may collect the text, voice clips and pictures you submit. We do not "
        "extract faceprints or other biometric identifiers from them.",
    ),
    # A colon ends the clause that an exception or a time limit must be in.
    (
        "childrens_data",
        "The app is not intended for children under 13: if you are under 13, wait "
        "until you turn 13.",
    ),
    # Without a sentence about children, every sentence counts.
    ("childrens_data", "We do not collect your data for advertising."),
    # A full stop after a single letter ends no sentence: "U.S." keeps the children.
    (
        "childrens_data",
        "Example Inc. has not sold data collected under U.S. law from users under 16.",
    ),
    # What the user provides is the user's act, not the platform's practice.
    (
        "biometric_data",
        "We may collect the photos you upload. We will not extract face templates "
        "or other features used to identify someone from the photos you provided to "
        "us.",
    ),
    # Every "n't" contraction negates.
    ("location_data", "Your precise location isn't collected by the app."),
]

AFFIRMATIONS = [
    ("sale_of_data", "We sell your personal information to data brokers."),
    (
        "automated_decisions_profiling",
        "Personalisation: we infer your interests from the videos you watch.",
    ),
    (
        "automated_decisions_profiling",
        "We infer your age range from your activity. We do not infer your gender.",
    ),
    # Exceptions and conditions keep the practice open.
    ("sale_of_data", "We do not sell your data except to our trusted partners."),
    (
        "sale_of_data",
        "We do not sell personal information, but we share it with ad partners.",
    ),
    (
        "sale_of_data",
        "We do not sell data for money, but may disclose it for other valuable "
        "consideration.",
    ),
    ("sale_of_data", "We do not sell your personal information without your consent."),
    ("sale_of_data", "We will not sell your information after you opt out."),
    # "Directly" concedes an indirect form of the practice.
    ("sale_of_data", "We never directly sell your information in the usual sense."),
    ("ai_training_on_user_data", "Uploaded files are not used directly for training."),
    ("sale_of_data", "While you stay logged in, we do not sell your activity data."),
    ("sale_of_data", "We don't sell your data today, but we may do so in the future."),
    (
        "sale_of_data",
        "We do not sell your data, but we give it to ad networks in exchange for "
        "free services.",
    ),
    (
        "sale_of_data",
        "We do not sell your personal information. However, we share identifiers "
        "with ad partners.",
    ),
    (
        "ai_training_on_user_data",
        "If you do not opt out, we will use your chats to train our models.",
    ),
    (
        "ai_training_on_user_data",
        "Unless you opt in, we will not use your data to train our models.",
    ),
    (
        "ai_training_on_user_data",
        "You can opt out of training. Once you opt out, new chats are not used to "
        "train our models.",
    ),
    ("law_enforcement_access", "We do not voluntarily disclose data to the police."),
    # A denial limited to data that identifies someone leaves the rest open.
    (
        "sharing_for_advertising",
        "We do not share data with advertisers that directly identifies you.",
    ),
    ("sale_of_data", "We do not sell personally identifiable information."),
    # "You" as the object of the practice is no act of the user.
    (
        "sharing_for_advertising",
        "When showing you targeted ads, we use your interests. We don't show "
        "targeted ads based on your health.",
    ),
    # A colon inside a link address ends no clause.
    (
        "ai_training_on_user_data",
        "We don't use your recordings to train [our models](https://example.com/ai), "
        "except to prevent abuse.",
    ),
    # "Instead" that goes on about the same data continues the practice.
    (
        "biometric_data",
        "We do not use face recognition. Instead, the app maps the outline of your "
        "face to place it in a scene.",
    ),
    (
        "childrens_data",
        "We collect limited data from children who use the kids' mode, with a "
        "parent's consent.",
    ),
    # A mixed provision with one affirmed mention affirms.
    (
        "sale_of_data",
        "We do not sell your data. We may sell statistics to researchers.",
    ),
    (
        "tracking_cookies",
        "We do not use cookies for advertising, but we use essential cookies.",
    ),
    ("location_data", "We may collect your precise location, and we do not sell it."),
    # Negations that bear on something else than the practice.
    ("sale_of_data", "You may not sell data that you obtain through our API."),
    ("third_party_sharing", "Data that does not identify you may be shared widely."),
    (
        "third_party_sharing",
        "We share data for many purposes, including but not limited to sharing with "
        "vendors.",
    ),
    ("sale_of_data", "We collect no more data than we need and we sell it to brokers."),
    ("sale_of_data", "We may share it without asking and sell it to brokers."),
    # "None of" does not deny when it names the buyers or bears on another verb, and
    # neither does an exclusion of something other than the practice.
    ("sale_of_data", "None of the companies to which we sell data may resell it."),
    ("sale_of_data", "None of the data that we sell identifies you by name."),
    (
        "location_data",
        "None of the services or content is meant for use in air traffic control.",
    ),
    (
        "ai_training_on_user_data",
        "None of these settings stop us from training our models on public data.",
    ),
    (
        "ai_training_on_user_data",
        "We use your data for every purpose above, excluding marketing, and to train "
        "our models.",
    ),
    # A negation that bears on identifying someone, not on the sharing after it.
    (
        "third_party_sharing",
        "We strip names from reports so that they no longer identify anyone and "
        "pass them to our partners.",
    ),
    # A denial limited to one mode leaves the ordinary mode open.
    (
        "ai_training_on_user_data",
        "Conversations held in incognito mode are never used to train our models.",
    ),
    (
        "ai_training_on_user_data",
        "Temporary sessions are deleted after a day and are not used for model "
        "training.",
    ),
    # The name of a link is not a statement.
    ("sale_of_data", "Use the Do Not Sell My Personal Information link to opt out."),
    # No mention of the practice at all: the default.
    ("sale_of_data", "Contact our privacy team with any question."),
]


@pytest.mark.parametrize(("clause_type_id", "text"), DENIALS)
def test_denials(clause_type_id: str, text: str) -> None:
    assert detect_stance(clause_type_id, text) == DENIES


@pytest.mark.parametrize(("clause_type_id", "text"), AFFIRMATIONS)
def test_affirmations(clause_type_id: str, text: str) -> None:
    assert detect_stance(clause_type_id, text) == AFFIRMS


def test_stance_without_cues_affirms() -> None:
    assert not stance_aware("arbitration")
    assert detect_stance("arbitration", "We do not require arbitration.") == AFFIRMS


def test_mentions_are_read_one_by_one() -> None:
    text = "You may opt out of any sale. We do not sell your data."
    kinds = [mention.kind for mention in find_mentions("sale_of_data", text)]
    assert kinds == ["affirmed", "denied"]


def test_stance_aware_types_exist_and_have_denial_texts() -> None:
    taxonomy = default_taxonomy()
    aware = default_stance_cues().clause_type_ids
    assert {"sale_of_data", "ai_training_on_user_data", "childrens_data"} <= aware
    for clause_type_id in aware:
        clause_type = taxonomy.clause_types[clause_type_id]
        assert clause_type.denial_what_it_is and clause_type.denial_consumer_impact


@pytest.mark.parametrize(
    ("content", "field", "problem"),
    [
        (
            "clause_types:\n  no_such_type:\n    practice: ['sell']\n",
            "clause_types",
            "",
        ),
        ("clause_types:\n  sale_of_data:\n    practice: []\n", "practice", "non-empty"),
        (
            "clause_types:\n  sale_of_data:\n    practice: ['(sell']\n",
            "practice[0]",
            "regular expression",
        ),
        ("clause_types:\n  sale_of_data:\n    words: ['sell']\n", "practice", ""),
        (
            "clause_types:\n  sale_of_data:\n    practice: ['sell']\n    about: []\n",
            "about",
            "non-empty",
        ),
        (
            "clause_types:\n  sale_of_data:\n    practice: ['sell']\n"
            "    about: ['(data']\n",
            "about[0]",
            "regular expression",
        ),
        ("clause_types: [sale_of_data]\n", "clause_types", ""),
    ],
)
def test_cue_file_errors_name_file_and_field(
    tmp_path: Path, content: str, field: str, problem: str
) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyFileError) as caught:
        load_stance_cues(path, default_taxonomy())
    assert caught.value.path == path
    assert caught.value.field == field
    assert problem in str(caught.value)


def test_bundled_cue_file_loads() -> None:
    cues = load_stance_cues(CUES_FILE, default_taxonomy())
    assert cues.clause_type_ids == default_stance_cues().clause_type_ids


# -- the real corpus -----------------------------------------------------------------

# Provisions read and judged by hand, named by service, document, version file (its
# capture time) and position in that version; no text is copied here.
HAND_VERIFIED = [
    ("Snapchat", "Privacy Policy", "2026-08-05T13-19-52Z", 96, DENIES),
    ("Snapchat", "Privacy Policy", "2026-08-05T13-19-52Z", 137, DENIES),
    ("Wikipedia", "Privacy Policy", "2026-04-11T01-25-34Z", 578, DENIES),
    # "Never directly sell" concedes an indirect sale, even in "the conventional sense".
    ("WordPress.com", "Privacy Policy", "2026-02-06T00-54-40Z", 116, AFFIRMS),
    # A "Do Not Sell" link name beside a mention of data already sold.
    ("Daily Mail", "Privacy Policy", "2025-02-25T18-03-39Z", 184, AFFIRMS),
    # An opt-out from future sales implies sales.
    ("AliExpress", "Privacy Policy", "2026-07-30T12-30-36Z", 187, AFFIRMS),
]
# Of the provisions that the bundled patterns label sale-of-data in the latest version
# of each corpus document, 37 of 77 deny selling: the patterns include no-sale promises,
# which policies state more often than sales, and opt-outs of sale, which are not
# denials. The bounds catch a detector that stops finding denials or calls nearly
# every provision one, and leave room for edits to the patterns.
MIN_LABELLED = 5
MIN_DENIALS = 1
MAX_DENIAL_SHARE = 0.75


@pytest.mark.parametrize(
    ("service", "document", "version", "position", "expected"), HAND_VERIFIED
)
def test_hand_verified_corpus_provisions(
    service: str, document: str, version: str, position: int, expected: str
) -> None:
    path = require_shared("corpus", "ota", service, document, f"{version}.md")
    segments = prepare_text(path.read_text(encoding="utf-8")).segments
    assert detect_stance("sale_of_data", segments[position].text) == expected


def test_share_of_sale_provisions_that_deny_selling() -> None:
    corpus = require_shared("corpus", "ota")
    patterns = load_patterns()
    stances = []
    for folder in sorted(path for path in corpus.glob("*/*") if path.is_dir()):
        latest = sorted(folder.glob("*.md"))[-1]
        for segment in prepare_text(latest.read_text(encoding="utf-8")).segments:
            if "sale_of_data" in patterns.match(segment.text):
                stances.append(detect_stance("sale_of_data", segment.text))
    denials = stances.count(DENIES)
    assert len(stances) >= MIN_LABELLED, stances
    assert MIN_DENIALS <= denials <= MAX_DENIAL_SHARE * len(stances), stances

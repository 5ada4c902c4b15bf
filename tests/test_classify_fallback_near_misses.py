"""The classifier without a trained model on near misses written by the team.

Each sentence names a practice or uses a clause type's words without stating the
clause. The cases are these: rules that codes of conduct and developer policies set
for users; the arbitration that data privacy frameworks offer to people with a
complaint; a ban on unlawful posts that names "the laws of" a country; "acquisition"
in the sense of buying a product; artificial intelligence used to catch spam or
fraud, which is not training a model on user data; a customer's long warranty that
names a biometric privacy law. The fallback must not give the type.
The clauses after them use the same words to state the practice, and keep their type.
"""

from __future__ import annotations

import pytest

from clausewatch.classify import Classifier
from clausewatch.settings import Settings

NEAR_MISSES = [
    (
        "Don't use the assistant to guess anyone's health conditions or religious "
        "beliefs.",
        "sensitive_data_collection",
    ),
    (
        "Never use the camera feature to capture the fingerprints or face scans of "
        "other people.",
        "biometric_data",
    ),
    (
        "Developers must not use location data collected through their app for "
        "purposes the user did not agree to.",
        "location_data",
    ),
    (
        "Apps may not show personalised advertising based on a user's medical "
        "information.",
        "sharing_for_advertising",
    ),
    (
        "If a complaint about our compliance with the Data Privacy Framework remains "
        "unresolved, you may be able to invoke binding arbitration.",
        "arbitration",
    ),
    (
        "Members may not upload material that is defamatory under the laws of their "
        "home country.",
        "choice_of_law",
    ),
    (
        "Do not publish statements about real people that would be libel under the "
        "laws of any state.",
        "choice_of_law",
    ),
    (
        "After the acquisition of an add-on through our store, the add-on maker's "
        "terms apply to it.",
        "corporate_transaction_transfer",
    ),
    (
        "We rely on artificial intelligence to catch spam accounts and phishing links.",
        "ai_training_on_user_data",
    ),
    (
        "Our artificial intelligence systems help us spot fake reviews and block them.",
        "ai_training_on_user_data",
    ),
    (
        "We use artificial intelligence to detect abuse, such as bulk messaging, on "
        "the platform.",
        "ai_training_on_user_data",
    ),
    (
        "Customer warrants that its use of the services, including any processing "
        "of employee or visitor data, will comply with every privacy law that "
        "applies to it, including the Illinois Biometric Information Privacy Act.",
        "biometric_data",
    ),
    (
        "You represent, warrant and agree that your use of the service will comply "
        "with all laws on privacy and data protection that apply to you, in every "
        "country in which you operate, including the Illinois Biometric Information "
        "Privacy Act.",
        "biometric_data",
    ),
]

CLAUSES = [
    (
        "We collect your precise location when you turn on GPS, and you may not be "
        "able to use maps without it.",
        "location_data",
    ),
    (
        "We show you personalised advertising based on your activity, and you will "
        "not see such ads once you opt out.",
        "sharing_for_advertising",
    ),
    (
        "We process the health data that you choose to record in the app.",
        "sensitive_data_collection",
    ),
    (
        "We use facial recognition to verify your identity when you sign in.",
        "biometric_data",
    ),
    (
        "We use facial recognition to verify your identity, and you warrant that "
        "the photos you upload are of you.",
        "biometric_data",
    ),
    (
        "We may use the messages you send to train our artificial intelligence.",
        "ai_training_on_user_data",
    ),
    (
        "Any dispute between you and us will be resolved by binding arbitration.",
        "arbitration",
    ),
    ("These terms are governed by the laws of the State of New York.", "choice_of_law"),
    ("The laws of Spain apply to any dispute about these terms.", "choice_of_law"),
    (
        "If we are involved in a merger or acquisition, your information may be "
        "transferred to the buyer.",
        "corporate_transaction_transfer",
    ),
]


@pytest.fixture(scope="module")
def classifier(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    return Classifier.load(Settings(data_dir=tmp_path_factory.mktemp("data")))


def predicted_types(classifier: Classifier, text: str) -> set[str]:
    [result] = classifier.classify([text])
    return {label.clause_type_id for label in result.labels}


@pytest.mark.parametrize(("text", "clause_type"), NEAR_MISSES)
def test_near_miss_gets_no_type(classifier, text, clause_type):
    assert clause_type not in predicted_types(classifier, text)


@pytest.mark.parametrize(("text", "clause_type"), CLAUSES)
def test_clause_keeps_its_type(classifier, text, clause_type):
    assert clause_type in predicted_types(classifier, text)

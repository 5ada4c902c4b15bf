"""The severity modifier rules: phrases, effects and the categories they apply to.

``clausewatch.analysis.severity`` documents the table, and this module contains its
data. Each phrase pattern comes with the description that the severity reason quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AI = "Artificial intelligence"
COLLECTION = "Data collection"
SHARING = "Data sharing"
RETENTION = "Security and retention"
DISPUTES = "Dispute resolution"
CONTRACT = "Contract terms"
CONTENT = "Content and conduct"


@dataclass(frozen=True)
class ModifierRule:
    """One row of the modifier table."""

    code: str
    effect: int
    summary: str
    categories: frozenset[str]
    phrases: tuple[Phrase, ...]
    exempt: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Phrase:
    """A pattern of one modifier, the reason it gives, and clause types it skips."""

    pattern: re.Pattern[str]
    description: str
    exempt: frozenset[str] = frozenset()


def _phrase(
    pattern: str, description: str, *, exempt: frozenset[str] = frozenset()
) -> Phrase:
    return Phrase(re.compile(pattern, re.IGNORECASE), description, exempt)


_SENSITIVE_IDS = frozenset({"biometric_data", "sensitive_data_collection"})
# "If you", "where you have", "once the user has" and an adverb such as "first".
_IF_YOU = (
    r"\b(?:if|when|where|once|unless|whenever) (?:you|the user)"
    r"(?:['’]ve| have| has)? (?:(?:also|first|explicitly|specifically|then"
    r"|voluntarily) )?"
)

MODIFIER_RULES: tuple[ModifierRule, ...] = (
    ModifierRule(
        code="opt_out_offered",
        effect=-1,
        summary=(
            "offers an opt-out, asks for opt-in consent or lets users choose to "
            "allow the practice"
        ),
        categories=frozenset({AI, COLLECTION, SHARING, DISPUTES}),
        phrases=(
            _phrase(
                r"\bopt(?:ing)?[- ]?(?:out|in)\b|\bopted[- ]?(?:out|in)\b",
                "the clause offers an opt-out or opt-in",
            ),
            _phrase(
                r"\b(?:turn|switch) (?:it |this |that )?off\b|\bdisable\b"
                r"|\byou (?:can|may) (?:choose|decide|elect) (?:not )?to\b"
                r"|\bwithdraw (?:your )?consent\b|\bobject to\b",
                "the clause lets users turn the practice off",
            ),
            _phrase(
                r"\b(?:with|based on|upon|subject to) your "
                r"(?:prior |explicit |express )?(?:consent|permission)\b"
                r"|\bif you (?:consent|agree|allow)\b"
                r"|\bonly (?:when|if) you (?:choose|allow|enable)\b",
                "the clause depends on the user's consent",
            ),
            # An opt-in by choice or device permission: "if you choose to provide
            # it", "allow you to choose to share", "where you have granted
            # permission". A choice to do something else ("if you choose to file
            # an arbitration") does not count, and neither does "even if you don't
            # choose".
            _phrase(
                rf"(?<!\beven ){_IF_YOU}(?:choose|chose|chosen|select|selected|decide"
                r"|decided|elect|elected|opt|opted) to (?:provide|share|give|enable"
                r"|turn on|allow|connect|verify|submit|upload|link|send|grant"
                r"|record|sync|include|participate|join|block|decline|refuse"
                r"|disable|turn off|stop|delete|withdraw)\b"
                rf"|(?<!\beven ){_IF_YOU}(?:allow|allowed|enable|enabled|grant"
                r"|granted|give|gave|given|turn on|turned on|permit|permitted"
                r"|consent|consented|opt in|opted in|agree|agreed)\b"
                r"|\b(?:if|when|whenever) you (?:so )?choose\b(?!\s+to\b)"
                r"|\b(?:allow|allows|let|lets|enable|enables|permit|permits) you to "
                r"(?:choose|decide|elect)\b|\blets? you choose\b"
                r"|\byou (?:can|may|could) (?:also |then |always )?(?:choose|decide"
                r"|elect) (?:not )?to\b"
                r"|\bif (?:selected|chosen|enabled|allowed) by\b"
                r"|\b(?:permissions?|settings?) (?:that )?you (?:have )?(?:provided"
                r"|given|granted|enabled|chosen|allowed)\b"
                r"|\bwhat you (?:have )?(?:allowed|permitted|enabled|chosen)\b",
                "the clause lets users choose whether to allow it",
            ),
        ),
    ),
    ModifierRule(
        code="sensitive_data",
        effect=+1,
        summary=(
            "covers health, biometric, genetic, sexual orientation, religion, "
            "political, racial or ethnic, precise location or financial data"
        ),
        categories=frozenset({AI, COLLECTION, SHARING, RETENTION}),
        exempt=_SENSITIVE_IDS,
        phrases=(
            _phrase(
                r"\bbiometric\w*|\bface ?prints?\b|\bfacial (?:recognition|geometry)\b"
                r"|\bvoice ?prints?\b|\bfingerprints?\b",
                "the clause covers biometric data",
            ),
            _phrase(
                r"\b(?:health|medical)[- ](?:data|information|records?|conditions?"
                r"|history|apps?)\b|\bmental health\b|\bdiagnos[ie]s\b",
                "the clause covers health data",
            ),
            _phrase(r"\bgenetic\b|\bDNA\b", "the clause covers genetic data"),
            _phrase(
                r"\bsexual (?:orientation|life)\b|\bsex life\b",
                "the clause covers data on sexual orientation",
            ),
            _phrase(
                r"\breligio(?:n|us)\b|\bphilosophical beliefs\b",
                "the clause covers religious beliefs",
            ),
            _phrase(
                r"\bpolitical (?:opinions?|views|affiliation)\b|\btrade union\b"
                r"|\bracial\b|\bethnic(?:ity)?\b",
                "the clause covers special categories of data (political, racial or "
                "ethnic)",
            ),
            _phrase(
                r"\bprecise (?:geo)?location\b|\bGPS\b|\bexact location\b",
                "the clause covers precise location",
                # The location clause type's default already rests on precise
                # location, as the biometric type's rests on biometric data.
                exempt=frozenset({"location_data"}),
            ),
            _phrase(
                r"\bfinancial (?:information|data|accounts?)\b|\bbank account\w*"
                r"|\b(?:credit|debit) card\b|\bpayment card\b"
                # A person's income, not the platform's "income from advertising".
                r"|\b(?:your|household|annual|personal) income\b"
                r"|\bincome (?:levels?|brackets?|ranges?)\b",
                "the clause covers financial data",
            ),
        ),
    ),
    ModifierRule(
        code="childrens_data",
        effect=+1,
        summary="covers children, minors or teenagers",
        categories=frozenset({AI, COLLECTION, SHARING, RETENTION}),
        exempt=frozenset({"childrens_data"}),
        phrases=(
            _phrase(
                r"\bchild(?:ren)?(?:'s)?\b|\bminors?\b|\bkids\b|\bteen(?:s|agers?)?\b"
                r"|\bunder (?:the age of )?1[3-8]\b|\bparental consent\b",
                "the clause covers children's data",
            ),
        ),
    ),
    ModifierRule(
        code="broad_sharing",
        effect=+1,
        summary=(
            'shares with "any third party", "affiliates and partners", or sells, '
            "rents or trades data"
        ),
        categories=frozenset({AI, SHARING}),
        phrases=(
            _phrase(
                r"\bany (?:third[- ]part(?:y|ies)|other compan(?:y|ies)|one|entity)\b"
                r"|\bthird parties (?:of our choosing|we choose)\b"
                r"|\baffiliates(?:,)? and (?:business )?partners\b|\bpartners and "
                r"affiliates\b|\bdata brokers?\b",
                "the clause allows sharing with any third party or partner",
            ),
            _phrase(
                r"\b(?:sell|sells|sold|selling|sale of|rent|rents|trade|trades)\b"
                r"(?:\W+\w+){0,4}?\W+(?:data|information)\b",
                "the clause allows the data to be sold, rented or traded",
                # Selling is what the sale clause type is about, so it sets the default.
                exempt=frozenset({"sale_of_data"}),
            ),
        ),
    ),
    ModifierRule(
        code="narrow_scope",
        effect=-1,
        summary=(
            "limits itself to anonymised, aggregated or de-identified data, to "
            "service providers acting for the platform, or says data is not sold"
        ),
        categories=frozenset({AI, COLLECTION, SHARING}),
        phrases=(
            _phrase(
                r"\b(?:anonymi[sz]ed|aggregated?|de-?identified|pseudonymi[sz]ed)\b",
                "the clause is limited to anonymised or aggregated data",
            ),
            _phrase(
                r"\b(?:solely|only|strictly) (?:to|for|on) (?:provide|perform|our "
                r"behalf)|\bon our behalf and (?:under|subject to)\b"
                r"|\bprohibited from using\b",
                "the clause limits use to service providers working for the platform",
            ),
            _phrase(
                r"\b(?:do|does|will) not (?:sell|rent|trade)\b|\bnever (?:sell|rent)\b"
                r"|\b(?:don't|doesn't|won't|don’t|doesn’t|won’t) (?:sell|rent|trade)\b",
                "the clause states that data is not sold",
            ),
        ),
    ),
    ModifierRule(
        code="indefinite_retention",
        effect=+1,
        summary='keeps data "indefinitely", "permanently" or with no time limit',
        categories=frozenset({AI, COLLECTION, RETENTION}),
        phrases=(
            _phrase(
                r"\bindefinitely\b|\bforever\b|\bno time limit\b"
                # "permanently deleted" is the opposite of keeping data.
                r"|\bpermanently\b(?!\s+(?:delet|remov|eras|destroy|anonymi))"
                r"|\bwithout (?:a |any )?time limit\b"
                r"|\bfor as long as we (?:want|wish)\b",
                "the clause allows keeping data indefinitely",
            ),
        ),
    ),
    ModifierRule(
        code="perpetual_licence",
        effect=+1,
        summary="grants a perpetual, irrevocable or sublicensable licence",
        categories=frozenset({AI, CONTRACT, CONTENT}),
        phrases=(
            _phrase(
                r"\bperpetual\b|\birrevocabl[ey]\b",
                "the clause grants a perpetual or irrevocable licence",
            ),
            _phrase(
                r"\bsub-?licens(?:able|eable)\b",
                "the clause grants a licence that can be passed on to others",
            ),
        ),
    ),
    ModifierRule(
        code="without_notice",
        effect=+1,
        summary='allows changes, suspension or removal "without notice"',
        categories=frozenset({CONTRACT, CONTENT}),
        phrases=(
            _phrase(
                r"\bwithout (?:prior |advance |any |further )?(?:notice|notification|"
                r"warning)\b|\bat any time(?:,)? (?:and )?for any reason\b"
                r"|\bin our sole discretion\b",
                "the clause allows acting without notice",
            ),
        ),
    ),
    ModifierRule(
        code="advance_notice",
        effect=-1,
        summary="promises notice in advance (such as 30 days' notice)",
        categories=frozenset({CONTRACT, CONTENT}),
        phrases=(
            _phrase(
                r"\b\d+ days?(?:'|’)? (?:prior |advance )?notice\b"
                r"|\b(?:notify|notice to|inform) you (?:in advance|before)\b"
                r"|\b(?:prior|advance|reasonable) notice\b",
                "the clause promises notice in advance",
            ),
        ),
    ),
)

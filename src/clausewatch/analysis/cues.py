"""Word patterns that mark what a link or e-mail address in a policy is for.

Each contact kind has cues for link text (anchor, sentence, heading) and for URLs. The
scores are weights of evidence: an anchor that reads "Delete your account" outweighs a
sentence that mentions deletion somewhere.
"""

from __future__ import annotations

import re

#: Evidence weights by where a cue was found.
ANCHOR_WEIGHT = 3
URL_WEIGHT = 2
SENTENCE_WEIGHT = 1
HEADING_WEIGHT = 1
#: Extra evidence for a link on the platform's own site (the ``base_url`` site).
OWN_SITE_WEIGHT = 1
#: Sentence weight when the anchor itself has no cue ("here", "this page").
GENERIC_ANCHOR_SENTENCE_WEIGHT = 3
#: Lowest total evidence for a link to count as a contact of a kind.
LINK_THRESHOLD = 3

_I = re.IGNORECASE

# Kinds in order of precedence: on equal evidence the more specific kind wins.
TEXT_CUES: dict[str, re.Pattern[str]] = {
    "account_deletion_url": re.compile(
        r"\b(?:delet\w*|clos\w*|remov\w*|deactivat\w*|cancel\w*)"
        r"(?: (?:of )?(?:your|the|an?|my))? (?:\w+ )?accounts?\b"
        r"|\baccount (?:deletion|closure|removal)\b",
        _I,
    ),
    "deletion_request_url": re.compile(
        r"\b(?:delet|eras|remov)\w*(?: (?:of|to))?(?: (?:your|the|my|all))?"
        r"(?: personal)? (?:data|information|content|history)\b"
        r"|\bdata (?:deletion|erasure)\b|\bdeletion requests?\b"
        r"|\brequest (?:the )?(?:deletion|erasure)\b"
        r"|\bright (?:to|of) (?:delete|deletion|erasure|be forgotten)\b",
        _I,
    ),
    "data_export_url": re.compile(
        r"\bdownload(?:ing)?(?: (?:a )?copy of)? (?:your|all your|my) "
        r"(?:\w+ )?(?:data|information|archive|history|content)\b"
        r"|\bexport\w*\b|\btakeout\b|\bdata portability\b|\bportability\b"
        r"|\b(?:get|obtain|request) a copy of your\b",
        _I,
    ),
    "privacy_request_form_url": re.compile(
        r"\b(?:privacy|data) (?:[\w-]+ ){0,3}requests?\b|\bprivacy team\b"
        r"|\b(?:submit|make|send|file) (?:a |your |such )?(?:privacy |data |rights )?"
        r"requests?\b|\bexercis\w+ (?:your |these |any of (?:your|these) )?rights\b"
        r"|\brequest form\b|\bweb ?form\b|\bprivacy (?:portal|request center)\b"
        r"|\bDSAR\b|\bcontact (?:the |our )?(?:privacy|data protection)\b",
        _I,
    ),
    "opt_out_url": re.compile(
        r"\bopt(?:ing)?[- ]?out\b|\bdo not (?:sell|share)\b|\bunsubscrib\w*"
        r"|\bwithdraw\w* (?:your )?consent\b|\byour privacy choices\b"
        r"|\blimit the use\b|\bobject to\b|\bturn off\b|\bswitch off\b",
        _I,
    ),
    "settings_url": re.compile(
        r"\bsettings?\b|\bdata controls?\b|\bpreferences\b"
        r"|\bprivacy (?:checkup|dashboard|controls)\b|\bcontrol panel\b|\bdashboard\b"
        r"|\bmanage your (?:data|information|privacy|ads?|activity)\b"
        r"|\bactivity controls\b|\baccounts? cent(?:er|re)\b|\bmy account\b",
        _I,
    ),
}

URL_CUES: dict[str, re.Pattern[str]] = {
    "account_deletion_url": re.compile(
        r"delete[-_]?(?:my[-_]?|your[-_]?)?account|account[-_/]?(?:delet|clos|remov)"
        r"|deactivat|close[-_]?account",
        _I,
    ),
    "deletion_request_url": re.compile(r"delet|erasure|forget", _I),
    "data_export_url": re.compile(
        r"download[-_]?(?:your|my)?[-_]?(?:data|information|info)|export|takeout"
        r"|portability|/download",
        _I,
    ),
    "privacy_request_form_url": re.compile(
        r"dsar|privacy[-_]?request|data[-_]?request|privacy[-_]?portal|webform"
        r"|privacyportal|request[-_]?form|/privacy/?(?:form|contact)\b|//privacy\.",
        _I,
    ),
    "opt_out_url": re.compile(
        r"opt[-_]?out|do[-_]?not[-_]?sell|unsubscribe|youradchoices|aboutads\.info"
        r"|networkadvertising\.org|youronlinechoices|privacy[-_]?choices",
        _I,
    ),
    "settings_url": re.compile(
        r"settings|preferences|/controls|dashboard|myaccount|accountscenter"
        r"|activitycontrols",
        _I,
    ),
}

# Links to a policy or a regulator's page, whatever sentence they sit in.
NOT_A_CONTACT_ANCHOR = re.compile(
    r"\b(?:privacy|cookie|cookies) (?:policy|notice|statement)\b|\bterms\b"
    r"|\bcommissioner\b|\bsupervisory authority\b"
    r"|\bprotection (?:commission|authority)\b",
    _I,
)

# Anchors too vague to say anything on their own.
GENERIC_ANCHOR = re.compile(
    r"^(?:click |tap )?(?:here|this (?:page|link|form|tool)|(?:this|the) link|link"
    r"|online|this|learn more|more|contact us|contacting us|visit|see|page"
    r"|https?://\S+|[\w.-]+\.[a-z]{2,}(?:/\S*)?)$",
    _I,
)

# E-mail cues: the local part and the text just before the address.
PRIVACY_LOCAL_PART = re.compile(
    r"privacy|dsar|gdpr|ccpa|dataprotection|data[._-]protection|personaldata"
    r"|datarequest|data[._-]?requests?|rights",
    _I,
)
DPO_LOCAL_PART = re.compile(r"^dpo\b|dpo[._-]|\bdpo$|protection[._-]?officer", _I)
DPO_TEXT = re.compile(r"\b(?i:data protection officer)\b|\bDPO\b")
PRIVACY_TEXT = re.compile(
    r"\bprivacy\b|\bpersonal (?:data|information)\b|\bdata protection\b"
    r"|\byour (?:data )?rights\b|\bdata subject\b|\berasure\b|\bGDPR\b|\bCCPA\b"
    r"|\bdelet\w* (?:your|the) (?:personal )?(?:data|information)\b"
    r"|\baccess request\b|\bopt[- ]out\b"
    r"|\bprocessing of (?:your )?(?:personal )?data\b",
    _I,
)
# A decoy word, alone or as the first part ("abuse-reports"), names another desk.
# Local parts that contain a privacy word are read as privacy addresses first.
DECOY_LOCAL_PART = re.compile(
    r"^(?:press|media|pr|news|newsroom|comms|communications|careers|jobs|recruiting"
    r"|sales|marketing|abuse|security|copyright|dmca|ip|trademarks?|noreply|no-reply"
    r"|donotreply|partners?|partnerships|investors?|ir|advertising|ads|billing)"
    r"(?:[._-][\w.-]*)?$",
    _I,
)
DECOY_TEXT = re.compile(
    r"\bpress\b|\bmedia (?:inquir|enquir|request)\w*|\bjournalists?\b|\bcareers?\b"
    r"|\bjob applicants?\b|\bcopyright\b|\btrademark\b|\bsecurity vulnerabilit\w*"
    r"|\binvestors?\b|\badvertis\w+ (?:inquir|enquir)\w*|\bpartnership\w*"
    r"|\bmediat(?:ion|or)\b|\bintellectual property\b"
    r"|\bbusiness (?:matters|inquiries|enquiries|development)\b"
    # A regulator's address, where users may complain, is not the platform's.
    r"|\bcommissioner\b|\b(?:supervisory|data protection|privacy) authorit(?:y|ies)\b"
    r"|\bprotection commission\b|\bregulators?\b|\battorneys? general\b"
    # Desks for takedown notices, legal process and requests for a copy of the terms.
    r"|\bDMCA\b|\blaw enforcement\b|\blegal process\b|\bservice of process\b"
    r"|\bsubpoenas?\b|\bcustodian of records\b"
    r"|\bterms (?:of (?:use|service) )?inquir\w*",
    _I,
)

# An address for notices of dispute and arbitration opt-outs, which is not a privacy
# desk even where the sentence also contains "opt out".
DISPUTE_LOCAL_PART = re.compile(r"arbitrat|dispute|legal[._-]?notices?", _I)
DISPUTE_TEXT = re.compile(
    r"\barbitra\w*|\bnotices? of (?:dispute|claim)s?\b|\bdispute notices?\b"
    r"|\bdispute resolution\b|\bclass[- ]action\b|\bclaimant notices?\b",
    _I,
)
# An attention line to the desk that takes notices of dispute: "Attn: Disputes",
# "ATTN: Litigation Department", "Attention: Legal Department", "Attn: General
# Counsel".
DISPUTE_ATTENTION = re.compile(
    r"\b(?:attn|attention|fao)\b\W*(?:[\w-]+\s+){0,3}?"
    r"(?:disputes?|litigation|legal|general counsel)\b",
    _I,
)
# A postal address for notices that cancel a purchase or a subscription: an attention
# line to the cancellations, billing or refunds desk ("Attn: Cancellations"), or a
# lead-in about cancelling a subscription, membership, order or purchase. It serves
# subscription actions, not privacy requests.
CANCELLATION_ATTENTION = re.compile(
    r"\b(?:attn|attention|fao)\b\W*(?:[\w-]+\s+){0,3}?"
    r"(?:cancell?ations?|subscriptions?|billing|refunds?)\b",
    _I,
)
CANCELLATION_TEXT = re.compile(
    r"\bcancel\w*\s+(?:\w+\s+){0,3}?(?:subscriptions?|memberships?|orders?"
    r"|purchases?|plans?|agreement|contract)\b|\brefunds?\b",
    _I,
)
# Arbitration and mediation bodies, whose addresses are theirs and not the platform's.
DISPUTE_BODY_TEXT = re.compile(
    r"\b(?:NAM|JAMS|AAA|ICDR|CMAP|SIAC|LCIA)\b|\bAmerican Arbitration Association\b"
    r"|\b(?:arbitration|mediation) (?:cent(?:er|re)|provider|institution)\b"
    r"|\bmediat(?:ion|or)\b"
)

# A link whose path contains a percent-encoded "/" or ":" wraps another address (a
# rendering that put the real URL inside its own), so it leads to no usable page.
WRAPPED_URL_PATH = re.compile(r"%2F|%3A", _I)

# Settings that are not about personal data, whatever the sentence around them.
NOT_PRIVACY_SETTINGS = re.compile(r"accessib\w*", _I)

# URL words of a page where a user can act: help, contact, account or privacy pages.
# A link to another site counts as a contact only with one of these in its host or
# path, or with a cue in its anchor text or URL. The sentence around a link to another
# site often describes that site's page rather than the platform's.
ACTIONABLE_URL = re.compile(
    r"(?<![a-z])(?:help|support|contact|privacy|settings|account|requests?|forms?"
    r"|opt|delet\w*|gdpr|ccpa|choices)",
    _I,
)

#: Words that an action's contacts must contain, by contact topic (the ``topic`` of
#: an action in the taxonomy). The contact's sentence and its URL are searched.
TOPIC_CUES: dict[str, re.Pattern[str]] = {
    "arbitration": re.compile(rf"{DISPUTE_TEXT.pattern}|dispute\w*@", _I),
    "account_security": re.compile(
        r"\btwo[- ](?:factor|step)\b|\b2FA\b|\bmulti[- ]factor\b|\bauthenticat\w*"
        r"|\bsecurity\b|\bpasswords?\b|\blog ?ins?\b|\bsign[- ]ins?\b|\bsessions?\b"
        r"|two[-_]?factor|/security",
        _I,
    ),
    "cookies": re.compile(
        r"\bcookies?\b|\bsimilar technologies\b|\btracking technologies\b"
        # "optanon" appears in links that open the OneTrust cookie consent tool.
        r"|cookie|optanon",
        _I,
    ),
    # An ad or cookie opt-out does not stop training, so only words about models,
    # training or the product's data controls count.
    "model_training": re.compile(
        r"\btrain(?:s|ed|ing)?\b|\b(?:AI|ML)\b|\bartificial intelligence\b"
        r"|\bmachine learning\b|\b(?:language |AI |ML )?models?\b|\bgenerative\b"
        r"|\bimprove (?:our |the )?(?:models?|AI|services?|products?)\b"
        r"|data[- ](?:privacy[- ])?controls|content[- ]improvement",
        _I,
    ),
    "subscriptions": re.compile(
        r"\bsubscri\w*|\b(?:auto[- ]?)?renew\w*"
        r"|\bpaid (?:plans?|services?|accounts?)\b",
        _I,
    ),
}

# A page about a subscription or its renewal, named by its URL. It serves only
# subscription actions, because "turn off" on it stops a renewal, not a data practice.
# Billing alone is no sign: account pages sit under paths such as "/account-billing/".
SUBSCRIPTION_URL = re.compile(r"renew|subscri", _I)

# Uses of data beyond cookies or credit offers. A link in a sentence about cookies
# and ads can serve an advertising opt-out, but a link about cookies alone cannot,
# and neither can a link to a cookie page, whatever its sentence names.
OTHER_DATA_USES_TEXT = re.compile(
    r"\bads?\b|\badvertis\w*|\bmarketing\b|\bsell\w*|\bsale\b|\bshar(?:e|ing)\b"
    r"|\bpersonali[sz]\w*|\bprofil\w*|\binterest-based\b|\btargeted\b",
    _I,
)
OPT_OUT_WORDS = re.compile(r"\bopt(?:ing)?[- ]?out\b", _I)

# Prescreened offers of credit or insurance. Their opt-out (a credit bureaus' service
# under the US Fair Credit Reporting Act) stops those offers and no use of data for
# ads, sale, sharing or profiling, so no action offers it.
CREDIT_OFFER_TEXT = re.compile(
    r"\bpre-?screen\w*|\bfirm offers? of (?:credit|insurance)\b"
    r"|\b(?:pre-?approved|unsolicited) (?:credit )?offers\b|\bcredit offers\b",
    _I,
)
CREDIT_OFFER_URL = re.compile(r"pre-?screen", _I)

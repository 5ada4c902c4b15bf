"""Word lists that decide which words of a provision are key terms."""

from __future__ import annotations

# Function words, pronouns and drafting filler. They split a text into candidate
# phrases and never form a key term on their own.
STOPWORDS = frozenset(
    """
    a about above across after again against all almost along also although always am
    among an and another any anyone anything are around as at be became because become
    been before being below between both but by can cannot could did do does doing done
    down during each either else enough etc even ever every for from further had has
    have having he her here hers herself him himself his how however i if in into is it
    its itself just least less let like made make makes many may me might more most
    much must my myself neither nor now of off often on once one only onto or other
    others otherwise our ours ourselves out over own per perhaps rather same shall she
    should since so some such than that the their theirs them themselves then there
    thereby therefore these they this those though through throughout thus to together
    too under unless until up upon us very via was we well were what whatever when
    whenever where whereas wherever whether which while who whoever whom whose why will
    with within without would yet you your yours yourself yourselves
    e.g i.e eg ie include includes including included certain applicable relevant
    particular generally also respect regard regarding related relating hereby herein
    hereof hereunder therein thereof whereby accordingly time times way ways example
    following described set forth below above section sections term terms
    i'm you're we're they're it's that's there's what's here's let's
    i've you've we've they've i'll you'll we'll they'll it'll i'd you'd we'd they'd
    """.split()
)

# Words that negate what follows; "not sell" and "sell" are different key terms.
NEGATIONS = frozenset({"not", "never", "no", "neither", "nor", "without", "cannot"})

# Words too common in policies to be a key term alone. They still count inside a
# phrase ("personal information", "your content").
WEAK_WORDS = frozenset(
    """
    information data service services use used using uses user users content policy
    policies platform website websites site sites app apps application applications
    account accounts provide provided provides providing purpose purposes means
    product products feature features agreement person people party parties company
    companies ensure help please learn see find read request requests available
    access order process processing processed need needs manner thing things case
    cases able new important reasonable reasonably appropriate necessary otherwise
    """.split()
)

# Words that users and compliance teams look for first, matched against lowercase
# words. An entry ending in "*" matches every word that starts with it. A key term
# that contains one of them ranks before other terms.
NOTABLE_WORDS = frozenset(
    """
    ai ml artificial intelligence machine learning model* train* algorithm* automat*
    llm* generative
    sell sells selling sold sale sales shar* disclos* transfer* broker* advertis*
    marketing target* profil* third affiliat* partner* vendor* government*
    enforcement subpoena*
    biometric* facial face faces voice* fingerprint* genetic* health location*
    gps precise sensitive child children minor minors
    retain* retention delet* eras* destroy* anonymi* pseudonymi* aggregat*
    cookie* track* pixel* beacon*
    consent* opt opt-out opt-in withdraw* object objection
    arbitrat* class waive* waiver* jury court* jurisdiction* governing law laws
    liabilit* liable indemnif* warrant* damage*
    terminat* suspend* suspension
    licen* royalt* ownership owns perpetual irrevocable worldwide sublicens*
    renew* subscription* fee fees refund* charge* price*
    encrypt* security breach*
    """.split()
)

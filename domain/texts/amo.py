"""Texts of the AMO's composition in the documentation overview: (Danish, English)."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "amo.title": ("AMO's sammensætning: {unit}", "The AMO's composition: {unit}"),
    "amo.intro": (
        "Skriv AMO's grupper og begrundelsen for antallet af medlemmer og grupper. Det gemmes "
        "med dagens dato og dit navn, og den tidligere begrundelse bevares.",
        "Write the AMO's groups and the reasoning for the number of members and groups. It is "
        "saved with today's date and your name, and the earlier reasoning is kept.",
    ),
    "amo.members": ("Medlemmer nu", "Members now"),
    "amo.members.hint": (
        "Medlemmerne er enhedens ledere, AMK'er og AMR'er i AMK-bot. Mangler nogen, kan "
        "administratoren rette rollerne under **admin**.",
        "The members are the unit's leaders, AMKs and AMRs in AMK-bot. If someone is "
        "missing, an administrator can correct the roles under **admin**.",
    ),
    "amo.role.leader": ("Ledere", "Leaders"),
    "amo.role.amk": ("AMK'er", "AMKs"),
    "amo.role.amr": ("Arbejdsmiljørepræsentanter (AMR)", "Work-environment representatives (AMR)"),
    "amo.nobody": ("ingen", "nobody"),
    "amo.field.groups": ("Grupper (én pr. linje)", "Groups (one per line)"),
    "amo.field.groups.placeholder": (
        "Fx Arbejdsmiljøgruppe for laboratorierne",
        "E.g. Work-environment group for the labs",
    ),
    "amo.field.groups.hint": (
        "Antallet af grupper tælles ud fra linjerne.",
        "The number of groups is counted from the lines.",
    ),
    "amo.field.reasoning": (
        "Begrundelse for antallet af medlemmer og grupper",
        "Reasoning for the number of members and groups",
    ),
    "amo.field.reasoning.placeholder": (
        "Fx antal ansatte, hvor de arbejder, og hvilke risici der er",
        "E.g. the number of staff, where they work and the risks",
    ),
    "amo.field.proof.placeholder": (
        "https://… (fx referatet, hvor det blev besluttet)",
        "https://… (e.g. the minutes where it was decided)",
    ),
    "amo.error.groups": (
        "Skriv mindst én gruppe (højst 20 grupper og 100 tegn pr. navn).",
        "Write at least one group (20 groups at most, 100 characters per name).",
    ),
    "amo.error.reasoning": (
        "Skriv begrundelsen (højst 2000 tegn).",
        "Write the reasoning (2,000 characters at most).",
    ),
    "amo.saved": (
        "Gemt: AMO's sammensætning den {day} (grupper: {groups}, medlemmer: {members}).",
        "Saved: the AMO's composition on {day} (groups: {groups}, members: {members}).",
    ),
    "amo.groups": ("Grupper ({count}): {names}", "Groups ({count}): {names}"),
    "amo.reasoning": ("**Begrundelse:**", "**Reasoning:**"),
    "amo.recorded": (
        "Registreret {day} af {who} med {members} medlemmer.",
        "Recorded on {day} by {who} with {members} members.",
    ),
    "amo.review.why": (
        "Enhedens ledere, AMK'er eller AMR'er er ændret væsentligt siden begrundelsen.",
        "The unit's leaders, AMKs or AMRs have changed substantially since the reasoning.",
    ),
    "amo.review.title": (
        "AMO's sammensætning skal gennemgås",
        "Review the AMO's composition",
    ),
    "amo.review.text": (
        "Rollerne i {unit} er ændret væsentligt, siden AMO's sammensætning blev begrundet den "
        "{day}: {gone} er gået, og {new} er kommet til.",
        "The roles in {unit} have changed substantially since the AMO's composition was "
        "reasoned on {day}: {gone} have left and {new} have joined.",
    ),
    "amo.review.hint": (
        "Se, om antallet af medlemmer og grupper stadig passer, og registrér sammensætningen "
        "igen – også hvis den er uændret.",
        "Check that the number of members and groups still fits, and record the composition "
        "again – also if it has not changed.",
    ),
    "amo.review.open": ("Gennemgå AMO", "Review the AMO"),
}

"""Texts of the organisation's sync from Entra ID: (Danish, English)."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "org_sync.orphaned.title": (
        "Opgaver uden ansvarlig: {unit}",
        "Tasks without an owner: {unit}",
    ),
    "org_sync.orphaned.intro": (
        "Disse åbne opgaver har en ansvarlig, der ikke længere findes i universitetets "
        "brugerkatalog (Entra ID), typisk fordi personen er stoppet. Intet er slettet: "
        "find en ny ansvarlig for hver opgave.",
        "These open tasks belong to someone who no longer exists in the university's "
        "directory (Entra ID), usually because they have left. Nothing has been deleted: "
        "please find a new owner for each task.",
    ),
    "org_sync.orphaned.wellbeing": ("Handlingsplan", "Action plan"),
    "org_sync.orphaned.near_miss": ("Nærved-tiltag", "Near-miss action"),
    "org_sync.orphaned.item": (
        "{kind}: {title} (ansvarlig: {owner}, frist {due})",
        "{kind}: {title} (owner: {owner}, due {due})",
    ),
    "org_sync.orphaned.how": (
        "En handlingsplans punkter får en ny ansvarlig under **handlingsplan**.",
        "Action-plan items get a new owner under **action plan**.",
    ),
    "org_sync.failed.title": (
        "Organisationen blev ikke opdateret i nat",
        "The organisation was not updated last night",
    ),
    "org_sync.failed.problems": (
        "Nattens opdatering af roller fra Entra ID fandt {count} problem(er) i grupperne "
        "eller i opsætningen, fx en gruppe der ikke findes, eller en person i to enheders "
        "ledergrupper. Derfor er intet ændret: rollerne er som før. Bed den, der driver "
        "AMK-bot, om at se problemerne igennem.",
        "Last night's update of the roles from Entra ID found {count} problem(s) in the "
        "groups or in the set-up, e.g. a group that does not exist, or a person in two "
        "units' leader groups. So nothing was changed: the roles are as before. Please ask "
        "whoever runs AMK-bot to look into them.",
    ),
    "org_sync.failed.mapping": (
        "Nattens opdatering af roller fra Entra ID kunne ikke læse sin opsætning, så intet "
        "er ændret. Bed den, der driver AMK-bot, om at rette den.",
        "Last night's update of the roles from Entra ID could not read its set-up, so "
        "nothing was changed. Please ask whoever runs AMK-bot to correct it.",
    ),
    "org_sync.failed.graph": (
        "Nattens opdatering af roller fra Entra ID fik ikke svar eller adgang fra Microsoft "
        "Graph, så intet er ændret. Der prøves igen i morgen nat.",
        "Last night's update of the roles from Entra ID got no answer or no access from "
        "Microsoft Graph, so nothing was changed. It is tried again tomorrow night.",
    ),
}

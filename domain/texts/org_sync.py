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
}

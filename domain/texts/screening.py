"""Texts of sister screenings between units: (Danish, English)."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "screening.block.title": ("Søsterscreeninger", "Sister screenings"),
    "screening.block.none": (
        "Ingen anmodninger om søsterscreening endnu.",
        "No sister-screening requests yet.",
    ),
    "screening.line.asked": (
        "{day}: bad {partner} om en søsterscreening – {status}",
        "{day}: asked {partner} for a sister screening – {status}",
    ),
    "screening.line.asked_by": (
        "{day}: {unit} bad om en søsterscreening – {status}",
        "{day}: {unit} asked for a sister screening – {status}",
    ),
    "screening.status.requested": ("afventer svar", "awaiting an answer"),
    "screening.status.accepted": ("aftalt til {day}", "agreed for {day}"),
    "screening.status.declined": ("afvist", "declined"),
    "screening.button.ask": ("Bed om søsterscreening", "Ask for a sister screening"),
    "screening.button.send": ("Send anmodningen", "Send the request"),
    "screening.button.back": ("Tilbage til oversigten", "Back to the overview"),
    "screening.button.accept": ("Acceptér og foreslå dato", "Accept and propose a day"),
    "screening.button.decline": ("Afvis", "Decline"),
    "screening.ask.title": ("Bed om søsterscreening", "Ask for a sister screening"),
    "screening.ask.intro": (
        "En søsterscreening er en gensidig gennemgang af arbejdsmiljøet med en lignende "
        "enhed. Den anden enheds AMK får anmodningen og foreslår en dato. Når screeningen er "
        "holdt, registrerer I den under Screening, og fundene skrives ind i "
        "**handlingsplan**.",
        "A sister screening is a mutual walk-through of the work environment with a similar "
        "unit. The other unit's AMK gets the request and proposes a day. Once it is held, "
        "record it under Screening and put the findings into the **action plan**.",
    ),
    "screening.ask.unit": ("Fra enheden: {unit}", "From the unit: {unit}"),
    "screening.field.partner": ("Hvilken enhed vil I screene med?", "Which unit to screen with?"),
    "screening.field.partner.error": ("Vælg en anden enhed.", "Choose another unit."),
    "screening.sent": (
        "Anmodningen er sendt til {partner}. I får besked, når enheden svarer.",
        "The request was sent to {partner}. You will hear when the unit answers.",
    ),
    "screening.nobody": (
        "{partner} har hverken AMK eller leder i AMK-bot, så anmodningen er gemt, men "
        "ingen har fået den. Kontakt enheden direkte.",
        "{partner} has no AMK or leader in AMK-bot: the request is saved, but nobody got "
        "it. Contact the unit directly.",
    ),
    "screening.answer.title": ("Anmodning om søsterscreening", "Sister-screening request"),
    "screening.answer.intro": (
        "**{unit}** beder **{partner}** om en søsterscreening (anmodet {day}).",
        "**{unit}** asks **{partner}** for a sister screening (asked on {day}).",
    ),
    "screening.answer.status": ("Status: {status}", "Status: {status}"),
    "screening.field.planned_on": ("Foreslået dato", "Proposed day"),
    "screening.field.planned_on.error": ("Vælg en dato.", "Pick a day."),
    "screening.error.past": (
        "Datoen kan ikke ligge i fortiden.",
        "The day cannot be in the past.",
    ),
    "screening.already": (
        "Anmodningen er allerede besvaret.",
        "The request has already been answered.",
    ),
    "screening.answered.accepted": (
        "{partner} har accepteret jeres anmodning om søsterscreening og foreslår {day}.",
        "{partner} accepted your sister-screening request and proposes {day}.",
    ),
    "screening.answered.declined": (
        "{partner} har afvist jeres anmodning om søsterscreening.",
        "{partner} declined your sister-screening request.",
    ),
    "screening.not_allowed": (
        "Kun enhedens leder og AMK og arbejdsmiljøsekretariatet kan bede om eller besvare "
        "en søsterscreening.",
        "Only the unit's leader and AMK and the work-environment secretariat can ask for or "
        "answer a sister screening.",
    ),
    "screening.unknown": (
        "Den anmodning eller enhed findes ikke (længere).",
        "That request or unit no longer exists.",
    ),
}

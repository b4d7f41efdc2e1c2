"""Texts of screenings and of sister-screening requests between units: (Danish, English)."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "screening.block.title": ("Screeninger", "Screenings"),
    "screening.block.none": (
        "Ingen screeninger eller anmodninger om søsterscreening endnu.",
        "No screenings or sister-screening requests yet.",
    ),
    "screening.block.requests": (
        "Anmodninger om søsterscreening",
        "Sister-screening requests",
    ),
    "screening.kind.internal": ("Intern screening", "Internal screening"),
    "screening.kind.sister": (
        "Søsterscreening med en anden enhed",
        "Sister screening with another unit",
    ),
    "screening.kind.secretariat": (
        "Screening ved arbejdsmiljøsekretariatet",
        "Screening by the work-environment secretariat",
    ),
    "screening.kind.internal.line": ("intern screening", "internal screening"),
    "screening.kind.sister.line": (
        "søsterscreening med {partner}",
        "sister screening with {partner}",
    ),
    "screening.kind.secretariat.line": (
        "screening ved arbejdsmiljøsekretariatet",
        "screening by the work-environment secretariat",
    ),
    "screening.state.held": ("Den er holdt", "It was held"),
    "screening.state.planned": ("Den er planlagt", "It is planned"),
    "screening.line.planned": ("{day}: {what} – planlagt", "{day}: {what} – planned"),
    "screening.line.held": ("{day}: {what} – holdt", "{day}: {what} – held"),
    "screening.line.held_findings": (
        "{day}: {what} – holdt, {count} fund i handlingsplanen",
        "{day}: {what} – held, {count} findings in the action plan",
    ),
    "screening.line.with_us": (
        "søsterscreening hos {unit} (I deltog)",
        "sister screening at {unit} (you took part)",
    ),
    "screening.button.record": ("Registrér screening", "Record a screening"),
    "screening.button.held": ("Registrér som holdt", "Record as held"),
    "screening.button.save": ("Gem screeningen", "Save the screening"),
    "screening.button.plan": ("Vis handlingsplanen", "Show the action plan"),
    "screening.record.title": ("Registrér screening", "Record a screening"),
    "screening.record.intro": (
        "Vælg hvilken slags screening det er, og om den er holdt eller planlagt. Fund fra en "
        "holdt screening skrives ind i enhedens **handlingsplan**, hvor den ansvarlige får "
        "hvert punkt og bliver fulgt op.",
        "Choose the kind of screening and whether it was held or is planned. Findings of a "
        "held screening go into the unit's **action plan**, where each owner gets their item "
        "and is followed up.",
    ),
    "screening.record.errors": (
        "Noget skal rettes – se under felterne.",
        "Something needs fixing – see under the fields.",
    ),
    "screening.field.kind": ("Hvilken slags screening?", "Which kind of screening?"),
    "screening.field.kind.error": ("Vælg hvilken slags.", "Choose the kind."),
    "screening.field.request": (
        "Søsterscreening: hvilken aftale?",
        "Sister screening: which agreement?",
    ),
    "screening.field.request.placeholder": ("Vælg anmodningen", "Choose the request"),
    "screening.field.request.choice": ("{unit}, aftalt til {day}", "{unit}, agreed for {day}"),
    "screening.field.state": ("Er den holdt?", "Was it held?"),
    "screening.field.state.error": (
        "Vælg om den er holdt eller planlagt.",
        "Choose held or planned.",
    ),
    "screening.field.day": ("Dato", "Day"),
    "screening.field.day.error": ("Vælg en dato.", "Pick a day."),
    "screening.field.proof": (
        "Link til rapporten (valgfrit)",
        "Link to the report (optional)",
    ),
    "screening.findings.title": ("Fund", "Findings"),
    "screening.findings.hint": (
        "Kun for en holdt screening. Skriv hvert fund kort. Handling, ansvarlig og frist kan "
        "vente: så bliver du ansvarlig med frist om 90 dage, og punktet kan rettes i "
        "handlingsplanen.",
        "Only for a held screening. Describe each finding briefly. Action, owner and deadline "
        "can wait: you become the owner with a deadline in 90 days, and the item can be "
        "changed in the action plan.",
    ),
    "screening.findings.row": ("Fund {n}", "Finding {n}"),
    "screening.finding.action": (
        "Aftales i handlingsplanen",
        "To be agreed in the action plan",
    ),
    "screening.error.future": (
        "En holdt screening kan ikke ligge i fremtiden.",
        "A held screening cannot lie in the future.",
    ),
    "screening.error.request": (
        "Vælg den accepterede anmodning. Har I ingen, så bed først en anden enhed om en "
        "søsterscreening.",
        "Choose the accepted request. If you have none, ask another unit for a sister "
        "screening first.",
    ),
    "screening.error.findings_planned": (
        "Fund kan først registreres, når screeningen er holdt.",
        "Findings can be recorded once the screening is held.",
    ),
    "screening.saved.title": ("Screeningen er gemt", "The screening is saved"),
    "screening.saved.held": (
        "{unit}: {what} holdt {day}.",
        "{unit}: {what} held on {day}.",
    ),
    "screening.saved.planned": (
        "{unit}: {what} planlagt til {day}.",
        "{unit}: {what} planned for {day}.",
    ),
    "screening.saved.later": (
        "Når den er holdt, trykker I **Registrér som holdt** i dokumentationsoversigten.",
        "Once it is held, press **Record as held** in the documentation overview.",
    ),
    "screening.saved.findings": (
        "{count} fund er skrevet ind i handlingsplanen.",
        "{count} findings went into the action plan.",
    ),
    "screening.saved.no_findings": (
        "Der blev ikke registreret nogen fund.",
        "No findings were recorded.",
    ),
    "screening.reminder.notice": (
        "Påmindelse: anmodningen har ventet på svar i {days} dage.",
        "Reminder: the request has waited {days} days for an answer.",
    ),
    "screening.unanswered": (
        "{partner} har ikke svaret på jeres anmodning om søsterscreening fra {day}. Kontakt "
        "enheden direkte, eller bed en anden enhed.",
        "{partner} has not answered your sister-screening request of {day}. Contact the unit "
        "directly, or ask another unit.",
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
        "holdt, registrerer I den med **Registrér screening**, og fundene skrives ind i "
        "**handlingsplanen**.",
        "A sister screening is a mutual walk-through of the work environment with a similar "
        "unit. The other unit's AMK gets the request and proposes a day. Once it is held, "
        "record it with **Record a screening**, and the findings go into the **action plan**.",
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
        "Kun enhedens leder og AMK og arbejdsmiljøsekretariatet kan registrere en screening "
        "og bede om eller besvare en søsterscreening.",
        "Only the unit's leader and AMK and the work-environment secretariat can record a "
        "screening and ask for or answer a sister screening.",
    ),
    "screening.unknown": (
        "Den anmodning eller enhed findes ikke (længere).",
        "That request or unit no longer exists.",
    ),
}

"""Texts of the weekly digest: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "digest.title": (
        "Ugens arbejdsmiljøoverblik – {week}",
        "The week in work environment – {week}",
    ),
    "digest.quiet": (
        "Intet nyt, der kræver opmærksomhed denne uge.",
        "Nothing new that needs attention this week.",
    ),
    "digest.details": ("Detaljer", "Details"),
    "digest.exports": ("Eksporter", "Exports"),
    "digest.safety_moment": ("Ugens sikkerhedsøjeblik", "Safety moment of the week"),
    "digest.safety_moment.title": ("Sikkerhedsøjeblik for {week}", "Safety moment for {week}"),
    "digest.safety_moment.intro": (
        "Netværket åbner hvert møde med et sikkerhedsøjeblik. Skriv det på dansk og engelsk; "
        "det kommer med i næste ugentlige overblik.",
        "The network opens every meeting with a safety moment. Write it in Danish and "
        "English; it goes into the next weekly digest.",
    ),
    "digest.safety_moment.danish": ("På dansk", "In Danish"),
    "digest.safety_moment.english": ("På engelsk", "In English"),
    "digest.safety_moment.required": ("Skriv teksten.", "Write the text."),
    "digest.safety_moment.save": ("Gem", "Save"),
    "digest.safety_moment.saved": (
        "Sikkerhedsøjeblikket for {week} er gemt.",
        "The safety moment for {week} is saved.",
    ),
    "digest.subscribed": (
        "Denne kanal får nu det ugentlige arbejdsmiljøoverblik ({schedule}). Skriv "
        "**digest stop** for at stoppe det.",
        "This channel now gets the weekly work-environment digest ({schedule}). Write "
        "**digest stop** to stop it.",
    ),
    "digest.subscribed.units": (
        "Denne kanal får nu det ugentlige arbejdsmiljøoverblik for {units} ({schedule}).",
        "This channel now gets the weekly work-environment digest for {units} ({schedule}).",
    ),
    "digest.unknown_units": (
        "Disse enheder kender jeg ikke: {units}. Skriv fx **digest her Kemi, Fysik**.",
        "I do not know these units: {units}. Write e.g. **digest here Kemi, Fysik**.",
    ),
    "digest.unsubscribed": (
        "Denne kanal får ikke længere det ugentlige overblik.",
        "This channel no longer gets the weekly digest.",
    ),
    "digest.not_subscribed": (
        "Denne kanal får ikke det ugentlige overblik.",
        "This channel does not get the weekly digest.",
    ),
    "digest.not_allowed": (
        "Kun administratorer og arbejdsmiljøsekretariatet kan styre det ugentlige overblik.",
        "Only administrators and the work-environment secretariat can manage the weekly digest.",
    ),
    "digest.channel_unknown": (
        "Jeg kender ikke denne kanal endnu. Fjern og tilføj mig i teamet, og prøv igen.",
        "I do not know this channel yet. Remove and add me to the team, then try again.",
    ),
    "digest.details.title": ("Detaljer til ugens overblik", "Details of the weekly digest"),
    "digest.details.sent": (
        "Jeg har sendt detaljerne til dig i en personlig chat.",
        "I have sent you the details in a personal chat.",
    ),
    "digest.details.no_chat": (
        "Åbn en personlig chat med AMK-bot først, så sender jeg detaljerne dér.",
        "Open a personal chat with AMK-bot first, and I will send the details there.",
    ),
    "digest.failed.title": (
        "Ugens overblik kunne ikke postes",
        "The weekly digest could not be posted",
    ),
    "digest.failed": (
        "Overblikket for {week} kunne ikke postes i kanalen {channel} efter {attempts} forsøg "
        "({error}). Tryk **Prøv igen**, når Teams svarer igen – eller tjek først, at botten "
        "stadig er med i teamet.",
        "The digest for {week} could not be posted in channel {channel} after {attempts} "
        "attempts ({error}). Press **Try again** once Teams answers – or first check that the "
        "bot is still in the team.",
    ),
    "digest.retry": ("Prøv igen", "Try again"),
    "digest.retry.posted": (
        "Overblikket for {week} er postet i kanalen.",
        "The digest for {week} is posted in the channel.",
    ),
    "digest.retry.already": (
        "Overblikket for {week} er allerede postet i kanalen.",
        "The digest for {week} is already posted in the channel.",
    ),
    "digest.retry.failed": (
        "Teams tog stadig ikke imod overblikket for {week}. Jeg prøver selv igen om lidt; "
        "du kan også trykke **Prøv igen** senere.",
        "Teams still did not take the digest for {week}. I will try again shortly myself; "
        "you can also press **Try again** later.",
    ),
    # near misses
    "digest.near_miss.title": ("Nærved-hændelser", "Near misses"),
    "digest.near_miss.chart": ("Nye i ugen pr. kategori", "New this week by category"),
    "digest.near_miss.new": (
        "Nye i ugen: **{count}** – {units}",
        "New this week: **{count}** – {units}",
    ),
    "digest.near_miss.serious": (
        "Meget alvorlige eller livstruende: **{count}** – {units}",
        "Very serious or life-threatening: **{count}** – {units}",
    ),
    "digest.near_miss.old_open": (
        "Åbne i mere end 30 dage: **{count}** – {units}",
        "Open for more than 30 days: **{count}** – {units}",
    ),
    # lone work
    "digest.lone_work.title": ("Alenearbejde", "Lone work"),
    "digest.lone_work.waiting": (
        "Venter på godkendelse i mere end 2 arbejdsdage: **{count}** – {units}",
        "Waiting for approval more than 2 working days: **{count}** – {units}",
    ),
    "digest.lone_work.risky_next_week": (
        "Godkendt risikofyldt alenearbejde i den kommende uge: **{count}** – {units}",
        "Approved risky lone work in the coming week: **{count}** – {units}",
    ),
    # precursors
    "digest.precursors.title": ("Narkotikaprækursorer", "Drug precursors"),
    "digest.precursors.missing": (
        "{days} dage til fristen {deadline}; mangler at indberette: **{count}** – {units}",
        "{days} days to the deadline {deadline}; still to register: **{count}** – {units}",
    ),
    "digest.precursors.overdue": (
        "Fristen {deadline} er overskredet; mangler stadig: **{count}** – {units}",
        "The deadline {deadline} has passed; still missing: **{count}** – {units}",
    ),
}

"""Danish and English texts shared by every flow: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    # key: (Danish, English)
    "app.name": ("AMK-bot", "AMK-bot"),
    "welcome.title": ("Velkommen til AMK-bot", "Welcome to AMK-bot"),
    "welcome.greeting": (
        "Hej {name}! Jeg hjælper dig med arbejdsmiljøet: godkendelse af alenearbejde, "
        "nærved-hændelser, arbejdsulykker, trivselsdialoger og narkotikaprækursorer. Vælg "
        "herunder, eller skriv hvad du vil.",
        "Hi {name}! I help you with the work environment: lone-work approval, near-miss "
        "reports, work accidents, well-being dialogues and drug precursors. Pick one below, or "
        "just type what you need.",
    ),
    "welcome.greeting_anonymous": (
        "Hej! Jeg hjælper dig med arbejdsmiljøet: godkendelse af alenearbejde, "
        "nærved-hændelser, arbejdsulykker, trivselsdialoger og narkotikaprækursorer. Vælg "
        "herunder, eller skriv hvad du vil.",
        "Hi! I help you with the work environment: lone-work approval, near-miss reports, "
        "work accidents, well-being dialogues and drug precursors. Pick one below, or just "
        "type what you need.",
    ),
    "privacy.title": ("Dine data", "Your data"),
    "privacy.stored": (
        "Jeg gemmer dit navn, din e-mail og det, du selv skriver i en sag: anmeldelser, "
        "ansøgninger og noter. En anonym anmeldelse gemmes uden dit navn. Din enheds leder "
        "eller AMK kan registrere den instruktion og oplæring, du har fået; den kan kun du "
        "og de se.",
        "I store your name, your e-mail address and what you write in a case yourself: "
        "reports, requests and notes. An anonymous report is stored without your name. Your "
        "unit's leader or AMK can record the instruction and training you were given; only "
        "you and they can see it.",
    ),
    "privacy.readers": (
        "Kun dem, der skal behandle sagen, kan læse den: den leder, der godkender, enhedens "
        "arbejdsmiljøkoordinator (AMK) og arbejdsmiljøsekretariatet. Kanalens ugeoversigt "
        "viser kun antal.",
        "Only those who handle the case can read it: the manager who approves, the unit's "
        "work-environment coordinator (AMK) and the work-environment secretariat. The "
        "channel's weekly digest shows counts only.",
    ),
    "privacy.retention": (
        "Navne og tekst slettes, når sagen ikke længere skal bruges: nærved-hændelser "
        "{near_miss} år efter at sagen er lukket, arbejdsulykker {work_accident} år efter at "
        "de blev meldt, alenearbejde {lone_work} år efter "
        "perioden, tjek ind-forløb efter {checkin} dage, instruktion og oplæring {training} "
        "år efter den seneste i enheden og noter fra trivselsdialoger efter {wellbeing} år. "
        "Statistikken bevares kun som antal.",
        "Names and text are deleted when the case is no longer needed: near misses "
        "{near_miss} years after the case is closed, work accidents {work_accident} years "
        "after they were reported, lone work {lone_work} years after the "
        "period, check-in timelines after {checkin} days, instruction and training {training} "
        "years after the latest in the unit and well-being dialogue notes after {wellbeing} "
        "years. The statistics are kept as counts only.",
    ),
    "privacy.my_data": ("Se dine data", "See your data"),
    "privacy.more": ("Læs privatlivspolitikken", "Read the privacy statement"),
    "menu.title": ("Hvad vil du gøre?", "What would you like to do?"),
    "menu.lone_work": ("Alenearbejde", "Lone work"),
    "menu.lone_work.hint": (
        "Søg om godkendelse af alenearbejde",
        "Ask for approval of lone work",
    ),
    "menu.near_miss": ("Nærved-hændelse", "Near miss"),
    "menu.near_miss.hint": (
        "Meld en nærved-hændelse – anonymt, hvis du vil",
        "Report a near miss – anonymously if you like",
    ),
    "menu.wellbeing": ("Trivselsdialog", "Well-being dialogue"),
    "menu.wellbeing.hint": (
        "Noter fra trivselsdialogen og handlingsplanen",
        "Notes from the well-being dialogue and the action plan",
    ),
    "menu.precursors": ("Narkotikaprækursorer", "Drug precursors"),
    "menu.precursors.hint": (
        "Enhedens stoffer, indkøb, forbrug og beholdning",
        "Your unit's substances, purchases, consumption and stock",
    ),
    "menu.documentation": ("Dokumentation", "Documentation"),
    "menu.documentation.hint": (
        "Enhedens skriftlige arbejdsmiljøkrav: hvad er opfyldt, og hvad forfalder",
        "Your unit's written work-environment duties: what is met and what falls due",
    ),
    "menu.export": ("Eksporter til Excel", "Export to Excel"),
    "menu.export.hint": (
        "Få et register som Excel-fil her i chatten",
        "Get a register as an Excel file here in the chat",
    ),
    "menu.help": ("Hjælp", "Help"),
    "menu.show": ("Vis menuen", "Show the menu"),
    "menu.language": ("English", "Dansk"),
    "help.title": ("Sådan bruger du AMK-bot", "How to use AMK-bot"),
    "help.intro": (
        "Du kan altid skrive et af disse ord – også midt i en dialog:",
        "You can always type one of these words – even in the middle of a dialog:",
    ),
    "help.cmd.menu": ("**menu** – vis menuen", "**menu** – show the menu"),
    "help.cmd.help": ("**hjælp** – vis denne hjælp", "**help** – show this help"),
    "help.cmd.cancel": (
        "**annullér** – stop den dialog, du er i gang med",
        "**cancel** – stop the dialog you are in",
    ),
    "help.cmd.language": (
        "**sprog** – skift mellem dansk og engelsk",
        "**language** – switch between Danish and English",
    ),
    "help.cmd.flows": (
        "**alenearbejde**, **nærved**, **arbejdsulykke**, **trivsel**, **prækursor** – start "
        "en af tjenesterne",
        "**lone work**, **near miss**, **work accident**, **wellbeing**, **precursor** – start "
        "one of the services",
    ),
    "help.cmd.my_data": (
        "**mine data** – se, hvad botten har gemt om dig",
        "**my data** – see what the bot holds about you",
    ),
    "help.cmd.admin": (
        "**admin** – tildel roller pr. enhed (kun administratorer)",
        "**admin** – assign roles per unit (administrators only)",
    ),
    "help.in_dialog": (
        "Du er midt i: {dialog}. Udfyld kortet ovenfor, eller skriv **annullér** for at stoppe.",
        "You are in: {dialog}. Fill in the card above, or type **cancel** to stop.",
    ),
    "coming_soon": (
        "**{service}** kommer snart. Indtil da kan du bruge de nuværende skabeloner og "
        "kontakte din arbejdsmiljøkoordinator (AMK).",
        "**{service}** is coming soon. Until then, please use the current templates and "
        "contact your work-environment coordinator (AMK).",
    ),
    "unknown.text": (
        "Det forstod jeg desværre ikke. Skriv **menu** for at se, hvad jeg kan, eller "
        "**hjælp** for en oversigt.",
        "Sorry, I didn't get that. Type **menu** to see what I can do, or **help** for an "
        "overview.",
    ),
    "cancel.done": (
        "Okay, jeg har stoppet «{dialog}». Det, du ikke nåede at sende, er ikke gemt. Skriv "
        "**menu** for at starte forfra.",
        "Okay, I have stopped “{dialog}”. Anything you had not sent is not saved. Type "
        "**menu** to start again.",
    ),
    "cancel.nothing": (
        "Der er ikke noget at annullere. Skriv **menu** for at se, hvad jeg kan.",
        "There is nothing to cancel. Type **menu** to see what I can do.",
    ),
    "dialog.replaced": (
        "Jeg har stoppet «{dialog}», så du kan starte noget nyt.",
        "I have stopped “{dialog}” so you can start something new.",
    ),
    "language.switched": (
        "Jeg taler nu dansk med dig. Skriv **language** for at skifte til engelsk.",
        "I'll speak English with you from now on. Type **sprog** to switch to Danish.",
    ),
    "card.stale": (
        "Det kort er ikke aktivt længere. Skriv **menu** for at starte forfra.",
        "That card is no longer active. Type **menu** to start again.",
    ),
    "card.invalid_input": (
        "Noget i kortet kunne ikke læses. Prøv igen, eller skriv **annullér**.",
        "Something in the card could not be read. Please try again, or type **cancel**.",
    ),
    "form.error.unit": ("Vælg en enhed fra listen.", "Pick a unit from the list."),
    "error.generic": (
        "Beklager, noget gik galt hos mig. Intet halvt er gemt – prøv igen om lidt.",
        "Sorry, something went wrong on my side. Nothing half-done was saved – please try "
        "again in a moment.",
    ),
    "delivery.resent": (
        "Sendt igen: AMK-bot blev afbrudt, mens beskeden blev sendt. Har du allerede fået den "
        "samme besked, så brug denne – det er den, der bliver holdt opdateret.",
        "Sent again: AMK-bot was interrupted while sending this message. If you already got "
        "the same message, use this one – it is the one that is kept up to date.",
    ),
    "error.not_allowed": (
        "Det har du desværre ikke adgang til.",
        "Sorry, you do not have access to that.",
    ),
    "action.unknown": (
        "Den handling kender jeg ikke – den findes ikke længere. Skriv **menu** i chatten med mig.",
        "I don't know that action – it is no longer available. Type **menu** in the chat with me.",
    ),
    "action.damaged": (
        "Kortet kunne ikke læses – det er forældet eller beskadiget. Åbn det igen fra "
        "**menu** i chatten med mig.",
        "The card could not be read – it is out of date or damaged. Open it again from the "
        "**menu** in the chat with me.",
    ),
    "channel.hello": (
        "Hej {team}! Jeg er AMK-bot, arbejdsmiljøorganisationens hjælper. Nævn mig med "
        "@AMK-bot og skriv **hjælp** for at se, hvad jeg kan her.",
        "Hello {team}! I am AMK-bot, the work-environment organisation's helper. Mention me "
        "with @AMK-bot and type **help** to see what I can do here.",
    ),
    "channel.help": (
        "I kanaler kan jeg poste den ugentlige oversigt til AMK-netværket. Tjenesterne "
        "(alenearbejde, nærved, trivsel, prækursorer) bruger du i en personlig chat med mig.",
        "In channels I can post the weekly digest for the AMK network. Use the services "
        "(lone work, near miss, well-being, precursors) in a personal chat with me.",
    ),
    # admin
    "admin.title": ("Roller pr. enhed", "Roles per unit"),
    "admin.pick_unit": ("Vælg en enhed", "Pick a unit"),
    "admin.unit": ("Enhed", "Unit"),
    "admin.show": ("Vis roller", "Show roles"),
    "admin.roles_of": ("Roller i {unit}", "Roles in {unit}"),
    "admin.no_roles": ("Ingen har en rolle i {unit} endnu.", "Nobody has a role in {unit} yet."),
    "admin.assign": ("Tildel en rolle", "Assign a role"),
    "admin.person": (
        "Personens e-mail/UPN (fx abc@uni.dk)",
        "The person's e-mail/UPN (e.g. abc@uni.dk)",
    ),
    "admin.person.error": (
        "Skriv en gyldig e-mailadresse.",
        "Enter a valid e-mail address.",
    ),
    "admin.person.picker": ("Person", "Person"),
    "admin.name": ("Navn (valgfrit)", "Name (optional)"),
    "admin.role": ("Rolle", "Role"),
    "admin.role.error": ("Vælg en rolle.", "Pick a role."),
    "admin.unit.error": ("Vælg en enhed.", "Pick a unit."),
    "admin.save": ("Tildel", "Assign"),
    "admin.remove": ("Fjern", "Remove"),
    "admin.done": ("Færdig", "Done"),
    "admin.page.shown": ("Viser {first}–{last} af {total}", "Showing {first}–{last} of {total}"),
    "admin.page.previous": ("Forrige", "Previous"),
    "admin.page.next": ("Næste", "Next"),
    "admin.assigned": (
        "{person} er nu {role} i {unit}.",
        "{person} is now {role} in {unit}.",
    ),
    "admin.already": (
        "{person} er allerede {role} i {unit}.",
        "{person} is already {role} in {unit}.",
    ),
    "admin.removed": (
        "{person} er ikke længere {role} i {unit}.",
        "{person} is no longer {role} in {unit}.",
    ),
    "admin.closed": ("Rolleadministrationen er lukket.", "Role administration closed."),
    "admin.dialog_name": ("rolleadministration", "role administration"),
    "role.leader": ("leder", "leader"),
    "role.amk": ("arbejdsmiljøkoordinator (AMK)", "work-environment coordinator (AMK)"),
    "role.precursor_contact": ("prækursorkontakt", "precursor contact"),
    "role.amr": (
        "arbejdsmiljørepræsentant (AMR)",
        "work-environment representative (AMR)",
    ),
    "role.secretariat": ("sekretariatet", "secretariat"),
    "role.university_wide": ("hele universitetet", "the whole university"),
    "people.search": ("Søg efter navn", "Search by name"),
    "people.pick.error": ("Vælg en person.", "Pick a person."),
    "local_mode.note": (
        "Lokal tilstand: uden Teams-login",
        "Local mode: no Teams sign-in",
    ),
}

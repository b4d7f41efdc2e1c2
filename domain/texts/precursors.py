"""Texts of the drug-precursor flow: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "precursors.dialog_name": ("narkotikaprækursorer", "drug precursors"),
    # -- dates and small words ---------------------------------------------------------------
    "precursors.month.1": ("januar", "January"),
    "precursors.month.2": ("februar", "February"),
    "precursors.month.3": ("marts", "March"),
    "precursors.month.4": ("april", "April"),
    "precursors.month.5": ("maj", "May"),
    "precursors.month.6": ("juni", "June"),
    "precursors.month.7": ("juli", "July"),
    "precursors.month.8": ("august", "August"),
    "precursors.month.9": ("september", "September"),
    "precursors.month.10": ("oktober", "October"),
    "precursors.month.11": ("november", "November"),
    "precursors.month.12": ("december", "December"),
    "precursors.day": ("{day}. {month} {year}", "{day} {month} {year}"),
    "precursors.days.today": ("i dag", "today"),
    "precursors.days.tomorrow": ("i morgen", "tomorrow"),
    "precursors.days.ahead": ("om {days} dage", "in {days} days"),
    "precursors.days.yesterday": ("i går", "yesterday"),
    "precursors.days.ago": ("for {days} dage siden", "{days} days ago"),
    "precursors.category": ("kategori {category}", "category {category}"),
    "precursors.category.short": ("kat. {category}", "cat. {category}"),
    "precursors.unverified": ("koder ikke verificeret", "codes not verified"),
    # -- entry kinds -------------------------------------------------------------------------
    "precursors.kind.opening": ("Startbeholdning", "Opening stock"),
    "precursors.kind.purchase": ("Køb", "Purchase"),
    "precursors.kind.consumption": ("Forbrug", "Consumption"),
    "precursors.kind.disposal": ("Bortskaffelse", "Disposal"),
    "precursors.kind.transfer": ("Overdragelse til andre", "Transfer to others"),
    "precursors.kind.count": ("Optælling", "Stock count"),
    "precursors.kind.reversal": ("Tilbageføring", "Reversal"),
    # -- who may -----------------------------------------------------------------------------
    "precursors.not_allowed": (
        "Prækursorregnskabet føres af enhedens prækursorkontakt og arbejdsmiljøkoordinator "
        "(AMK). Du har ingen af de roller. Spørg din AMK, eller bed en administrator tildele "
        "dig rollen som prækursorkontakt.",
        "Precursor records are kept by the unit's precursor contact and work-environment "
        "coordinator (AMK). You hold neither role. Ask your AMK, or ask an administrator to "
        "make you the precursor contact.",
    ),
    "precursors.not_allowed.unit": (
        "Du er hverken prækursorkontakt eller AMK for den enhed. Intet er ændret.",
        "You are neither precursor contact nor AMK of that unit. Nothing was changed.",
    ),
    "precursors.not_allowed.overview": (
        "Oversigten over alle enheder er for arbejdsmiljøsekretariatet.",
        "The overview of all units is for the work-environment secretariat.",
    ),
    # -- picking a unit ----------------------------------------------------------------------
    "precursors.pick.title": ("Narkotikaprækursorer", "Drug precursors"),
    "precursors.pick.intro": (
        "Du fører prækursorregnskab for flere enheder. Hvilken vil du arbejde med?",
        "You keep precursor records for several units. Which one do you want to work on?",
    ),
    "precursors.field.unit": ("Enhed", "Unit"),
    # -- the unit's home card ----------------------------------------------------------------
    "precursors.home.title": ("Narkotikaprækursorer – {unit}", "Drug precursors – {unit}"),
    "precursors.home.missing": (
        "{unit} har endnu ikke indberettet for {year}. Fristen er {deadline} ({when}).",
        "{unit} has not yet registered for {year}. The deadline is {deadline} ({when}).",
    ),
    "precursors.home.missing_late": (
        "{unit} har ikke indberettet for {year}. Fristen var {deadline}. Indberet så hurtigt "
        "som muligt.",
        "{unit} has not registered for {year}. The deadline was {deadline}. Please register "
        "as soon as possible.",
    ),
    "precursors.home.registered": (
        "Indberettet for {year} af {name} den {day}: {substances}.",
        "Registered for {year} by {name} on {day}: {substances}.",
    ),
    "precursors.count.one": ("{count} stof", "{count} substance"),
    "precursors.count.many": ("{count} stoffer", "{count} substances"),
    "precursors.home.registered_none": (
        "Indberettet for {year} af {name} den {day}: enheden håndterer ingen prækursorer.",
        "Registered for {year} by {name} on {day}: the unit handles no precursors.",
    ),
    "precursors.home.contacts": ("Prækursorkontakt: {names}", "Precursor contact: {names}"),
    "precursors.home.no_contact": (
        "Enheden har ingen prækursorkontakt – enhedens AMK står for regnskabet.",
        "The unit has no precursor contact – the unit's AMK keeps the records.",
    ),
    "precursors.home.substances": ("Enhedens stoffer", "The unit's substances"),
    "precursors.home.more": ("Vis de {count} andre stoffer", "Show the {count} other substances"),
    "precursors.home.no_substances": (
        "Der er ingen stoffer på enhedens liste endnu. Søg herunder for at tilføje et.",
        "There are no substances on the unit's list yet. Search below to add one.",
    ),
    "precursors.home.stock": (
        "{stock} på lager · {location}",
        "{stock} in stock · {location}",
    ),
    "precursors.home.entry_heading": ("Registrér en postering", "Record an entry"),
    "precursors.field.holding": ("Stof", "Substance"),
    "precursors.field.kind": ("Hvad vil du registrere?", "What do you want to record?"),
    "precursors.button.entry": ("Videre", "Next"),
    "precursors.button.ledger": ("Posteringer og rettelser", "Entries and corrections"),
    "precursors.home.search_heading": ("Tilføj et stof", "Add a substance"),
    "precursors.field.query": (
        "Søg på navn eller CAS-nummer",
        "Search by name or CAS number",
    ),
    "precursors.field.query.placeholder": (
        "fx eddikesyreanhydrid eller 108-24-7",
        "e.g. acetic anhydride or 108-24-7",
    ),
    "precursors.button.search": ("Søg", "Search"),
    "precursors.home.register_heading": (
        "Årlig indberetning for {year}",
        "Annual registration for {year}",
    ),
    "precursors.home.register_intro": (
        "Når listen herover er rigtig, indberetter du den til arbejdsmiljøsekretariatet. "
        "Håndterer enheden ingen prækursorer, skal det også indberettes.",
        "When the list above is right, register it with the work-environment secretariat. "
        "If the unit handles no precursors, that must be registered too.",
    ),
    "precursors.button.register": ("Indberet stoflisten", "Register the list"),
    "precursors.button.none": ("Vi håndterer ingen prækursorer", "We handle no precursors"),
    "precursors.button.switch": ("Skift enhed", "Switch unit"),
    "precursors.button.overview": ("Oversigt over alle enheder", "Overview of all units"),
    "precursors.button.close": ("Færdig", "Done"),
    "precursors.button.back": ("Tilbage", "Back"),
    "precursors.button.cancel": ("Annullér", "Cancel"),
    "precursors.closed": (
        "Tak. Skriv **prækursor**, når du vil videre med regnskabet.",
        "Thank you. Type **precursor** when you want to continue with the records.",
    ),
    # -- search and add ----------------------------------------------------------------------
    "precursors.search.title": ("Tilføj et stof – {unit}", "Add a substance – {unit}"),
    "precursors.search.found": (
        "Søgning på «{query}»: {count} træf. Vælg stoffet, og skriv hvor det opbevares.",
        "Search for “{query}”: {count} match(es). Pick the substance and say where it is kept.",
    ),
    "precursors.search.none": (
        "Intet stof på listen matcher «{query}». Prøv en del af navnet, et synonym eller "
        "CAS-nummeret. Står stoffet ikke på EU's liste, er det ikke en narkotikaprækursor, "
        "og så skal det ikke registreres her.",
        "No substance on the list matches “{query}”. Try part of the name, a synonym or the "
        "CAS number. If the substance is not on the EU list, it is not a drug precursor and "
        "is not recorded here.",
    ),
    "precursors.search.too_short": (
        "Skriv mindst to tegn af navnet eller CAS-nummeret.",
        "Type at least two characters of the name or the CAS number.",
    ),
    "precursors.search.categories": (
        "Kategori 1 kræver tilladelse. 2A kræver registrering hos Toldstyrelsen over en "
        "årlig mængde. 2B og 3 stiller ingen krav til brugere, men skal stadig registreres "
        "her.",
        "Category 1 needs a licence. 2A needs registration with the Danish Customs Agency "
        "above a yearly quantity. 2B and 3 ask nothing of users, but are still recorded here.",
    ),
    "precursors.search.choice": (
        "{name} · CAS {cas} · {category}",
        "{name} · CAS {cas} · {category}",
    ),
    "precursors.search.no_cas": ("uden CAS-nr.", "no CAS no."),
    "precursors.field.substance": ("Stof", "Substance"),
    "precursors.field.location": ("Opbevaringssted", "Storage location"),
    "precursors.field.location.placeholder": (
        "fx bygning 207, rum 112, giftskab 2",
        "e.g. building 207, room 112, poison cabinet 2",
    ),
    "precursors.field.note": (
        "Form og styrke (valgfrit)",
        "Form and strength (optional)",
    ),
    "precursors.field.note.placeholder": ("fx 37 % opløsning", "e.g. 37 % solution"),
    "precursors.field.query_again": ("Søg efter et andet stof", "Search for another substance"),
    "precursors.button.add": ("Tilføj til enhedens liste", "Add to the unit's list"),
    "precursors.button.search_again": ("Søg igen", "Search again"),
    "precursors.added": (
        "{substance} er tilføjet enhedens liste ({location}).",
        "{substance} was added to the unit's list ({location}).",
    ),
    # -- entry form --------------------------------------------------------------------------
    "precursors.entry.title": ("{kind}: {substance}", "{kind}: {substance}"),
    "precursors.entry.about": (
        "{unit} · {category} · indberettes i {unit_name} · beholdning nu {stock}",
        "{unit} · {category} · reported in {unit_name} · stock now {stock}",
    ),
    "precursors.entry.units_density": (
        "Du kan angive mængden i g, kg, mL eller L. Den omregnes til {report} med "
        "massefylden {density} g/mL.",
        "You may give the quantity in g, kg, mL or L. It is converted to {report} with the "
        "density {density} g/mL.",
    ),
    "precursors.entry.units_mass": (
        "Angiv mængden i g eller kg. Stoffet indberettes i kg, og der er ingen massefylde at "
        "omregne rumfang med.",
        "Give the quantity in g or kg. The substance is reported in kg, and there is no "
        "density to convert a volume with.",
    ),
    "precursors.entry.units_volume": (
        "Angiv mængden i mL eller L. Stoffet indberettes i L, og der er ingen massefylde at "
        "omregne vægt med.",
        "Give the quantity in mL or L. The substance is reported in L, and there is no "
        "density to convert a mass with.",
    ),
    "precursors.entry.hint.count": (
        "Skriv, hvad der faktisk står på hylden. Optællingen ændrer ikke den bogførte "
        "beholdning; forskellen vises i årsrapporten.",
        "Enter what is actually on the shelf. A count does not change the book stock; the "
        "difference shows in the annual report.",
    ),
    "precursors.entry.hint.opening": (
        "Startbeholdningen er det, enheden havde, da regnskabet begyndte her. Den kan kun "
        "angives, før der er andre posteringer på stoffet.",
        "The opening stock is what the unit had when the records started here. It can only "
        "be given before any other entry on the substance.",
    ),
    "precursors.entry.hint.declaration": (
        "Kategori {category} sælges kun mod en underskrevet kundeerklæring. Skriv dens "
        "nummer eller dato, så den kan findes igen.",
        "Category {category} is sold only against a signed customer declaration. Enter its "
        "number or date so it can be found again.",
    ),
    "precursors.field.date": ("Dato", "Date"),
    "precursors.field.quantity": ("Mængde", "Quantity"),
    "precursors.field.counted": ("Optalt mængde", "Counted quantity"),
    "precursors.field.unit_of_quantity": ("Enhed", "Unit"),
    "precursors.field.supplier": ("Leverandør", "Supplier"),
    "precursors.field.recipient": ("Modtager (navn og adresse)", "Recipient (name and address)"),
    "precursors.field.declaration": (
        "Kundeerklæring (nummer eller dato)",
        "Customer declaration (number or date)",
    ),
    "precursors.field.declaration_optional": (
        "Kundeerklæring (valgfrit)",
        "Customer declaration (optional)",
    ),
    "precursors.field.document": (
        "Faktura eller følgeseddel (valgfrit)",
        "Invoice or delivery note (optional)",
    ),
    "precursors.field.purpose": ("Formål eller projekt", "Purpose or project"),
    "precursors.field.disposal": (
        "Hvordan er det bortskaffet? (valgfrit)",
        "How was it disposed of? (optional)",
    ),
    "precursors.field.disposal.placeholder": (
        "fx afleveret som kemikalieaffald",
        "e.g. handed in as chemical waste",
    ),
    "precursors.field.transfer_purpose": ("Formål (valgfrit)", "Purpose (optional)"),
    "precursors.button.save": ("Gem", "Save"),
    "precursors.error.form": (
        "Noget mangler eller er forkert – se de røde linjer.",
        "Something is missing or wrong – see the red lines.",
    ),
    "precursors.error.kind": ("Vælg, hvad du vil registrere.", "Pick what you want to record."),
    "precursors.error.holding": (
        "Vælg et stof fra enhedens liste.",
        "Pick a substance from the unit's list.",
    ),
    "precursors.error.date": ("Skriv en gyldig dato.", "Enter a valid date."),
    "precursors.error.future": (
        "Datoen kan ikke ligge i fremtiden.",
        "The date cannot be in the future.",
    ),
    "precursors.error.quantity": (
        "Skriv en mængde større end 0 (fx 2,5).",
        "Enter a quantity above 0 (e.g. 2.5).",
    ),
    "precursors.error.too_small": (
        "Mængden er for lille til at blive registreret (under 1 mg eller 1 µL).",
        "The quantity is too small to record (below 1 mg or 1 µL).",
    ),
    "precursors.error.unit": ("Vælg g, kg, mL eller L.", "Pick g, kg, mL or L."),
    "precursors.error.needs_mass": (
        "Stoffet indberettes i kg, og kataloget har ingen massefylde: angiv mængden i g eller kg.",
        "The substance is reported in kg and the catalogue has no density: give the quantity "
        "in g or kg.",
    ),
    "precursors.error.needs_volume": (
        "Stoffet indberettes i L, og kataloget har ingen massefylde: angiv mængden i mL eller L.",
        "The substance is reported in L and the catalogue has no density: give the quantity "
        "in mL or L.",
    ),
    "precursors.error.supplier": ("Skriv leverandøren.", "Enter the supplier."),
    "precursors.error.recipient": ("Skriv modtageren.", "Enter the recipient."),
    "precursors.error.declaration": (
        "Køb af kategori 1 og 2 kræver en kundeerklæring. Skriv dens nummer eller dato.",
        "Purchases of categories 1 and 2 need a customer declaration. Enter its number or date.",
    ),
    "precursors.error.purpose": (
        "Skriv formålet eller projektet.",
        "Enter the purpose or project.",
    ),
    "precursors.error.too_long": ("Teksten er for lang.", "The text is too long."),
    "precursors.error.opening": (
        "Der er allerede posteringer på stoffet, så en startbeholdning giver ikke mening. "
        "Registrér et køb, eller tilbagefør de tidligere posteringer først.",
        "The substance already has entries, so an opening stock makes no sense. Record a "
        "purchase, or reverse the earlier entries first.",
    ),
    "precursors.error.negative": (
        "Så bliver beholdningen negativ den {day} ({stock}). Der kan ikke bruges eller "
        "afgives mere, end der er. Er der købt noget, der ikke er registreret, så registrér "
        "købet først.",
        "That would make the stock negative on {day} ({stock}). You cannot use or give away "
        "more than there is. If something was bought but not recorded, record the purchase "
        "first.",
    ),
    "precursors.error.substance": (
        "Vælg et stof fra søgeresultatet.",
        "Pick a substance from the search result.",
    ),
    "precursors.error.location": (
        "Skriv hvor stoffet opbevares (mindst 2 tegn).",
        "Say where the substance is kept (at least 2 characters).",
    ),
    "precursors.error.already_listed": (
        "Stoffet står allerede på enhedens liste.",
        "The substance is already on the unit's list.",
    ),
    "precursors.error.stock_left": (
        "Stoffet kan først fjernes fra listen, når beholdningen er 0. Registrér forbrug, "
        "bortskaffelse eller overdragelse først.",
        "The substance can only be taken off the list when the stock is 0. Record "
        "consumption, disposal or a transfer first.",
    ),
    "precursors.error.none_but_listed": (
        "Enheden har stoffer på listen. Fjern dem først (det kræver, at beholdningen er 0), "
        "eller indberet listen.",
        "The unit has substances on its list. Remove them first (their stock must be 0), or "
        "register the list.",
    ),
    "precursors.error.nothing_listed": (
        "Der er ingen stoffer på listen. Tilføj enhedens stoffer, eller indberet, at enheden "
        "ingen prækursorer håndterer.",
        "There are no substances on the list. Add the unit's substances, or register that "
        "the unit handles no precursors.",
    ),
    "precursors.recorded": (
        "{kind} er registreret: {quantity} {substance} den {day}. Beholdning nu: {stock}.",
        "{kind} recorded: {quantity} {substance} on {day}. Stock now: {stock}.",
    ),
    "precursors.recorded_count": (
        "Optælling registreret: {quantity} {substance} den {day}. Bogført beholdning samme "
        "dag: {book}.",
        "Stock count recorded: {quantity} {substance} on {day}. Book stock that day: {book}.",
    ),
    "precursors.recorded_count_difference": (
        "Optællingen afviger fra den bogførte beholdning med {difference}. Tjek om der "
        "mangler en postering – eller ret en forkert med en tilbageføring.",
        "The count differs from the book stock by {difference}. Check whether an entry is "
        "missing – or correct a wrong one with a reversal.",
    ),
    "precursors.registered": (
        "Tak! {unit} har nu indberettet sin stofliste for {year} til arbejdsmiljøsekretariatet.",
        "Thank you! {unit} has now registered its list for {year} with the work-environment "
        "secretariat.",
    ),
    "precursors.registered_none": (
        "Tak! Det er indberettet, at {unit} ikke håndterer prækursorer i {year}.",
        "Thank you! It has been registered that {unit} handles no precursors in {year}.",
    ),
    "precursors.removed": (
        "{substance} er fjernet fra enhedens liste. Posteringerne bevares.",
        "{substance} was taken off the unit's list. Its entries are kept.",
    ),
    # -- warnings ----------------------------------------------------------------------------
    "precursors.warning.licence_missing": (
        "{substance} er kategori 1, og universitetets tilladelse til at besidde kategori 1 "
        "er ikke registreret i AMK-bot. Kontakt arbejdsmiljøsekretariatet, før stoffet tages "
        "i brug.",
        "{substance} is category 1, and the university's licence to possess category 1 is "
        "not recorded in AMK-bot. Contact the work-environment secretariat before using the "
        "substance.",
    ),
    "precursors.warning.threshold_near": (
        "Universitetet har i år købt {total} {substance}. Over {threshold} om året skal "
        "universitetet være registreret hos Toldstyrelsen. Giv arbejdsmiljøsekretariatet "
        "besked.",
        "The university has bought {total} of {substance} this year. Above {threshold} a "
        "year the university must be registered with the Danish Customs Agency. Tell the "
        "work-environment secretariat.",
    ),
    "precursors.warning.threshold_exceeded": (
        "Universitetet har i år købt {total} {substance} – mere end {threshold}, som kræver "
        "registrering hos Toldstyrelsen. Kontakt arbejdsmiljøsekretariatet nu.",
        "The university has bought {total} of {substance} this year – more than "
        "{threshold}, which requires registration with the Danish Customs Agency. Contact "
        "the work-environment secretariat now.",
    ),
    "precursors.warning.unverified": (
        "{substance}: CN-kode eller CAS-nummer er ikke verificeret i kataloget endnu.",
        "{substance}: the CN code or CAS number is not yet verified in the catalogue.",
    ),
    # -- ledger ------------------------------------------------------------------------------
    "precursors.ledger.title": ("Posteringer: {substance}", "Entries: {substance}"),
    "precursors.ledger.about": (
        "{unit} · beholdning {stock} · {location}",
        "{unit} · stock {stock} · {location}",
    ),
    "precursors.ledger.empty": (
        "Der er ingen posteringer på stoffet endnu.",
        "There are no entries on the substance yet.",
    ),
    "precursors.ledger.more": (
        "Viser de {shown} nyeste af {total} posteringer. Årsrapporten har dem alle.",
        "Showing the {shown} newest of {total} entries. The annual report has them all.",
    ),
    "precursors.ledger.by": ("registreret af {name}, {when}", "recorded by {name}, {when}"),
    "precursors.ledger.reversed": ("tilbageført", "reversed"),
    "precursors.ledger.reverses": (
        "tilbagefører nr. {number}: {reason}",
        "reverses no. {number}: {reason}",
    ),
    "precursors.ledger.declaration": ("kundeerklæring {ref}", "customer declaration {ref}"),
    "precursors.ledger.counted": ("optalt {quantity}", "counted {quantity}"),
    "precursors.ledger.reverse_heading": ("Ret en fejl", "Correct a mistake"),
    "precursors.ledger.reverse_intro": (
        "Posteringer kan ikke ændres eller slettes. En forkert postering tilbageføres med en "
        "begrundelse, og bagefter registrerer du den rigtige.",
        "Entries cannot be changed or deleted. A wrong entry is reversed with a reason, and "
        "then you record the right one.",
    ),
    "precursors.field.entry": ("Postering, der skal tilbageføres", "Entry to reverse"),
    "precursors.field.reason": ("Begrundelse", "Reason"),
    "precursors.field.reason.placeholder": (
        "fx tastefejl: 250 mL, ikke 250 L",
        "e.g. typing error: 250 mL, not 250 L",
    ),
    "precursors.button.reverse": ("Tilbagefør", "Reverse"),
    "precursors.button.remove": (
        "Fjern stoffet fra enhedens liste",
        "Take the substance off the unit's list",
    ),
    "precursors.reversed": (
        "Postering nr. {number} er tilbageført. Registrér nu den rigtige, hvis der er en.",
        "Entry no. {number} was reversed. Now record the right one, if there is one.",
    ),
    "precursors.reverse.not_found": (
        "Vælg den postering, der skal tilbageføres.",
        "Pick the entry to reverse.",
    ),
    "precursors.reverse.is_reversal": (
        "En tilbageføring kan ikke selv tilbageføres. Registrér posteringen igen i stedet.",
        "A reversal cannot itself be reversed. Record the entry again instead.",
    ),
    "precursors.reverse.already": (
        "Posteringen er allerede tilbageført. Intet er ændret.",
        "The entry has already been reversed. Nothing was changed.",
    ),
    "precursors.reverse.reason": (
        "Skriv en begrundelse for tilbageføringen (mindst 3 tegn).",
        "Give a reason for the reversal (at least 3 characters).",
    ),
    "precursors.reverse.negative": (
        "Tilbageføringen ville gøre beholdningen negativ den {day} ({stock}), fordi noget af "
        "mængden siden er brugt. Tilbagefør først de senere posteringer.",
        "The reversal would make the stock negative on {day} ({stock}) because some of it "
        "has been used since. Reverse the later entries first.",
    ),
    # -- the secretariat's overview ----------------------------------------------------------
    "precursors.overview.title": (
        "Prækursorer: indberetninger for {year}",
        "Precursors: registrations for {year}",
    ),
    "precursors.overview.deadline": (
        "Frist: {deadline} ({when}). {done} af {total} enheder har indberettet.",
        "Deadline: {deadline} ({when}). {done} of {total} units have registered.",
    ),
    "precursors.overview.missing": ("Mangler ({count})", "Missing ({count})"),
    "precursors.overview.all_done": (
        "Alle enheder har indberettet.",
        "Every unit has registered.",
    ),
    "precursors.overview.done": ("Indberettet ({count})", "Registered ({count})"),
    "precursors.overview.row": (
        "{what} · {name} · {day}",
        "{what} · {name} · {day}",
    ),
    "precursors.overview.none": ("ingen prækursorer", "no precursors"),
    "precursors.overview.export": (
        "Årsopgørelsen til Toldstyrelsen for {year} får du som Excel-fil med knappen "
        "**Eksporter til Excel**.",
        "The annual report for the customs authority for {year} comes as an Excel file with "
        "the **Export to Excel** button.",
    ),
    "precursors.overview.licence_missing": (
        "Universitetets tilladelse til kategori 1 er ikke registreret i AMK-bot. Bed "
        "botens administrator om at indsætte tilladelsens nummer.",
        "The university's category 1 licence is not recorded in AMK-bot. Ask the bot's "
        "administrator to add the licence number.",
    ),
    "precursors.button.show_unit": ("Vis enheden", "Show the unit"),
    "precursors.button.refresh": ("Opdatér", "Refresh"),
    "precursors.button.previous_year": ("Forrige år", "Previous year"),
    "precursors.button.back_to_overview": ("Tilbage til oversigten", "Back to the overview"),
    "precursors.status.title": ("{unit}: prækursorer", "{unit}: precursors"),
    # -- reminders ---------------------------------------------------------------------------
    "precursors.reminder.title": (
        "Påmindelse: indberet enhedens prækursorer",
        "Reminder: register your unit's precursors",
    ),
    "precursors.reminder.text": (
        "{unit} har endnu ikke indberettet, hvilke narkotikaprækursorer enheden håndterer i "
        "{year}, og hvem der er kontaktperson. Fristen er {deadline} ({when}). Håndterer "
        "enheden ingen, skal det også indberettes – det tager et minut.",
        "{unit} has not yet registered which drug precursors it handles in {year} and who "
        "its contact person is. The deadline is {deadline} ({when}). If the unit handles "
        "none, that must be registered too – it takes a minute.",
    ),
    "precursors.button.register_now": ("Indberet nu", "Register now"),
    # -- import (command line) ---------------------------------------------------------------
    "precursors.import.row": ("række {row}: {text}", "row {row}: {text}"),
    "precursors.import.file": (
        "{file} kan ikke læses som et Excel-regneark: {error}",
        "{file} cannot be read as an Excel workbook: {error}",
    ),
    "precursors.import.header": (
        "Første række skal være overskrifterne fra skabelonen: {expected}. Fandt: {found}. "
        "Hent skabelonen: skriv **eksport** og vælg «Prækursorer – skabelon til import».",
        "The first row must be the template's headings: {expected}. Found: {found}. Get the "
        "template: write **export** and choose “Precursors – import template”.",
    ),
    "precursors.import.empty": (
        "Arket har ingen posteringer under overskrifterne.",
        "The sheet has no entries below the headings.",
    ),
    "precursors.import.kind": (
        "typen «{value}» kendes ikke (brug startbeholdning, køb, forbrug, bortskaffelse, "
        "overdragelse eller optælling)",
        "the type “{value}” is unknown (use opening, purchase, consumption, disposal, transfer "
        "or count)",
    ),
    "precursors.import.unit": (
        "enheden «{value}» findes ikke i AMK-bot",
        "the unit “{value}” does not exist in AMK-bot",
    ),
    "precursors.import.substance": (
        "«{value}» står ikke på listen over narkotikaprækursorer (skriv navnet eller "
        "CAS-nummeret som i arket «Stoffer» i skabelonen)",
        "“{value}” is not on the list of drug precursors (write the name or CAS number as in "
        "the template's “Substances” sheet)",
    ),
    "precursors.import.ambiguous": (
        "«{value}» passer på flere stoffer ({options}); brug CAS-nummeret",
        "“{value}” fits several substances ({options}); use the CAS number",
    ),
    "precursors.import.location": (
        "{substance} er nyt for {unit}: skriv opbevaringsstedet i mindst én række",
        "{substance} is new for {unit}: give the storage location in at least one row",
    ),
    "precursors.import.negative": (
        "beholdningen af {substance} i {unit} bliver negativ den {day} ({stock})",
        "the stock of {substance} in {unit} would be negative on {day} ({stock})",
    ),
    "precursors.import.nothing_written": (
        "{count} fejl – intet er gemt. Ret regnearket, og prøv igen.",
        "{count} error(s) – nothing was saved. Correct the workbook and try again.",
    ),
    "precursors.import.done": (
        "{entries} posteringer importeret for {units} ({holdings} nye stoffer på enhedernes "
        "lister).",
        "{entries} entries imported for {units} ({holdings} new substances on the units' lists).",
    ),
    "precursors.import.checked": (
        "{entries} rækker er i orden (kun kontrolleret – intet er gemt).",
        "{entries} rows are fine (checked only – nothing was saved).",
    ),
}

"""Danish and English texts of near-miss reporting and follow-up: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    # key: (Danish, English)
    "near_miss.dialog_name": ("indberetning af nærved-hændelse", "near-miss report"),
    "near_miss.title": ("Nærved-hændelse", "Near miss"),
    "near_miss.form.title": ("Meld en nærved-hændelse", "Report a near miss"),
    "near_miss.form.intro": (
        "En nærved-hændelse er noget, der kunne være blevet til en ulykke, men hvor ingen "
        "kom til skade. Det tager et minut, og det hjælper os med at forebygge den næste.",
        "A near miss is something that could have become an accident, but nobody was hurt. "
        "It takes a minute, and it helps us prevent the next one.",
    ),
    "near_miss.form.date": ("Dato", "Date"),
    "near_miss.form.time": ("Klokkeslæt", "Time"),
    "near_miss.form.unit": ("Enhed", "Unit"),
    "near_miss.form.unit.placeholder": ("Vælg enheden", "Pick the unit"),
    "near_miss.form.campus": ("Campus eller sted", "Campus or place"),
    "near_miss.form.campus.placeholder": (
        "fx Lyngby eller ved letbanestoppestedet",
        "e.g. Lyngby, or at the light-rail stop",
    ),
    "near_miss.form.building": ("Bygning (valgfrit)", "Building (optional)"),
    "near_miss.form.room": ("Lokale (valgfrit)", "Room (optional)"),
    "near_miss.form.description": ("Hvad skete der?", "What happened?"),
    "near_miss.form.description.placeholder": (
        "Beskriv forløbet kort. Undlad navne – det handler om at lære, ikke om skyld.",
        "Describe briefly what happened. Leave out names – this is about learning, not blame.",
    ),
    "near_miss.form.category": ("Hvad drejede det sig om?", "What was it about?"),
    "near_miss.form.severity": (
        "Hvad kunne der være sket i værste fald?",
        "What could have happened at worst?",
    ),
    "near_miss.form.injured": ("Kom nogen til skade?", "Was anyone hurt?"),
    "near_miss.form.injured.no": ("Nej, ingen kom til skade", "No, nobody was hurt"),
    "near_miss.form.injured.yes": (
        "Ja, nogen kom til skade (fysisk eller psykisk)",
        "Yes, someone was hurt (physically or psychologically)",
    ),
    "near_miss.form.immediate_action": (
        "Hvad blev der gjort med det samme? (valgfrit)",
        "What was done right away? (optional)",
    ),
    "near_miss.form.prevention": (
        "Dit forslag til, hvordan det kan undgås (valgfrit)",
        "Your suggestion for preventing it (optional)",
    ),
    "near_miss.form.photo_url": (
        "Link til fotos, fx i OneDrive eller SharePoint (valgfrit)",
        "Link to photos, e.g. in OneDrive or SharePoint (optional)",
    ),
    "near_miss.form.photo_url.owner": (
        "Et link til OneDrive eller SharePoint viser, hvem der ejer filen. Vil du være anonym, "
        "så lad feltet stå tomt, eller brug et link til en fælles mappe, fx enhedens team.",
        "A OneDrive or SharePoint link shows who owns the file. If you want to stay "
        "anonymous, leave this field empty or link to a shared folder, such as the unit's team.",
    ),
    "near_miss.form.anonymous": ("Indberet anonymt", "Report anonymously"),
    "near_miss.form.anonymous.explain": (
        "Anonymt betyder anonymt: Jeg gemmer ikke, hvem du er – hverken i indberetningen, i "
        "loggen eller i beskederne til arbejdsmiljøkoordinatoren. Derfor kan du heller ikke "
        "få besked om opfølgningen, og ingen kan spørge dig om flere detaljer. Skriv ikke dit "
        "navn i teksten, hvis du vil være anonym.",
        "Anonymous means anonymous: I do not store who you are – not in the report, not in "
        "the log and not in the messages to the work-environment coordinator. That is also "
        "why you will not hear about the follow-up, and nobody can ask you for more details. "
        "Do not write your name in the text if you want to stay anonymous.",
    ),
    "near_miss.form.submit": ("Send indberetningen", "Send the report"),
    "near_miss.form.cancel": ("Annullér", "Cancel"),
    "near_miss.form.fix": (
        "Der mangler noget, eller noget er ikke udfyldt rigtigt. Se herunder.",
        "Something is missing or not filled in correctly. See below.",
    ),
    "near_miss.error.unit_id": ("Vælg enheden.", "Pick the unit."),
    "near_miss.error.occurred_date": ("Angiv datoen.", "Enter the date."),
    "near_miss.error.occurred_time": (
        "Angiv klokkeslættet (tt:mm).",
        "Enter the time (hh:mm).",
    ),
    "near_miss.error.future": (
        "Tidspunktet ligger ude i fremtiden.",
        "That time lies in the future.",
    ),
    "near_miss.error.too_old": (
        "Hændelsen ligger mere end et år tilbage. Tal med din AMK om ældre hændelser.",
        "The event is more than a year ago. Talk to your AMK about older events.",
    ),
    "near_miss.error.campus": (
        "Skriv hvor det skete (mindst 2 tegn).",
        "Enter where it happened (at least 2 characters).",
    ),
    "near_miss.error.building": (
        "Bygning må højst være 50 tegn.",
        "Building may be at most 50 characters.",
    ),
    "near_miss.error.room": ("Lokale må højst være 50 tegn.", "Room may be at most 50 characters."),
    "near_miss.error.description": (
        "Beskriv hvad der skete (10–4000 tegn).",
        "Describe what happened (10–4000 characters).",
    ),
    "near_miss.error.category": ("Vælg hvad det drejede sig om.", "Pick what it was about."),
    "near_miss.error.severity": (
        "Vælg hvad der kunne være sket.",
        "Pick what could have happened.",
    ),
    "near_miss.error.injured": (
        "Svar på, om nogen kom til skade.",
        "Answer whether anyone was hurt.",
    ),
    "near_miss.error.immediate_action": (
        "Højst 2000 tegn om det, der blev gjort med det samme.",
        "At most 2000 characters about what was done right away.",
    ),
    "near_miss.error.prevention": (
        "Højst 2000 tegn til dit forslag.",
        "At most 2000 characters for your suggestion.",
    ),
    "near_miss.error.photo_url": (
        "Linket skal være en webadresse, der begynder med https://.",
        "The link must be a web address starting with https://.",
    ),
    "near_miss.error.anonymous": ("Vælg til eller fra.", "Choose on or off."),
    # the injury guardrail
    "near_miss.injury.title": (
        "Det lyder som en arbejdsulykke",
        "That sounds like a work accident",
    ),
    "near_miss.injury.text": (
        "Når nogen er kommet til skade – fysisk eller psykisk – er det en arbejdsulykke og "
        "ikke en nærved-hændelse.",
        "When someone has been hurt – physically or psychologically – it is a work accident, "
        "not a near miss.",
    ),
    "near_miss.injury.easy": (
        "Giver skaden fravær ud over den dag, den skete, skal ulykken anmeldes i EASY til "
        "Arbejdstilsynet og forsikringen/AES senest 14 dage efter første fraværsdag. Er der "
        "ikke fravær, men kan der komme krav om erstatning, anmeldes den i EASY til "
        "forsikringen/AES senest 14 dage efter ulykkesdagen. Meld den som arbejdsulykke – "
        "skriv **arbejdsulykke** – så får lederen besked og en påmindelse om fristen.",
        "If the injury causes absence beyond the day it happened, the accident must be "
        "reported in EASY to the Danish Working Environment Authority and the insurer/AES "
        "within 14 days of the first day of absence. If there is no absence but there may be "
        "a claim for compensation, it is reported in EASY to the insurer/AES within 14 days "
        "of the day of the accident. Report it as a work accident – type **work accident** – "
        "so the leader is told and reminded of the deadline.",
    ),
    "near_miss.injury.still": (
        "Du kan stadig registrere hændelsen her, så den kommer med i opfølgningen og "
        "statistikken. Den bliver markeret som en hændelse med personskade.",
        "You can still record the event here, so that it is followed up and counted. It "
        "will be marked as an event with an injury.",
    ),
    "near_miss.injury.record": ("Registrér den alligevel", "Record it anyway"),
    "near_miss.injury.edit": ("Ret i indberetningen", "Edit the report"),
    # confirmation
    "near_miss.confirm.title": ("Tak for din indberetning", "Thank you for your report"),
    "near_miss.confirm.number": (
        "Hændelsen er registreret som **{number}**. Brug nummeret, hvis du vil spørge til den.",
        "The event is registered as **{number}**. Quote this number if you want to ask about it.",
    ),
    "near_miss.confirm.named": (
        "Arbejdsmiljøkoordinatoren i {unit} får besked nu. Du hører fra mig, når "
        "indberetningen er modtaget, og når sagen lukkes.",
        "The work-environment coordinator in {unit} is told now. You will hear from me when "
        "the report has been acknowledged and when the case is closed.",
    ),
    "near_miss.confirm.anonymous": (
        "Du har indberettet anonymt. Jeg har ikke gemt, hvem du er, og du får derfor ingen "
        "beskeder om opfølgningen. Arbejdsmiljøkoordinatoren i {unit} får besked nu.",
        "You reported anonymously. I have not stored who you are, so you will get no "
        "messages about the follow-up. The work-environment coordinator in {unit} is told "
        "now.",
    ),
    "near_miss.confirm.injury": (
        "Husk: Kom nogen til skade, er det en arbejdsulykke. Med fravær ud over skadesdagen "
        "skal den anmeldes i EASY til Arbejdstilsynet og forsikringen/AES senest 14 dage efter "
        "første fraværsdag; uden fravær, men med mulige krav om erstatning, til "
        "forsikringen/AES senest 14 dage efter ulykkesdagen. Skriv **arbejdsulykke** for at "
        "melde den.",
        "Remember: if someone was hurt, it is a work accident. With absence beyond the injury "
        "day it must be reported in EASY to the Danish Working Environment Authority and the "
        "insurer/AES within 14 days of the first day of absence; without absence but with a "
        "possible claim, to the insurer/AES within 14 days of the day of the accident. Type "
        "**work accident** to report it.",
    ),
    "near_miss.confirm.support": (
        "Har hændelsen ramt dig, så tal med din leder, din arbejdsmiljørepræsentant eller HR.",
        "If the event has affected you, talk to your leader, your health and safety "
        "representative or HR.",
    ),
    "near_miss.cancelled": (
        "Okay, indberetningen er annulleret. Intet er gemt.",
        "Okay, the report is cancelled. Nothing was saved.",
    ),
    # labels
    "near_miss.category.slip_trip_fall": ("Fald, glid eller snublen", "Slip, trip or fall"),
    "near_miss.category.hazardous_substance": (
        "Farlige stoffer og kemikalier",
        "Hazardous substances and chemicals",
    ),
    "near_miss.category.biological": (
        "Biologiske agenser (fx smitte)",
        "Biological agents (e.g. infection)",
    ),
    "near_miss.category.electrical": ("El og elektriske installationer", "Electrical"),
    "near_miss.category.fire_explosion": ("Brand eller eksplosion", "Fire or explosion"),
    "near_miss.category.machinery_tools": ("Maskiner og værktøj", "Machinery and tools"),
    "near_miss.category.pressure_gas": (
        "Trykbeholdere og gasser",
        "Pressure and gas equipment",
    ),
    "near_miss.category.lifting_ergonomics": ("Løft og ergonomi", "Lifting and ergonomics"),
    "near_miss.category.traffic": (
        "Trafik på campus (også letbanen)",
        "Traffic on campus (incl. the light rail)",
    ),
    "near_miss.category.laser_radiation": ("Laser og stråling", "Laser and radiation"),
    "near_miss.category.cryogenic": (
        "Kryogene væsker (fx flydende nitrogen)",
        "Cryogenic liquids (e.g. liquid nitrogen)",
    ),
    "near_miss.category.threat_violence": (
        "Trusler, vold eller krænkende handlinger",
        "Threats, violence or offensive behaviour",
    ),
    "near_miss.category.other": ("Andet", "Other"),
    "near_miss.severity.minor": ("Mindre skade (fx en skramme)", "Minor injury (e.g. a scratch)"),
    "near_miss.severity.serious": (
        "Alvorlig skade med fravær",
        "Serious injury with absence",
    ),
    "near_miss.severity.very_serious": (
        "Meget alvorlig eller varig skade",
        "Very serious or lasting injury",
    ),
    "near_miss.severity.life_threatening": ("Livstruende", "Life-threatening"),
    "near_miss.status.reported": ("Indberettet", "Reported"),
    "near_miss.status.acknowledged": ("Modtaget", "Acknowledged"),
    "near_miss.status.under_investigation": ("Under undersøgelse", "Under investigation"),
    "near_miss.status.actions_decided": ("Tiltag besluttet", "Actions decided"),
    "near_miss.status.closed": ("Lukket", "Closed"),
    "near_miss.action_status.open": ("Åben", "Open"),
    "near_miss.action_status.done": ("Udført", "Done"),
    # the follow-up card
    "near_miss.card.title": ("Nærved-hændelse {number}", "Near miss {number}"),
    "near_miss.card.new": (
        "Der er kommet en ny nærved-hændelse i {unit}. Kvittér, når du har set den.",
        "A new near miss has been reported in {unit}. Acknowledge it once you have seen it.",
    ),
    "near_miss.card.status": ("Status", "Status"),
    "near_miss.card.unit": ("Enhed", "Unit"),
    "near_miss.card.where": ("Sted", "Where"),
    "near_miss.card.when": ("Tidspunkt", "When"),
    "near_miss.card.category": ("Kategori", "Category"),
    "near_miss.card.severity": ("Potentiel alvor", "Potential severity"),
    "near_miss.card.reporter": ("Indberettet af", "Reported by"),
    "near_miss.card.anonymous": ("Anonym", "Anonymous"),
    "near_miss.card.reported_at": ("Indberettet", "Reported"),
    "near_miss.card.injury": ("Personskade", "Injury"),
    "near_miss.card.injury.yes": (
        "Ja – husk at vurdere anmeldelse som arbejdsulykke i EASY",
        "Yes – consider reporting it as a work accident in EASY",
    ),
    "near_miss.card.investigator": ("Undersøges af", "Investigated by"),
    "near_miss.card.acknowledged": ("Modtaget", "Acknowledged"),
    "near_miss.card.acknowledged_value": ("{when} af {who}", "{when} by {who}"),
    "near_miss.card.closed": ("Lukket", "Closed"),
    "near_miss.card.description": ("Hvad skete der", "What happened"),
    "near_miss.card.immediate_action": ("Gjort med det samme", "Done right away"),
    "near_miss.card.prevention": ("Forslag til forebyggelse", "Suggested prevention"),
    "near_miss.card.photos": ("Se fotos", "See photos"),
    "near_miss.card.whole_report": ("Vis hele indberetningen", "Show the whole report"),
    "near_miss.card.actions": ("Tiltag", "Corrective actions"),
    "near_miss.card.action_line": (
        "{owner} · frist {due} · {status}",
        "{owner} · due {due} · {status}",
    ),
    "near_miss.card.conclusion": ("Konklusion", "Conclusion"),
    "near_miss.card.acknowledge": ("Kvittér for modtagelsen", "Acknowledge"),
    "near_miss.card.assign": ("Tildel undersøgelsen…", "Assign to…"),
    "near_miss.card.assign.label": (
        "Hvem skal undersøge hændelsen? (e-mail)",
        "Who should investigate it? (e-mail)",
    ),
    "near_miss.card.assign.label.picker": (
        "Hvem skal undersøge hændelsen?",
        "Who should investigate it?",
    ),
    "near_miss.card.assign.do": ("Tildel", "Assign"),
    "near_miss.card.add_action": ("Tilføj tiltag…", "Add corrective action…"),
    "near_miss.card.action.description": ("Hvad skal der gøres?", "What needs to be done?"),
    "near_miss.card.action.owner": ("Ansvarlig (e-mail)", "Owner (e-mail)"),
    "near_miss.card.action.owner.picker": ("Ansvarlig", "Owner"),
    "near_miss.card.action.due": ("Frist", "Due date"),
    "near_miss.card.action.do": ("Tilføj tiltaget", "Add the action"),
    "near_miss.card.close": ("Luk sagen…", "Close the case…"),
    "near_miss.card.close.label": (
        "Konklusion: hvad lærte vi, og hvad er gjort?",
        "Conclusion: what did we learn, and what was done?",
    ),
    "near_miss.card.close.do": ("Luk sagen", "Close the case"),
    "near_miss.card.mark_done": ("Markér som udført", "Mark as done"),
    "near_miss.card.back_to_list": ("Tilbage til listen", "Back to the list"),
    "near_miss.card.email.error": (
        "Skriv en gyldig e-mailadresse.",
        "Enter a valid e-mail address.",
    ),
    "near_miss.card.no_part": (
        "Du har ikke længere en rolle i opfølgningen på denne hændelse.",
        "You no longer have a part in the follow-up of this event.",
    ),
    # messages after a follow-up step
    "near_miss.msg.acknowledged": (
        "Du har kvitteret for modtagelsen.",
        "You have acknowledged the report.",
    ),
    "near_miss.msg.already_acknowledged": (
        "{who} har allerede kvitteret for modtagelsen ({when}).",
        "{who} already acknowledged it ({when}).",
    ),
    "near_miss.msg.assigned": (
        "{who} undersøger nu hændelsen og har fået besked.",
        "{who} now investigates the event and has been told.",
    ),
    "near_miss.msg.no_chat": (
        "Bemærk: {who} har ikke skrevet med AMK-bot endnu og kan derfor ikke få besked "
        "herfra. Giv dem selv besked.",
        "Note: {who} has not chatted with AMK-bot yet, so I cannot tell them. Please let "
        "them know yourself.",
    ),
    "near_miss.msg.action_added": (
        "Tiltaget er tilføjet, og {who} har fået besked.",
        "The action was added and {who} has been told.",
    ),
    "near_miss.msg.action_done": ("Tiltaget er markeret som udført.", "The action is marked done."),
    "near_miss.msg.action_already_done": (
        "Tiltaget var allerede markeret som udført.",
        "The action was already marked done.",
    ),
    "near_miss.msg.closed": ("Sagen er lukket.", "The case is closed."),
    "near_miss.msg.refused": (
        "Det kan ikke lade sig gøre, når sagen har status «{status}».",
        "That is not possible while the case is “{status}”.",
    ),
    "near_miss.msg.open_actions": (
        "Sagen kan ikke lukkes, mens der er åbne tiltag ({count}). Markér dem som udført først.",
        "The case cannot be closed while corrective actions are open ({count}). Mark them "
        "done first.",
    ),
    "near_miss.error.conclusion": (
        "Skriv en kort konklusion (mindst 10 tegn).",
        "Write a short conclusion (at least 10 characters).",
    ),
    "near_miss.error.investigator": (
        "Vælg den, der skal undersøge hændelsen, eller skriv en gyldig e-mailadresse.",
        "Pick the person who should investigate, or enter a valid e-mail address.",
    ),
    "near_miss.error.action_description": (
        "Beskriv tiltaget (5–1000 tegn).",
        "Describe the action (5–1000 characters).",
    ),
    "near_miss.error.action_owner": (
        "Vælg den ansvarlige, eller skriv en gyldig e-mailadresse.",
        "Pick the owner, or enter a valid e-mail address.",
    ),
    "near_miss.error.action_due": ("Angiv en frist.", "Enter a due date."),
    "near_miss.error.action_due_far": (
        "Vælg en frist inden for de næste fem år.",
        "Pick a due date within the next five years.",
    ),
    "near_miss.error.action_due_past": (
        "Fristen er allerede overskredet. Vælg i dag eller senere.",
        "The due date has passed. Pick today or later.",
    ),
    "near_miss.not_allowed": (
        "Kun arbejdsmiljøkoordinatoren i enheden, sekretariatet og de personer, der er sat "
        "på sagen, kan se og behandle den. Intet er ændret.",
        "Only the unit's work-environment coordinator, the secretariat and the people "
        "assigned to the case can see and handle it. Nothing was changed.",
    ),
    "near_miss.not_found": (
        "Den nærved-hændelse findes ikke.",
        "That near-miss report does not exist.",
    ),
    # messages to others
    "near_miss.investigator.intro": (
        "{who} har bedt dig undersøge denne nærved-hændelse og foreslå tiltag.",
        "{who} has asked you to investigate this near miss and propose corrective actions.",
    ),
    "near_miss.owner.title": (
        "Tiltag efter nærved-hændelse {number}",
        "Corrective action after near miss {number}",
    ),
    "near_miss.owner.intro": (
        "Du er ansvarlig for dette tiltag. Markér det som udført her, når det er gjort.",
        "You own this corrective action. Mark it done here once it is done.",
    ),
    "near_miss.owner.reminder": (
        "Påmindelse: Fristen for dette tiltag er i dag.",
        "Reminder: this corrective action is due today.",
    ),
    "near_miss.owner.overdue": (
        "Påmindelse: Fristen for dette tiltag var {due}.",
        "Reminder: this corrective action was due {due}.",
    ),
    "near_miss.owner.done": ("Udført {when}.", "Done {when}."),
    "near_miss.reporter.acknowledged": (
        "Din nærved-hændelse **{number}** er modtaget af arbejdsmiljøkoordinatoren, som nu "
        "følger op på den. Tak, fordi du meldte den.",
        "Your near miss **{number}** has been acknowledged by the work-environment "
        "coordinator, who is now following it up. Thank you for reporting it.",
    ),
    "near_miss.reporter.closed": (
        "Sagen om din nærved-hændelse **{number}** er lukket.",
        "The case of your near miss **{number}** is closed.",
    ),
    # the list
    "near_miss.list.title": ("Åbne nærved-hændelser", "Open near misses"),
    "near_miss.list.scope_units": ("Enheder: {units}", "Units: {units}"),
    "near_miss.list.scope_all": ("Alle enheder", "All units"),
    "near_miss.list.empty": (
        "Der er ingen åbne nærved-hændelser.",
        "There are no open near misses.",
    ),
    "near_miss.list.line": (
        "{unit} · {category} · {severity} · {status} · {age}",
        "{unit} · {category} · {severity} · {status} · {age}",
    ),
    "near_miss.list.age_days": ("{days} dage gammel", "{days} days old"),
    "near_miss.list.age_day": ("1 dag gammel", "1 day old"),
    "near_miss.list.age_today": ("fra i dag", "from today"),
    "near_miss.list.more": (
        "Viser de {shown} nyeste af {total}. Hele registret får du som Excel-fil med knappen "
        "**Eksporter til Excel**.",
        "Showing the {shown} newest of {total}. The full register comes as an Excel file "
        "with the **Export to Excel** button.",
    ),
    "near_miss.list.open": ("Vis", "Open"),
    "near_miss.list.not_allowed": (
        "Listen over nærved-hændelser er kun for arbejdsmiljøkoordinatorer og "
        "sekretariatet. Vil du melde en hændelse, så skriv **nærved**.",
        "The list of near misses is only for work-environment coordinators and the "
        "secretariat. To report an event, type **near miss**.",
    ),
    # export
    "near_miss.export.sheet.reports": ("Nærved-hændelser", "Near misses"),
    "near_miss.export.sheet.actions": ("Tiltag", "Corrective actions"),
    "near_miss.export.sheet.statistics": ("Statistik", "Statistics"),
    "near_miss.export.col.number": ("Nummer", "Number"),
    "near_miss.export.col.reported_at": ("Indberettet", "Reported"),
    "near_miss.export.col.occurred_at": ("Tidspunkt for hændelsen", "Time of the event"),
    "near_miss.export.col.unit": ("Enhed", "Unit"),
    "near_miss.export.col.campus": ("Campus/sted", "Campus/place"),
    "near_miss.export.col.building": ("Bygning", "Building"),
    "near_miss.export.col.room": ("Lokale", "Room"),
    "near_miss.export.col.category": ("Kategori", "Category"),
    "near_miss.export.col.severity": ("Potentiel alvor", "Potential severity"),
    "near_miss.export.col.description": ("Beskrivelse", "Description"),
    "near_miss.export.col.immediate_action": ("Gjort med det samme", "Done right away"),
    "near_miss.export.col.prevention": ("Forslag til forebyggelse", "Suggested prevention"),
    "near_miss.export.col.photo_url": ("Link til fotos", "Link to photos"),
    "near_miss.export.col.injury": ("Personskade", "Injury"),
    "near_miss.export.col.anonymous": ("Anonym", "Anonymous"),
    "near_miss.export.col.reporter": ("Indberetter", "Reporter"),
    "near_miss.export.col.status": ("Status", "Status"),
    "near_miss.export.col.acknowledged_at": ("Modtaget", "Acknowledged"),
    "near_miss.export.col.investigator": ("Undersøges af", "Investigated by"),
    "near_miss.export.col.actions": ("Tiltag i alt", "Actions"),
    "near_miss.export.col.open_actions": ("Åbne tiltag", "Open actions"),
    "near_miss.export.col.closed_at": ("Lukket", "Closed"),
    "near_miss.export.col.conclusion": ("Konklusion", "Conclusion"),
    "near_miss.export.col.action": ("Tiltag", "Action"),
    "near_miss.export.col.owner": ("Ansvarlig", "Owner"),
    "near_miss.export.col.due": ("Frist", "Due"),
    "near_miss.export.col.done_at": ("Udført", "Done"),
    "near_miss.export.yes": ("Ja", "Yes"),
    "near_miss.export.no": ("Nej", "No"),
    "near_miss.export.stats.title": (
        "Nærved-hændelser {year} – indberettet {start} til {end}",
        "Near misses {year} – reported {start} to {end}",
    ),
    "near_miss.export.stats.key_figures": ("Nøgletal", "Key figures"),
    "near_miss.export.stats.count": ("Antal", "Count"),
    "near_miss.export.stats.value": ("Værdi", "Value"),
    "near_miss.export.stats.total": ("Indberetninger i alt", "Reports in total"),
    "near_miss.export.stats.anonymous": ("Heraf anonyme", "Of which anonymous"),
    "near_miss.export.stats.injuries": ("Heraf med personskade", "Of which with an injury"),
    "near_miss.export.stats.acknowledged": ("Modtaget af AMK", "Acknowledged by the AMK"),
    "near_miss.export.stats.closed": ("Lukket", "Closed"),
    "near_miss.export.stats.median_ack": (
        "Median tid til modtagelse (timer)",
        "Median time to acknowledgement (hours)",
    ),
    "near_miss.export.stats.median_close": (
        "Median tid til lukning (dage)",
        "Median time to closure (days)",
    ),
    "near_miss.export.stats.open_actions": ("Åbne tiltag", "Open corrective actions"),
    "near_miss.export.stats.overdue_actions": (
        "Heraf over fristen",
        "Of which overdue",
    ),
    "near_miss.export.stats.by_unit": ("Pr. enhed", "By unit"),
    "near_miss.export.stats.by_category": ("Pr. kategori", "By category"),
    "near_miss.export.stats.by_severity": ("Pr. potentiel alvor", "By potential severity"),
    "near_miss.export.stats.by_status": ("Pr. status", "By status"),
    "near_miss.export.stats.by_quarter": ("Pr. kvartal", "By quarter"),
    "near_miss.export.stats.quarter": ("{quarter}. kvartal {year}", "Q{quarter} {year}"),
}

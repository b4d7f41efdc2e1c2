"""Texts of the lone-work flow: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "lone_work.dialog_name": ("anmodning om alenearbejde", "lone-work request"),
    "lone_work.form.title": (
        "Anmod om godkendelse af alenearbejde",
        "Ask for approval of lone work",
    ),
    "lone_work.form.intro": (
        "Udfyld kortet. Din leder godkender eller afviser direkte i Teams. Felter med * skal "
        "udfyldes.",
        "Fill in the card. Your leader approves or rejects it directly in Teams. Fields "
        "marked * are required.",
    ),
    "lone_work.form.requester": ("Anmoder: {name}", "Requester: {name}"),
    "lone_work.field.unit": ("Enhed", "Unit"),
    "lone_work.field.task": (
        "Hvilket arbejde skal du udføre alene?",
        "What work will you do alone?",
    ),
    "lone_work.field.campus": ("Campus", "Campus"),
    "lone_work.field.building": ("Bygning", "Building"),
    "lone_work.field.room": ("Lokale", "Room"),
    "lone_work.field.schedule": ("Hvornår?", "When?"),
    "lone_work.schedule.single": ("Én periode", "A single period"),
    "lone_work.schedule.recurring": ("Fast ordning (gentages)", "Recurring arrangement"),
    "lone_work.field.single_hint": (
        "Én periode: start og slut",
        "Single period: start and end",
    ),
    "lone_work.field.start_date": ("Startdato", "Start date"),
    "lone_work.field.start_time": ("Starttid", "Start time"),
    "lone_work.field.end_date": ("Slutdato", "End date"),
    "lone_work.field.end_time": ("Sluttid", "End time"),
    "lone_work.field.recurring_hint": (
        "Fast ordning: ugedage, tidsrum og gyldighed (højst 12 måneder)",
        "Recurring: weekdays, time window and validity (at most 12 months)",
    ),
    "lone_work.field.weekdays": ("Ugedage", "Weekdays"),
    "lone_work.field.window_start": ("Fra kl.", "From"),
    "lone_work.field.window_end": ("Til kl.", "To"),
    "lone_work.field.valid_from": ("Gyldig fra", "Valid from"),
    "lone_work.field.valid_to": ("Gyldig til", "Valid to"),
    "lone_work.field.hazards": (
        "Farer ved arbejdet (vælg alle, der passer – ingen = ikke risikofyldt)",
        "Hazards of the work (pick all that apply – none = not risky)",
    ),
    "lone_work.field.hazard_other": ("Anden fare – beskriv", "Other hazard – describe"),
    "lone_work.field.mitigations": (
        "Sådan imødegås faren (§ 11)",
        "How the danger is countered (§ 11)",
    ),
    "lone_work.field.checkin_person": (
        "Fast kontakt: hvem tjekker ind med dig?",
        "Regular check-in: who checks in with you?",
    ),
    "lone_work.field.checkin_interval": (
        "Hvor ofte (minutter)?",
        "How often (minutes)?",
    ),
    "lone_work.field.mitigation_other": ("Andet tiltag – beskriv", "Other measure – describe"),
    "lone_work.field.emergency_name": ("Nødkontakt – navn", "Emergency contact – name"),
    "lone_work.field.emergency_phone": ("Nødkontakt – telefon", "Emergency contact – phone"),
    "lone_work.field.emergency_person": (
        "Nødkontakt – er det en kollega? Vælg personen",
        "Emergency contact – is it a colleague? Pick them",
    ),
    "lone_work.field.emergency_person.explain": (
        "En kollega, du vælger her, får også alarmen i Teams, hvis du ikke tjekker ind. "
        "Er nødkontakten ikke ansat her, så skriv navnet i stedet. Telefonnummeret skal "
        "altid med.",
        "A colleague you pick here also gets the alarm in Teams if you do not check in. If "
        "your emergency contact does not work here, type their name instead. The phone "
        "number is always needed.",
    ),
    "lone_work.field.emergency_name.optional": (
        "Nødkontakt – navn (hvis ikke en kollega)",
        "Emergency contact – name (if not a colleague)",
    ),
    "lone_work.field.trained": (
        "Jeg er instrueret og oplært i at udføre arbejdet sikkert",
        "I have been instructed and trained to do this work safely",
    ),
    "lone_work.field.adult": ("Jeg er fyldt 18 år", "I am 18 or older"),
    "lone_work.field.adult.explain": (
        "Det er universitetets regel, at personer under 18 år ikke udfører risikofyldt "
        "arbejde alene. Arbejdstilsynets regler for unge under 18 er i forvejen strengere end "
        "for voksne.",
        "The university's rule is that people under 18 do not do risky work alone. "
        "The Danish Working Environment Authority's rules for young people under 18 are "
        "already stricter than for adults.",
    ),
    "lone_work.field.affiliation": ("Du er", "You are"),
    "lone_work.affiliation.employee": ("Ansat", "An employee"),
    "lone_work.affiliation.student": ("Studerende", "A student"),
    "lone_work.affiliation.guest": ("Gæst", "A guest"),
    "lone_work.field.affiliation.explain": (
        "Studerende er omfattet af undervisningsmiljøloven. Universitetet stiller de samme "
        "krav til dem som til ansatte, når de arbejder alene.",
        "Students are covered by the Danish act on the educational environment. The "
        "university asks the same of them as of employees when they work alone.",
    ),
    "lone_work.weekday.mon": ("mandag", "Monday"),
    "lone_work.weekday.tue": ("tirsdag", "Tuesday"),
    "lone_work.weekday.wed": ("onsdag", "Wednesday"),
    "lone_work.weekday.thu": ("torsdag", "Thursday"),
    "lone_work.weekday.fri": ("fredag", "Friday"),
    "lone_work.weekday.sat": ("lørdag", "Saturday"),
    "lone_work.weekday.sun": ("søndag", "Sunday"),
    "lone_work.hazard.chemicals": ("Farlige kemikalier", "Hazardous chemicals"),
    "lone_work.hazard.gases": ("Giftige eller kvælende gasser", "Toxic or asphyxiating gases"),
    "lone_work.hazard.cryogenics": (
        "Kryogene væsker (fx flydende nitrogen)",
        "Cryogenics (e.g. liquid nitrogen)",
    ),
    "lone_work.hazard.electrical": (
        "Højspænding eller elarbejde",
        "High voltage or electrical work",
    ),
    "lone_work.hazard.lasers": ("Lasere klasse 3B–4", "Lasers class 3B–4"),
    "lone_work.hazard.machinery": ("Maskiner og værkstedsværktøj", "Machinery and workshop tools"),
    "lone_work.hazard.height": ("Arbejde i højden", "Work at height"),
    "lone_work.hazard.biological": ("Biologiske agenser", "Biological agents"),
    "lone_work.hazard.lifting": ("Tunge løft", "Heavy lifting"),
    "lone_work.hazard.field": (
        "Feltarbejde ved vand eller trafik",
        "Field work near water or traffic",
    ),
    "lone_work.hazard.other": ("Andet (beskriv)", "Other (describe)"),
    "lone_work.mitigation.check_in": (
        "Fast kontakt med en navngiven person",
        "Regular check-in with a named person",
    ),
    "lone_work.mitigation.alarm": ("Personlig alarm", "Personal alarm"),
    "lone_work.mitigation.calling_distance": (
        "En anden person inden for råbeafstand",
        "Someone within calling distance",
    ),
    "lone_work.mitigation.phone_coverage": ("Mobildækning er tjekket", "Phone coverage confirmed"),
    "lone_work.mitigation.first_aid": (
        "Førstehjælps- og nødudstyr ved hånden",
        "First-aid and emergency equipment at hand",
    ),
    "lone_work.mitigation.other": ("Andet (beskriv)", "Other (describe)"),
    "lone_work.button.next": ("Videre", "Next"),
    "lone_work.button.send": ("Send til godkendelse", "Send for approval"),
    "lone_work.button.edit": ("Ret", "Edit"),
    "lone_work.button.cancel": ("Annullér", "Cancel"),
    "lone_work.button.approve": ("Godkend", "Approve"),
    "lone_work.button.approve_conditions": ("Godkend med vilkår", "Approve with conditions"),
    "lone_work.button.reject": ("Afvis", "Reject"),
    "lone_work.button.withdraw": ("Træk tilbage", "Withdraw"),
    "lone_work.button.revoke": ("Tilbagekald godkendelsen", "Revoke the approval"),
    "lone_work.button.open": ("Åbn", "Open"),
    "lone_work.field.note": (
        "Vilkår eller begrundelse (skal udfyldes ved vilkår og afvisning)",
        "Conditions or reason (required for conditions and rejection)",
    ),
    "lone_work.field.revoke_reason": ("Begrundelse for tilbagekaldelse", "Reason for revoking"),
    "lone_work.field.approver": ("Hvem skal godkende?", "Who should approve?"),
    "lone_work.error.required": ("Skal udfyldes.", "Required."),
    "lone_work.error.unit": ("Vælg din enhed.", "Pick your unit."),
    "lone_work.error.task": (
        "Beskriv arbejdet (mindst 3 tegn).",
        "Describe the work (at least 3 characters).",
    ),
    "lone_work.error.time": ("Skriv tiden som tt:mm.", "Write the time as hh:mm."),
    "lone_work.error.weekdays": ("Vælg mindst én ugedag.", "Pick at least one weekday."),
    "lone_work.error.window": (
        "Tidsrummet skal slutte efter det starter.",
        "The time window must end after it starts.",
    ),
    "lone_work.error.end_before_start": (
        "Slut skal ligge efter start.",
        "The end must be after the start.",
    ),
    "lone_work.error.in_past": (
        "Perioden er allerede slut.",
        "The period has already ended.",
    ),
    "lone_work.error.too_long": (
        "En fast ordning kan højst gælde i 12 måneder.",
        "A recurring arrangement can be valid for at most 12 months.",
    ),
    "lone_work.error.period_too_long": (
        "En periode kan højst vare 12 måneder.",
        "A period can last at most 12 months.",
    ),
    "lone_work.error.too_far": (
        "Perioden skal slutte inden for 12 måneder fra i dag.",
        "The period must end within 12 months from today.",
    ),
    "lone_work.error.hazard_other": ("Beskriv den anden fare.", "Describe the other hazard."),
    "lone_work.error.checkin": (
        "Skriv hvem du har fast kontakt med, og hvor ofte (5–240 minutter).",
        "Say who checks in with you, and how often (5–240 minutes).",
    ),
    "lone_work.error.mitigation_other": (
        "Beskriv det andet tiltag.",
        "Describe the other measure.",
    ),
    "lone_work.error.no_mitigation": (
        "Arbejdet er risikofyldt, men der er ikke valgt noget, der imødegår faren. Efter "
        "arbejdsmiljøreglerne (BEK 1839/2023 § 11) skal faren imødegås – og kan den ikke det, "
        "må arbejdet ikke udføres alene.",
        "The work is risky, but nothing is chosen to counter the danger. Under the Danish "
        "rules (BEK 1839/2023 § 11) the danger must be countered – and if it cannot be, the "
        "work must not be done alone.",
    ),
    "lone_work.error.minor": (
        "Efter universitetets regler må personer under 18 år ikke udføre risikofyldt arbejde "
        "alene. Tal med din leder om, hvordan arbejdet kan tilrettelægges.",
        "Under the university's rules, people under 18 may not do risky work alone. Talk to "
        "your leader about how the work can be arranged.",
    ),
    "lone_work.error.affiliation": (
        "Vælg, om du er ansat, studerende eller gæst.",
        "Pick whether you are an employee, a student or a guest.",
    ),
    "lone_work.error.untrained": (
        "Risikofyldt arbejde kræver, at du er instrueret og oplært i det. Tal med din leder "
        "om oplæring først.",
        "Risky work requires that you have been instructed and trained in it. Talk to your "
        "leader about training first.",
    ),
    "lone_work.error.emergency_name": (
        "Skriv nødkontaktens navn.",
        "Enter the emergency contact's name.",
    ),
    "lone_work.error.emergency_person": (
        "Vælg en kollega på listen, eller skriv nødkontaktens navn.",
        "Pick a colleague from the list, or type the emergency contact's name.",
    ),
    "lone_work.error.emergency_unnamed": (
        "Jeg kan ikke slå kollegaens navn op lige nu. Skriv navnet her.",
        "We cannot look up your colleague's name right now. Type the name here.",
    ),
    "lone_work.error.phone": (
        "Skriv et telefonnummer (mindst 8 cifre).",
        "Enter a phone number (at least 8 digits).",
    ),
    "lone_work.error.invalid": ("Ugyldigt valg.", "Invalid choice."),
    "lone_work.error.form": (
        "Kortet har fejl – se de røde beskeder.",
        "The card has errors – see the red messages.",
    ),
    "lone_work.error.approver": ("Vælg hvem der skal godkende.", "Pick who should approve."),
    "lone_work.error.note_required": (
        "Skriv vilkårene eller begrundelsen i feltet.",
        "Write the conditions or the reason in the field.",
    ),
    "lone_work.summary.title": ("Tjek din anmodning", "Check your request"),
    "lone_work.summary.intro": (
        "Er alt rigtigt? Tryk «Send til godkendelse».",
        "Is everything right? Press “Send for approval”.",
    ),
    "lone_work.fact.number": ("Nr.", "No."),
    "lone_work.fact.requester": ("Anmoder", "Requester"),
    "lone_work.fact.affiliation": ("Anmoder er", "Requester is"),
    "lone_work.fact.unit": ("Enhed", "Unit"),
    "lone_work.fact.task": ("Arbejde", "Work"),
    "lone_work.fact.where": ("Sted", "Where"),
    "lone_work.fact.when": ("Hvornår", "When"),
    "lone_work.fact.hazards": ("Farer", "Hazards"),
    "lone_work.fact.mitigations": ("Tiltag", "Measures"),
    "lone_work.fact.emergency": ("Nødkontakt", "Emergency contact"),
    "lone_work.emergency.colleague": (
        "kollega, får alarmen i Teams",
        "colleague, alarmed in Teams",
    ),
    "lone_work.fact.risk": ("Risiko", "Risk"),
    "lone_work.fact.trained": ("Instrueret og oplært", "Instructed and trained"),
    "lone_work.fact.approver": ("Godkender", "Approver"),
    "lone_work.fact.status": ("Status", "Status"),
    "lone_work.fact.conditions": ("Vilkår", "Conditions"),
    "lone_work.fact.reason": ("Begrundelse", "Reason"),
    "lone_work.fact.decided": ("Afgjort", "Decided"),
    "lone_work.yes": ("Ja", "Yes"),
    "lone_work.no": ("Nej", "No"),
    "lone_work.none": ("Ingen", "None"),
    "lone_work.risk.risky": ("Risikofyldt", "Risky"),
    "lone_work.risk.not_risky": ("Ikke risikofyldt", "Not risky"),
    "lone_work.when.single": ("{start} – {end}", "{start} – {end}"),
    "lone_work.when.recurring": (
        "{days} kl. {start}–{end}, fra {valid_from} til {valid_to}",
        "{days} {start}–{end}, from {valid_from} to {valid_to}",
    ),
    "lone_work.checkin_detail": (
        "{person} hvert {minutes}. minut",
        "{person} every {minutes} minutes",
    ),
    "lone_work.status.pending": ("Afventer godkendelse", "Waiting for approval"),
    "lone_work.status.approved": ("Godkendt", "Approved"),
    "lone_work.status.approved_conditions": ("Godkendt med vilkår", "Approved with conditions"),
    "lone_work.status.rejected": ("Afvist", "Rejected"),
    "lone_work.status.withdrawn": ("Trukket tilbage", "Withdrawn"),
    "lone_work.status.revoked": ("Tilbagekaldt", "Revoked"),
    "lone_work.status.expired": ("Udløbet", "Expired"),
    "lone_work.sent": (
        "Din anmodning {number} er sendt til {approver}. Du får besked, når den er afgjort.",
        "Your request {number} was sent to {approver}. You will hear when it is decided.",
    ),
    "lone_work.sent_no_chat": (
        "Din anmodning {number} er gemt og venter på {approver}, som endnu ikke har åbnet "
        "AMK-bot i Teams. Vi har bedt enhedens AMK om at hjælpe.",
        "Your request {number} is saved and waits for {approver}, who has not opened AMK-bot "
        "in Teams yet. We have asked the unit's AMK to help.",
    ),
    "lone_work.unreachable": (
        "Din anmodning {number} er gemt, men Teams kunne ikke levere den til {approver}. Vi har "
        "bedt enhedens AMK om at hjælpe.",
        "Your request {number} is saved, but Teams could not deliver it to {approver}. We have "
        "asked the unit's AMK to help.",
    ),
    "lone_work.unreachable.title": ("Godkenderen kunne ikke nås", "Approver not reachable"),
    "lone_work.no_approver": (
        "{unit} har ingen leder registreret til at godkende alenearbejde. Din anmodning "
        "{number} er gemt, og enhedens AMK og en administrator har fået besked.",
        "{unit} has no leader registered to approve lone work. Your request {number} is "
        "saved, and the unit's AMK and an administrator have been told.",
    ),
    "lone_work.no_approver.notice": (
        "{unit} har ingen leder til at godkende alenearbejde, og {requester} venter på svar "
        "på anmodning {number}. Tildel en leder med **admin**.",
        "{unit} has no leader to approve lone work, and {requester} is waiting for an answer "
        "to request {number}. Assign a leader with **admin**.",
    ),
    "lone_work.no_approver.title": ("Enhed uden godkender", "Unit without approver"),
    "lone_work.approval.title": ("Godkendelse af alenearbejde", "Lone-work approval"),
    "lone_work.approval.intro": (
        "{requester} beder om at måtte arbejde alene.",
        "{requester} asks to work alone.",
    ),
    "lone_work.requester.title": ("Din anmodning om alenearbejde", "Your lone-work request"),
    "lone_work.decided.by": ("{status} af {name}, {when}", "{status} by {name}, {when}"),
    "lone_work.decision.message.approved": (
        "Din anmodning {number} er godkendt af {name}.",
        "Your request {number} was approved by {name}.",
    ),
    "lone_work.decision.message.approved_conditions": (
        "Din anmodning {number} er godkendt af {name} med disse vilkår: {note}",
        "Your request {number} was approved by {name} with these conditions: {note}",
    ),
    "lone_work.decision.message.rejected": (
        "Din anmodning {number} er afvist af {name}. Begrundelse: {note}",
        "Your request {number} was rejected by {name}. Reason: {note}",
    ),
    "lone_work.revoked.message": (
        "Godkendelsen af dit alenearbejde {number} er tilbagekaldt af {name}. Begrundelse: "
        "{note}. Du må ikke længere arbejde alene efter den.",
        "The approval of your lone work {number} was revoked by {name}. Reason: {note}. You "
        "may no longer work alone under it.",
    ),
    "lone_work.withdrawn.message": (
        "{requester} har trukket anmodning {number} tilbage.",
        "{requester} has withdrawn request {number}.",
    ),
    "lone_work.refused.already": (
        "Anmodningen er allerede afgjort: {status} af {name}, {when}. Intet er ændret.",
        "The request is already decided: {status} by {name}, {when}. Nothing was changed.",
    ),
    "lone_work.refused.closed": (
        "Anmodningen er {status}. Intet er ændret.",
        "The request is {status}. Nothing was changed.",
    ),
    "lone_work.refused.not_approver": (
        "Du er ikke godkender af denne anmodning. Intet er ændret.",
        "You are not the approver of this request. Nothing was changed.",
    ),
    "lone_work.refused.not_requester": (
        "Kun den, der har sendt anmodningen, kan trække den tilbage.",
        "Only the person who sent the request can withdraw it.",
    ),
    "lone_work.refused.not_found": ("Anmodningen findes ikke.", "The request does not exist."),
    "lone_work.reminder": (
        "Påmindelse: {requester} har ventet på svar på anmodning {number} siden {since}.",
        "Reminder: {requester} has been waiting for an answer to request {number} since {since}.",
    ),
    "lone_work.reminder.title": ("Venter på din godkendelse", "Waiting for your approval"),
    "lone_work.reminder.second": (
        "Anden påmindelse: {requester} har ventet på svar på anmodning {number} siden {since}. "
        "Svarer du ikke, får enhedens AMK og en anden leder besked næste arbejdsdag.",
        "Second reminder: {requester} has been waiting for an answer to request {number} "
        "since {since}. Without an answer, the unit's AMK and another leader are told on the "
        "next working day.",
    ),
    "lone_work.escalation.title": (
        "En anmodning om alenearbejde venter på svar",
        "A lone-work request is waiting for an answer",
    ),
    "lone_work.escalation": (
        "Anmodning {number} fra {requester} om alenearbejde har ventet på svar fra {approver} "
        "siden {since}, og {approver} er blevet mindet om den to gange. Du får besked som "
        "enhedens AMK eller leder: tal med {approver}, eller hjælp {requester} med at sende "
        "anmodningen til en anden leder.",
        "Lone-work request {number} from {requester} has been waiting for an answer from "
        "{approver} since {since}, and {approver} has been reminded twice. You are told as "
        "the unit's AMK or a leader: talk to {approver}, or help {requester} send the request "
        "to another leader.",
    ),
    "lone_work.mine.title": ("Mine anmodninger om alenearbejde", "My lone-work requests"),
    "lone_work.mine.empty": (
        "Du har ingen anmodninger om alenearbejde. Skriv **alenearbejde** for at lave en.",
        "You have no lone-work requests. Type **lone work** to make one.",
    ),
    "lone_work.pending.title": ("Venter på din godkendelse", "Waiting for your approval"),
    "lone_work.pending.empty": (
        "Der er ingen anmodninger om alenearbejde, der venter på dig.",
        "No lone-work requests are waiting for you.",
    ),
    "lone_work.list.more": ("… og {count} mere", "… and {count} more"),
    "lone_work.summary_report.title": ("Alenearbejde – overblik", "Lone work – overview"),
    "lone_work.summary_report.line": (
        "**{unit}**: {pending} venter, {approved} godkendt, {rejected} afvist i {year}",
        "**{unit}**: {pending} waiting, {approved} approved, {rejected} rejected in {year}",
    ),
    "lone_work.summary_report.export": (
        "Hele registret for {year} får du som Excel-fil her i chatten med knappen "
        "**Eksporter til Excel**.",
        "The full register for {year} comes as an Excel file here in the chat with the "
        "**Export to Excel** button.",
    ),
    "lone_work.summary_report.none": (
        "Du er ikke leder eller AMK i en enhed, så der er intet overblik at vise.",
        "You are not a leader or AMK of a unit, so there is no overview to show.",
    ),
}

"""Danish and English texts of work accidents: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "menu.work_accident": ("Arbejdsulykke", "Work accident"),
    "menu.work_accident.hint": (
        "Meld en arbejdsulykke – jeg holder styr på fristen i EASY",
        "Report a work accident – I keep track of the EASY deadline",
    ),
    "work_accident.dialog_name": ("Meld en arbejdsulykke", "Report a work accident"),
    "work_accident.title": ("Arbejdsulykke", "Work accident"),
    "work_accident.cancelled": (
        "Okay, ulykken er ikke meldt. Skriv **arbejdsulykke**, når du vil prøve igen.",
        "Okay, the accident has not been reported. Type **work accident** to try again.",
    ),
    # the form
    "work_accident.form.title": ("Meld en arbejdsulykke", "Report a work accident"),
    "work_accident.form.intro": (
        "Er nogen kommet til skade – fysisk eller psykisk – i forbindelse med arbejdet? Meld "
        "det her som den, der kom til skade, som leder eller som enhedens AMK. Jeg beregner "
        "fristen for anmeldelse i EASY og giver lederen besked.",
        "Has someone been hurt – physically or psychologically – in connection with work? "
        "Report it here as the person who was hurt, as their leader or as the unit's AMK. I "
        "work out the deadline for the report in EASY and tell the leader.",
    ),
    "work_accident.form.fix": (
        "Ret de felter, der er markeret, og send igen.",
        "Please correct the marked fields and send again.",
    ),
    "work_accident.form.injured_party": ("Hvem kom til skade?", "Who was hurt?"),
    "work_accident.injured_party.employee": ("En medarbejder", "An employee"),
    "work_accident.injured_party.student": ("En studerende", "A student"),
    "work_accident.injured_party.guest": ("En gæst eller ekstern", "A guest or external person"),
    "work_accident.form.injured_party.explain": (
        "Studerende og gæster anmeldes ikke i EASY som medarbejderes arbejdsulykker. Meld dem "
        "alligevel her – så kommer de med i universitetets egen ulykkesstatistik.",
        "Students and guests are not reported in EASY as employees' work accidents. Report "
        "them here anyway – they are recorded for the university's own accident statistics.",
    ),
    "work_accident.form.reporter_role": ("Du melder som", "You are reporting as"),
    "work_accident.reporter_role.injured": ("Den, der kom til skade", "The person who was hurt"),
    "work_accident.reporter_role.leader": ("Leder", "Their leader"),
    "work_accident.reporter_role.amk": ("Enhedens AMK", "The unit's AMK"),
    "work_accident.form.injured_email": (
        "E-mail på den, der kom til skade (hvis det ikke er dig)",
        "E-mail of the person who was hurt (if it is not you)",
    ),
    "work_accident.form.unit": ("Enhed", "Unit"),
    "work_accident.form.unit.placeholder": ("Vælg enhed", "Choose a unit"),
    "work_accident.form.date": ("Dato for ulykken", "Date of the accident"),
    "work_accident.form.time": ("Klokkeslæt", "Time"),
    "work_accident.form.place": ("Hvor skete det?", "Where did it happen?"),
    "work_accident.form.place.placeholder": (
        "Fx campus, bygning og rum – eller ude på feltarbejde",
        "E.g. campus, building and room – or out on fieldwork",
    ),
    "work_accident.form.description": ("Hvad skete der?", "What happened?"),
    "work_accident.form.description.placeholder": (
        "Beskriv kort forløbet og skaden. Skriv ikke mere om helbredet, end der er brug for.",
        "Briefly describe what happened and the injury. Say no more about health than needed.",
    ),
    "work_accident.form.injury_kind": ("Hvilken slags skade?", "What kind of injury?"),
    "work_accident.injury_kind.physical": ("Fysisk", "Physical"),
    "work_accident.injury_kind.psychological": ("Psykisk", "Psychological"),
    "work_accident.injury_kind.both": ("Både fysisk og psykisk", "Both physical and psychological"),
    "work_accident.form.absence": (
        "Giver skaden fravær ud over den dag, den skete?",
        "Does the injury cause absence beyond the day it happened?",
    ),
    "work_accident.absence.yes": ("Ja", "Yes"),
    "work_accident.absence.no": ("Nej", "No"),
    "work_accident.form.absence_from": ("Første fraværsdag", "First day of absence"),
    "work_accident.form.absence_from.hint": (
        "Dagen efter skadesdagen eller senere. Fristen i EASY regnes fra den.",
        "The day after the injury day or later. The EASY deadline counts from it.",
    ),
    "work_accident.form.claim": (
        "Kan der komme krav om erstatning?",
        "Could there be a claim for compensation?",
    ),
    "work_accident.claim.yes": ("Ja", "Yes"),
    "work_accident.claim.no": ("Nej", "No"),
    "work_accident.claim.unsure": ("Ved ikke", "Don't know"),
    "work_accident.form.claim.hint": (
        "Fx tandskade, ødelagte briller eller udgifter til behandling. Er du i tvivl, så vælg "
        "«Ved ikke» – så regner jeg med, at der kan komme et krav.",
        "For example damaged teeth, broken glasses or treatment costs. If in doubt, choose "
        "“Don't know” – I will then assume there may be a claim.",
    ),
    "work_accident.form.immediate_action": (
        "Hvad blev der gjort med det samme?",
        "What was done at once?",
    ),
    "work_accident.form.witnesses": ("Vidner (valgfrit)", "Witnesses (optional)"),
    "work_accident.form.withhold_name": (
        "Vis ikke navnet på den, der kom til skade, for AMK'en",
        "Do not show the name of the person who was hurt to the AMK",
    ),
    "work_accident.form.withhold_name.hint": (
        "Gælder psykiske ulykker, og det er den, der kom til skade, der bestemmer – spørg, "
        "hvis du melder for en anden. Lederen og arbejdsmiljøsekretariatet ser altid navnet.",
        "Applies to psychological accidents, and it is for the person who was hurt to decide "
        "– ask them if you report for someone else. The leader and the work-environment "
        "secretariat always see the name.",
    ),
    "work_accident.form.wants_outcome": (
        "Den, der kom til skade, vil gerne høre, hvad undersøgelsen fører til",
        "The person who was hurt wants to hear what the investigation leads to",
    ),
    "work_accident.form.submit": ("Send", "Send"),
    "work_accident.form.cancel": ("Annullér", "Cancel"),
    # errors
    "work_accident.error.injured_party": ("Vælg, hvem der kom til skade.", "Choose who was hurt."),
    "work_accident.error.reporter_role": (
        "Vælg, hvem du melder som.",
        "Choose who you are reporting as.",
    ),
    "work_accident.error.injured_email": (
        "Skriv en gyldig e-mailadresse, fx navn@uni.dk.",
        "Enter a valid e-mail address, e.g. name@uni.dk.",
    ),
    "work_accident.error.injured_email_missing": (
        "Skriv e-mailen på den medarbejder, der kom til skade – lederen skal vide, hvem "
        "anmeldelsen gælder.",
        "Enter the e-mail of the employee who was hurt – the leader needs to know who the "
        "report is about.",
    ),
    "work_accident.error.unit_id": ("Vælg enheden.", "Choose the unit."),
    "work_accident.error.occurred_date": (
        "Skriv datoen for ulykken.",
        "Enter the date of the accident.",
    ),
    "work_accident.error.occurred_time": ("Skriv klokkeslættet.", "Enter the time."),
    "work_accident.error.future": (
        "Tidspunktet ligger ude i fremtiden.",
        "That moment lies in the future.",
    ),
    "work_accident.error.too_old": (
        "Ulykken ligger mere end et år tilbage. Tal med din AMK om den.",
        "The accident is more than a year ago. Please talk to your AMK about it.",
    ),
    "work_accident.error.place": (
        "Skriv, hvor det skete (mindst 2 tegn).",
        "Say where it happened (at least 2 characters).",
    ),
    "work_accident.error.description": (
        "Beskriv, hvad der skete (mindst 10 tegn).",
        "Describe what happened (at least 10 characters).",
    ),
    "work_accident.error.injury_kind": (
        "Vælg, hvilken slags skade det er.",
        "Choose the kind of injury.",
    ),
    "work_accident.error.absence": ("Svar ja eller nej.", "Answer yes or no."),
    "work_accident.error.absence_from": (
        "Skriv første fraværsdag.",
        "Enter the first day of absence.",
    ),
    "work_accident.error.absence_from_order": (
        "Første fraværsdag skal ligge efter skadesdagen – fravær kun på selve dagen tæller ikke.",
        "The first day of absence must be after the injury day – absence on the day itself "
        "does not count.",
    ),
    "work_accident.error.absence_from_far": (
        "Første fraværsdag ligger mere end et år efter ulykken.",
        "The first day of absence is more than a year after the accident.",
    ),
    "work_accident.error.claim": ("Vælg ja, nej eller ved ikke.", "Choose yes, no or don't know."),
    "work_accident.error.immediate_action": ("Højst 2000 tegn.", "At most 2000 characters."),
    "work_accident.error.witnesses": ("Højst 1000 tegn.", "At most 1000 characters."),
    "work_accident.error.withhold_name": ("Vælg til eller fra.", "Choose on or off."),
    "work_accident.error.easy_reference": (
        "Skriv referencen fra EASY (3–40 tegn).",
        "Enter the reference from EASY (3–40 characters).",
    ),
    "work_accident.error.filed_on": (
        "Skriv datoen for anmeldelsen.",
        "Enter the date of the report.",
    ),
    "work_accident.error.filed_future": (
        "Datoen for anmeldelsen kan ikke ligge efter i dag.",
        "The date of the report cannot be after today.",
    ),
    "work_accident.error.filed_early": (
        "Datoen for anmeldelsen kan ikke ligge før ulykken.",
        "The date of the report cannot be before the accident.",
    ),
    "work_accident.error.not_required_reason": (
        "Skriv kort, hvorfor den ikke skal anmeldes (mindst 5 tegn).",
        "Say briefly why no report is needed (at least 5 characters).",
    ),
    # what EASY asks for
    "work_accident.easy.authority_and_insurer": (
        "Skal anmeldes i EASY til Arbejdstilsynet og forsikringen/AES senest **{due}** – 14 "
        "dage efter første fraværsdag ({start}).",
        "Must be reported in EASY to the Danish Working Environment Authority and the "
        "insurer/AES by **{due}** – 14 days after the first day of absence ({start}).",
    ),
    "work_accident.easy.insurer": (
        "Skal anmeldes i EASY til forsikringen/AES senest **{due}** – 14 dage efter "
        "ulykkesdagen ({start}), fordi der kan komme krav om erstatning. Uden fravær skal den "
        "ikke til Arbejdstilsynet.",
        "Must be reported in EASY to the insurer/AES by **{due}** – 14 days after the day of "
        "the accident ({start}), as there may be a claim for compensation. Without absence it "
        "does not go to the Danish Working Environment Authority.",
    ),
    "work_accident.easy.none": (
        "Skal ikke anmeldes i EASY: der er ikke fravær ud over skadesdagen og ikke udsigt til "
        "krav om erstatning. Ulykken er registreret her. Kommer der fravær eller krav senere, "
        "så sig det til lederen.",
        "No report in EASY: there is no absence beyond the injury day and no prospect of a "
        "claim. The accident is recorded here. If absence or a claim comes later, tell the "
        "leader.",
    ),
    "work_accident.easy.not_employee": (
        "Studerende og gæster anmeldes ikke i EASY som medarbejderes arbejdsulykker. Ulykken "
        "er registreret i universitetets egen statistik.",
        "Students and guests are not reported in EASY as employees' work accidents. The "
        "accident is recorded for the university's own statistics.",
    ),
    # the receipt
    "work_accident.confirm.title": (
        "Tak – ulykken er meldt",
        "Thank you – the accident is reported",
    ),
    "work_accident.confirm.number": (
        "Ulykken er registreret som **{number}**. Brug nummeret, hvis du vil spørge til den.",
        "The accident is registered as **{number}**. Quote this number if you want to ask "
        "about it.",
    ),
    "work_accident.confirm.told": (
        "Lederen og arbejdsmiljøkoordinatoren i {unit} får besked nu. Anmeldelsen i EASY er "
        "lederens opgave – den kan jeg ikke lave.",
        "The leader and the work-environment coordinator in {unit} are told now. The report in "
        "EASY is the leader's to make – I cannot make it.",
    ),
    "work_accident.confirm.get_well": (
        "Har ulykken ramt dig, så pas på dig selv – og tal med din leder om det, du har brug for.",
        "If the accident has affected you, take care of yourself – and talk to your leader "
        "about what you need.",
    ),
    # psychological accidents
    "work_accident.confirm.confidential": (
        "Ulykken behandles fortroligt: kun den, der kom til skade, lederen, enhedens AMK og "
        "arbejdsmiljøsekretariatet kan se den.",
        "The accident is handled in confidence: only the person who was hurt, the leader, the "
        "unit's AMK and the work-environment secretariat can see it.",
    ),
    "work_accident.support.title": ("Her kan du få støtte", "Where to get support"),
    "work_accident.support.default": (
        "Du kan få krisehjælp og samtaler med en psykolog gennem universitetet, og du kan altid "
        "tale med din arbejdsmiljørepræsentant, din leder eller HR.",
        "You can get crisis help and talks with a psychologist through the university, and you "
        "can always talk to your work-environment representative, your leader or HR.",
    ),
    "work_accident.card.confidential": (
        "Fortroligt – psykisk arbejdsulykke. Kun den, der kom til skade, lederen, enhedens AMK "
        "og arbejdsmiljøsekretariatet kan se den. Del den ikke videre.",
        "Confidential – psychological work accident. Only the person who was hurt, the leader, "
        "the unit's AMK and the work-environment secretariat can see it. Do not pass it on.",
    ),
    "work_accident.card.name_withheld": (
        "Navnet vises ikke for AMK'en efter personens ønske",
        "Name not shown to the AMK, at the person's request",
    ),
    "work_accident.card.follow_up": (
        "Følg op med den, der kom til skade, senest {by} – en uge efter, at ulykken blev "
        "meldt. Tryk **Jeg har fulgt op**, når I har talt sammen.",
        "Follow up with the person who was hurt by {by} – a week after the accident was "
        "reported. Press **I have followed up** when you have talked.",
    ),
    "work_accident.card.follow_up_by_leader": (
        "Lederen følger op med den, der kom til skade, senest {by}.",
        "The leader follows up with the person who was hurt by {by}.",
    ),
    "work_accident.card.followed_up": (
        "{who} har fulgt op med den, der kom til skade ({when}).",
        "{who} has followed up with the person who was hurt ({when}).",
    ),
    "work_accident.card.followed_up_button": ("Jeg har fulgt op", "I have followed up"),
    "work_accident.msg.followed_up": (
        "Tak – opfølgningen er registreret.",
        "Thank you – the follow-up is recorded.",
    ),
    "work_accident.msg.follow_up_already": (
        "Opfølgningen er allerede registreret.",
        "The follow-up is already recorded.",
    ),
    "work_accident.not_allowed_follow_up": (
        "Det er lederen, der registrerer opfølgningen.",
        "The leader records the follow-up.",
    ),
    "work_accident.reminder.follow_up": (
        "Påmindelse: Følg op med den, der kom til skade, senest {by}.",
        "Reminder: follow up with the person who was hurt by {by}.",
    ),
    # from a near miss
    "work_accident.from_near_miss.report": (
        "Meld den som arbejdsulykke",
        "Report it as a work accident",
    ),
    "work_accident.from_near_miss.became": (
        "Blev til en arbejdsulykke",
        "Became a work accident",
    ),
    "work_accident.card.near_miss": (
        "Først meldt som nærved-hændelse {number}.",
        "First reported as near miss {number}.",
    ),
    # the leader's and AMK's card
    "work_accident.card.title": ("Arbejdsulykke {number}", "Work accident {number}"),
    "work_accident.card.new": (
        "Der er meldt en arbejdsulykke i {unit}.",
        "A work accident has been reported in {unit}.",
    ),
    "work_accident.card.unit": ("Enhed", "Unit"),
    "work_accident.card.when": ("Hvornår", "When"),
    "work_accident.card.where": ("Hvor", "Where"),
    "work_accident.card.injured": ("Kom til skade", "Hurt"),
    "work_accident.card.kind": ("Skade", "Injury"),
    "work_accident.card.absence": ("Første fraværsdag", "First day of absence"),
    "work_accident.card.no_absence": (
        "Intet fravær ud over skadesdagen",
        "No absence beyond the injury day",
    ),
    "work_accident.card.claim": ("Krav om erstatning", "Claim for compensation"),
    "work_accident.card.reporter": ("Meldt af", "Reported by"),
    "work_accident.card.what": ("Hvad skete der", "What happened"),
    "work_accident.card.immediate": ("Gjort med det samme", "Done at once"),
    "work_accident.card.witnesses": ("Vidner", "Witnesses"),
    "work_accident.card.easy": ("Anmeldelse i EASY", "Report in EASY"),
    "work_accident.card.easy_owner": (
        "Lederen anmelder i EASY – det kan jeg ikke gøre. Når det er gjort, så tryk **Anmeldt "
        "i EASY**. Jeg minder dig og AMK'en om fristen 7 dage og 2 dage før og på sidste dag.",
        "The leader reports in EASY – I cannot do that. When it is done, press **Reported in "
        "EASY**. I remind you and the AMK of the deadline 7 days and 2 days before and on the "
        "last day.",
    ),
    "work_accident.card.overdue": (
        "Fristen er overskredet – anmeld hurtigst muligt.",
        "The deadline has passed – please report as soon as possible.",
    ),
    "work_accident.card.filed": (
        "Anmeldt i EASY den {filed_on} med reference {reference} (registreret af {who}).",
        "Reported in EASY on {filed_on} with reference {reference} (recorded by {who}).",
    ),
    "work_accident.card.not_required": (
        "Skal ikke anmeldes i EASY – vurderet af {who}: {reason}",
        "No report in EASY – judged by {who}: {reason}",
    ),
    "work_accident.card.filed_button": ("Anmeldt i EASY", "Reported in EASY"),
    "work_accident.card.reference": ("Reference fra EASY", "Reference from EASY"),
    "work_accident.card.filed_on": ("Anmeldt den", "Reported on"),
    "work_accident.card.save": ("Gem", "Save"),
    "work_accident.card.not_required_button": ("Skal ikke anmeldes", "No report needed"),
    "work_accident.card.reason": (
        "Hvorfor skal den ikke anmeldes?",
        "Why is no report needed?",
    ),
    "work_accident.msg.filed": (
        "Tak – anmeldelsen i EASY er registreret.",
        "Thank you – the report in EASY is recorded.",
    ),
    "work_accident.msg.not_required": (
        "Tak – det er registreret, at ulykken ikke skal anmeldes.",
        "Thank you – it is recorded that no report is needed.",
    ),
    "work_accident.msg.already": (
        "Det er allerede registreret af {who}.",
        "{who} has already recorded it.",
    ),
    "work_accident.msg.nothing_owed": (
        "Den ulykke skal ikke anmeldes i EASY.",
        "That accident is not to be reported in EASY.",
    ),
    "work_accident.not_allowed": (
        "Det er kun enhedens leder og AMK og arbejdsmiljøsekretariatet, der kan registrere "
        "anmeldelsen.",
        "Only the unit's leader and AMK and the work-environment secretariat can record the "
        "report.",
    ),
    "work_accident.not_found": ("Jeg kan ikke finde den ulykke.", "I can't find that accident."),
    # reminders
    "work_accident.reminder.week": (
        "Påmindelse: Ulykken skal anmeldes i EASY senest {due} – om en uge.",
        "Reminder: the accident must be reported in EASY by {due} – in a week.",
    ),
    "work_accident.reminder.two_days": (
        "Påmindelse: Ulykken skal anmeldes i EASY senest {due} – om to dage.",
        "Reminder: the accident must be reported in EASY by {due} – in two days.",
    ),
    "work_accident.reminder.last_day": (
        "Sidste frist i dag: Ulykken skal anmeldes i EASY senest i dag, {due}.",
        "Last day today: the accident must be reported in EASY today, {due}.",
    ),
    "work_accident.reminder.overdue": (
        "Fristen for anmeldelse i EASY var {due}, og ulykken er ikke registreret som anmeldt. "
        "Tag fat i enhedens leder.",
        "The deadline for the report in EASY was {due}, and the accident is not recorded as "
        "reported. Please contact the unit's leader.",
    ),
    # the weekly digest
    "work_accident.digest.title": ("Arbejdsulykker", "Work accidents"),
    "work_accident.digest.new": (
        "Meldt i ugen: **{count}** – {units}",
        "Reported this week: **{count}** – {units}",
    ),
    "work_accident.digest.due_soon": (
        "Skal anmeldes i EASY inden for en uge: **{count}** – {units}",
        "To be reported in EASY within a week: **{count}** – {units}",
    ),
    "work_accident.digest.overdue": (
        "EASY-fristen er overskredet: **{count}** – {units}",
        "EASY deadline passed: **{count}** – {units}",
    ),
    # the injured person, when someone else reported
    "work_accident.injured.title": ("En arbejdsulykke er meldt", "A work accident was reported"),
    "work_accident.injured.text": (
        "{who} har meldt en arbejdsulykke, hvor du kom til skade ({number}, {unit}). Lederen "
        "sørger for en eventuel anmeldelse i EASY. Er der noget, der ikke passer, så sig det "
        "til din leder. God bedring.",
        "{who} has reported a work accident in which you were hurt ({number}, {unit}). The "
        "leader takes care of any report in EASY. If something is not right, tell your "
        "leader. Get well soon.",
    ),
    "work_accident.error.wants_outcome": (
        "Vælg, om den, der kom til skade, vil høre resultatet.",
        "Choose whether the person who was hurt wants to hear the outcome.",
    ),
    # the investigation
    "work_accident.learn.title": ("Undersøgelse og læring", "Investigation and learning"),
    "work_accident.learn.status.not_started": (
        "AMK'en har ikke registreret noget endnu.",
        "The AMK has not recorded anything yet.",
    ),
    "work_accident.learn.status.under_way": ("Undersøgelsen er i gang.", "Being investigated."),
    "work_accident.learn.status.closed": ("Undersøgelsen er afsluttet.", "Investigation closed."),
    "work_accident.learn.causes": ("Årsager", "Causes"),
    "work_accident.learn.causes_label": (
        "Hvad førte til ulykken? (årsager, ikke skyld)",
        "What led to the accident? (causes, not blame)",
    ),
    "work_accident.learn.causes_button": ("Årsager…", "Causes…"),
    "work_accident.learn.conclusion": ("Konklusion", "Conclusion"),
    "work_accident.learn.conclusion_label": (
        "Konklusion: hvad lærte vi, og hvad er gjort?",
        "Conclusion: what did we learn, and what was done?",
    ),
    "work_accident.learn.tell_injured": (
        "Send konklusionen til den, der kom til skade",
        "Send the conclusion to the person who was hurt",
    ),
    "work_accident.learn.close_button": ("Afslut undersøgelsen…", "Close the investigation…"),
    "work_accident.learn.closed": ("Afsluttet af {who} {when}.", "Closed by {who} {when}."),
    "work_accident.learn.outcome.wanted": (
        "Den, der kom til skade, vil gerne høre resultatet.",
        "The person who was hurt wants to hear the outcome.",
    ),
    "work_accident.learn.outcome.not_wanted": (
        "Den, der kom til skade, har ikke bedt om at høre resultatet.",
        "The person who was hurt has not asked to hear the outcome.",
    ),
    "work_accident.learn.outcome.told": (
        "Den, der kom til skade, har fået konklusionen.",
        "The person who was hurt has been sent the conclusion.",
    ),
    "work_accident.learn.outcome.not_told": (
        "Konklusionen er ikke sendt til den, der kom til skade.",
        "The conclusion was not sent to the person who was hurt.",
    ),
    "work_accident.error.causes": (
        "Beskriv årsagerne (mindst 10 tegn).",
        "Describe the causes (at least 10 characters).",
    ),
    "work_accident.error.conclusion": (
        "Skriv en kort konklusion (mindst 10 tegn).",
        "Write a short conclusion (at least 10 characters).",
    ),
    "work_accident.msg.causes": ("Årsagerne er gemt.", "The causes are saved."),
    "work_accident.msg.action_added": (
        "Tiltaget er tilføjet, og {who} har fået besked.",
        "The corrective action is added, and {who} has been told.",
    ),
    "work_accident.msg.action_done": ("Tiltaget er markeret som udført.", "Marked as done."),
    "work_accident.msg.action_already_done": (
        "Tiltaget var allerede markeret som udført.",
        "The corrective action was already marked as done.",
    ),
    "work_accident.msg.closed": ("Undersøgelsen er afsluttet.", "The investigation is closed."),
    "work_accident.msg.closed_told": (
        "Undersøgelsen er afsluttet, og den, der kom til skade, får konklusionen.",
        "The investigation is closed, and the person who was hurt is sent the conclusion.",
    ),
    "work_accident.msg.already_closed": (
        "Undersøgelsen er allerede afsluttet.",
        "The investigation is already closed.",
    ),
    "work_accident.msg.open_actions": (
        "Undersøgelsen kan ikke afsluttes, mens der er åbne tiltag ({count}). Markér dem som "
        "udført først.",
        "The investigation cannot be closed while corrective actions are open ({count}). Mark "
        "them done first.",
    ),
    "work_accident.not_allowed_investigate": (
        "Det er enhedens AMK (eller arbejdsmiljøsekretariatet), der undersøger ulykken.",
        "The unit's AMK (or the work-environment secretariat) investigates the accident.",
    ),
    # a corrective action's owner
    "work_accident.owner.title": (
        "Tiltag efter arbejdsulykke {number}",
        "Corrective action after work accident {number}",
    ),
    # the injured person hears the outcome
    "work_accident.outcome.title": ("Ulykken er undersøgt", "The accident has been investigated"),
    "work_accident.outcome.text": (
        "Undersøgelsen af arbejdsulykken {number}, hvor du kom til skade, er afsluttet. Du bad "
        "om at høre, hvad den førte til:",
        "The investigation of work accident {number}, in which you were hurt, is closed. You "
        "asked to hear what it led to:",
    ),
    "work_accident.outcome.action": ("{action} (frist {due})", "{action} (due {due})"),
    "work_accident.outcome.questions": (
        "Har du spørgsmål, så tal med din leder eller enhedens AMK.",
        "If you have questions, talk to your leader or the unit's AMK.",
    ),
}

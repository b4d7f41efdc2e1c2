"""Texts of well-being dialogues, action plans and the annual discussion: (Danish, English)."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "wellbeing.title": ("Trivsel og handlingsplan", "Well-being and action plan"),
    "wellbeing.dialog_name": ("noter fra trivselsdialog", "well-being dialogue notes"),
    "wellbeing.yes": ("Ja", "Yes"),
    "wellbeing.no": ("Nej", "No"),
    # -- the dialogue form
    "wellbeing.form.title": ("Noter fra trivselsdialog", "Well-being dialogue notes"),
    "wellbeing.form.intro": (
        "Beskriv, hvad gruppen samlet set fandt frem til. Felter med * skal udfyldes. "
        "Bagefter skriver du handlingsplanen: problem, handling, ansvarlig og frist.",
        "Describe what the group found, as a group. Fields marked * are required. "
        "Next you write the action plan: problem, action, owner and deadline.",
    ),
    "wellbeing.form.amd_hint": (
        "Den årlige arbejdsmiljødrøftelse registrerer du ved at skrive **arbejdsmiljødrøftelse**.",
        "To record the annual work-environment discussion, type **annual discussion**.",
    ),
    "wellbeing.privacy.title": (
        "Skriv ikke navne eller helbredsoplysninger",
        "Do not write names or health information",
    ),
    "wellbeing.privacy.notes": (
        "Noterne må ikke handle om enkeltpersoner: ingen navne, ingen e-mailadresser og "
        "intet om nogens helbred eller sygdom. Noterne kan kun læses af enhedens leder og "
        "AMK og af dig, og teksten slettes efter opbevaringsperioden.",
        "The notes must not be about individuals: no names, no e-mail addresses and nothing "
        "about anyone's health or illness. Only the unit's leader and AMK, and you, can read "
        "the notes, and the text is deleted after the retention period.",
    ),
    "wellbeing.privacy.plan": (
        "Alle medarbejdere kan se handlingsplanen. Beskriv problemer og handlinger, så "
        "ingen enkeltperson kan genkendes – den ansvarlige er den eneste person på planen.",
        "Every employee can see the action plan. Describe problems and actions so that no "
        "individual can be recognised – the owner is the only person on the plan.",
    ),
    "wellbeing.field.unit": ("Enhed", "Unit"),
    "wellbeing.field.group": ("Gruppe eller team", "Group or team"),
    "wellbeing.field.held_on": ("Dato for dialogen", "Date of the dialogue"),
    "wellbeing.field.participants": (
        "Antal deltagere (kun et tal)",
        "Number of participants (a number only)",
    ),
    "wellbeing.field.facilitator": ("Facilitator", "Facilitator"),
    "wellbeing.field.themes": ("Temaer, I talte om", "Themes you discussed"),
    "wellbeing.field.theme_other": ("Andet tema – hvilket?", "Other theme – which?"),
    "wellbeing.field.works_well": ("Det fungerer godt", "What works well"),
    "wellbeing.field.challenges": ("Udfordringer", "Challenges"),
    "wellbeing.placeholder.works_well": (
        "Fx: God hjælp til hinanden i travle perioder",
        "E.g. good help for each other in busy periods",
    ),
    "wellbeing.placeholder.challenges": (
        "Fx: Uklart, hvem der prioriterer opgaverne",
        "E.g. unclear who prioritises the tasks",
    ),
    "wellbeing.field.absence": (
        "Har gruppen drøftet, om arbejdsforholdene bidrager til sygefravær?",
        "Did the group consider whether working conditions contribute to sickness absence?",
    ),
    "wellbeing.field.absence_note": (
        "Kort note om sygefravær (valgfri – intet om enkeltpersoner)",
        "Short note on sickness absence (optional – nothing about individuals)",
    ),
    "wellbeing.theme.dialogue_cooperation": (
        "Dialogbaseret samarbejde",
        "Dialogue-based cooperation",
    ),
    "wellbeing.theme.stress": ("Stress", "Stress"),
    "wellbeing.theme.sexism": ("Sexisme", "Sexism"),
    "wellbeing.theme.conflicts": ("Konflikter", "Conflicts"),
    "wellbeing.theme.inclusive_culture": ("Inkluderende kultur", "Inclusive culture"),
    "wellbeing.theme.neurodiversity": ("Neurodiversitet", "Neurodiversity"),
    "wellbeing.theme.workload": ("Arbejdsmængde og tidspres", "Workload and time pressure"),
    "wellbeing.theme.collaboration": ("Samarbejde", "Collaboration"),
    "wellbeing.theme.management": ("Ledelse", "Management"),
    "wellbeing.theme.physical": ("Fysiske forhold", "Physical conditions"),
    "wellbeing.theme.other": ("Andet", "Other"),
    "wellbeing.button.save_dialogue": (
        "Gem og gå til handlingsplanen",
        "Save and go on to the action plan",
    ),
    "wellbeing.button.cancel": ("Annullér", "Cancel"),
    "wellbeing.button.edit_text": ("Ret teksten", "Edit the text"),
    "wellbeing.button.save_anyway": ("Gem alligevel", "Save anyway"),
    "wellbeing.button.save": ("Gem", "Save"),
    "wellbeing.button.save_items": ("Gem punkterne", "Save the items"),
    "wellbeing.button.more_rows": ("Flere rækker", "More rows"),
    "wellbeing.button.no_more_items": ("Færdig – vis handlingsplanen", "Done – show the plan"),
    "wellbeing.button.add_items": ("Tilføj punkter", "Add items"),
    "wellbeing.button.show_plan": ("Vis handlingsplanen", "Show the action plan"),
    "wellbeing.button.back_to_plan": ("Tilbage til handlingsplanen", "Back to the action plan"),
    "wellbeing.button.in_progress": ("I gang", "In progress"),
    "wellbeing.button.done": ("Udført", "Done"),
    "wellbeing.button.drop": ("Opgivet", "Dropped"),
    "wellbeing.button.answer": ("Send svar", "Send answer"),
    "wellbeing.button.edit": ("Ret", "Edit"),
    "wellbeing.button.open": ("Åbn", "Open"),
    "wellbeing.button.notes": ("Læs dialognoterne", "Read the dialogue notes"),
    "wellbeing.button.other_unit": ("Vælg en anden enhed", "Pick another unit"),
    "wellbeing.button.record": ("Registrér en trivselsdialog", "Record a well-being dialogue"),
    # -- errors
    "wellbeing.error.form": (
        "Noget mangler eller skal rettes – se de røde felter.",
        "Something is missing or needs fixing – see the fields in red.",
    ),
    "wellbeing.error.invalid": ("Det kunne ikke læses.", "That could not be read."),
    "wellbeing.error.required": ("Skal udfyldes.", "Required."),
    "wellbeing.error.too_long": ("Teksten er for lang.", "The text is too long."),
    "wellbeing.error.unit": ("Vælg en enhed.", "Pick a unit."),
    "wellbeing.error.unit_not_allowed": (
        "Du kan kun registrere for enheder, hvor du er leder eller AMK.",
        "You can only record for units where you are leader or AMK.",
    ),
    "wellbeing.error.group": ("Skriv gruppens eller teamets navn.", "Enter the group or team."),
    "wellbeing.error.held_on": ("Vælg datoen.", "Pick the date."),
    "wellbeing.error.future": (
        "Datoen må ikke ligge i fremtiden.",
        "The date cannot be in the future.",
    ),
    "wellbeing.error.too_old": (
        "Vælg en dato inden for de seneste fem år.",
        "Pick a date within the last five years.",
    ),
    "wellbeing.error.facilitator": ("Skriv, hvem der faciliterede.", "Enter who facilitated."),
    "wellbeing.error.participants": (
        "Skriv antallet af deltagere som et helt tal (mindst 1) – ingen navne.",
        "Enter the number of participants as a whole number (at least 1) – no names.",
    ),
    "wellbeing.error.themes": ("Vælg mindst ét tema.", "Pick at least one theme."),
    "wellbeing.error.theme_other": ("Skriv, hvilket andet tema.", "Enter the other theme."),
    "wellbeing.error.no_notes": (
        "Skriv mindst én ting om, hvad der fungerer godt, eller om udfordringerne.",
        "Write at least one thing about what works well or about the challenges.",
    ),
    "wellbeing.error.absence": (
        "Svar ja eller nej – sygefravær er en fast del af APV'en.",
        "Answer yes or no – sickness absence is a required part of the risk assessment.",
    ),
    "wellbeing.error.item_problem": ("Beskriv problemet.", "Describe the problem."),
    "wellbeing.error.item_action": (
        "Beskriv, hvad I vil gøre ved det.",
        "Describe what you will do about it.",
    ),
    "wellbeing.error.owner": (
        "Vælg den ansvarlige, eller skriv vedkommendes e-mailadresse (fx abc@uni.dk).",
        "Pick the owner, or enter their e-mail address (e.g. abc@uni.dk).",
    ),
    "wellbeing.error.deadline": ("Vælg en frist.", "Pick a deadline."),
    "wellbeing.error.deadline_past": (
        "Fristen må ikke ligge før i dag.",
        "The deadline cannot be before today.",
    ),
    "wellbeing.error.follow_up": ("Datoen kunne ikke læses.", "The date could not be read."),
    "wellbeing.error.too_far": (
        "Vælg en dato inden for de næste fem år.",
        "Pick a date within the next five years.",
    ),
    "wellbeing.error.follow_up_before": (
        "Opfølgningen skal ligge på eller efter fristen.",
        "The follow-up must be on or after the deadline.",
    ),
    "wellbeing.error.effect": (
        "Vælg ja, delvist eller nej.",
        "Pick yes, partly or no.",
    ),
    "wellbeing.error.year": (
        "Vælg i år eller sidste år.",
        "Pick this year or last year.",
    ),
    "wellbeing.error.amd_date": (
        "Datoen passer ikke til det valgte år.",
        "The date does not fit the chosen year.",
    ),
    "wellbeing.error.roles": ("Vælg mindst én deltagerrolle.", "Pick at least one role."),
    "wellbeing.error.goals_met": ("Vælg et svar.", "Pick an answer."),
    # -- personal data check
    "wellbeing.check.title": ("Tjek for personoplysninger", "Check for personal data"),
    "wellbeing.check.intro": (
        "Det ser ud til, at teksten indeholder personoplysninger:",
        "The text looks like it contains personal data:",
    ),
    "wellbeing.check.still": (
        "Teksten indeholder stadig noget, der ligner personoplysninger:",
        "The text still contains something that looks like personal data:",
    ),
    "wellbeing.check.advice": (
        "Ret teksten, så ingen enkeltperson kan genkendes. Er det ikke en person – fx et "
        "projekt eller et lokale – kan du gemme alligevel.",
        "Edit the text so that no individual can be recognised. If it is not a person – "
        "e.g. a project or a room – you can save anyway.",
    ),
    "wellbeing.flag.name": ("{field}: et navn? «{text}»", "{field}: a name? “{text}”"),
    "wellbeing.flag.email": (
        "{field}: en e-mailadresse «{text}»",
        "{field}: an e-mail address “{text}”",
    ),
    "wellbeing.flag.cpr": ("{field}: et CPR-nummer", "{field}: a CPR number"),
    "wellbeing.flag_field.theme_other": ("Andet tema", "Other theme"),
    "wellbeing.flag_field.works_well": ("Det fungerer godt", "What works well"),
    "wellbeing.flag_field.challenges": ("Udfordringer", "Challenges"),
    "wellbeing.flag_field.absence_note": ("Note om sygefravær", "Note on sickness absence"),
    "wellbeing.flag_field.problem": ("problem", "problem"),
    "wellbeing.flag_field.action": ("handling", "action"),
    "wellbeing.flag_field.row": ("Punkt {n}, {field}", "Item {n}, {field}"),
    "wellbeing.saved": (
        "Noterne fra trivselsdialogen i {unit} ({group}, {date}) er gemt.",
        "The notes from the well-being dialogue in {unit} ({group}, {date}) are saved.",
    ),
    # -- action-plan items
    "wellbeing.items.title": ("Handlingsplan for {unit}", "Action plan for {unit}"),
    "wellbeing.items.intro": (
        "Skriv de aftalte handlinger: hvad er problemet, hvad gør I, hvem er ansvarlig, og "
        "hvornår. Tomme rækker springes over. Den ansvarlige får punktet i sin chat med "
        "AMK-bot. Tom opfølgningsdato = en måned efter fristen.",
        "Write the agreed actions: what the problem is, what you will do, who is responsible "
        "and by when. Blank rows are skipped. The owner gets the item in their chat with "
        "AMK-bot. No follow-up date = one month after the deadline.",
    ),
    "wellbeing.items.row": ("Punkt {n}", "Item {n}"),
    "wellbeing.field.item_problem": ("Problem – hvad skal løses?", "Problem – what needs solving?"),
    "wellbeing.field.item_action": (
        "Handling – hvad gør I, og hvordan?",
        "Action – what will you do, and how?",
    ),
    "wellbeing.placeholder.item_problem": (
        "Fx: Mange afbrydelser i kontorlandskabet",
        "E.g. many interruptions in the open-plan office",
    ),
    "wellbeing.placeholder.item_action": (
        "Fx: Aftal stilletimer og book et stillerum",
        "E.g. agree on quiet hours and book a quiet room",
    ),
    "wellbeing.field.owner": ("Ansvarlig (e-mail)", "Owner (e-mail)"),
    "wellbeing.field.owner.picker": ("Ansvarlig", "Owner"),
    "wellbeing.field.deadline": ("Frist", "Deadline"),
    "wellbeing.field.follow_up": ("Opfølgning", "Follow-up"),
    "wellbeing.items.none": (
        "Udfyld mindst ét punkt, eller vælg **Færdig**, hvis I ikke aftalte handlinger.",
        "Fill in at least one item, or choose **Done** if you agreed on no actions.",
    ),
    "wellbeing.items.saved_title": (
        "Gemt i handlingsplanen for {unit}",
        "Saved in the action plan for {unit}",
    ),
    "wellbeing.items.saved": (
        "Punkter gemt: {count}. De ansvarlige får deres punkter i chatten med AMK-bot.",
        "Items saved: {count}. The owners get their items in their chat with AMK-bot.",
    ),
    "wellbeing.items.saved_line": (
        "**{ref}** {problem} – {owner}, frist {deadline}",
        "**{ref}** {problem} – {owner}, deadline {deadline}",
    ),
    "wellbeing.items.unreachable": (
        "Har endnu ikke en chat med AMK-bot: {people}. De får deres punkter, så snart de "
        "skriver til botten – sig gerne til dem.",
        "No chat with AMK-bot yet: {people}. They get their items as soon as they write to "
        "the bot – do let them know.",
    ),
    # -- item facts and states
    "wellbeing.fact.unit": ("Enhed", "Unit"),
    "wellbeing.fact.problem": ("Problem", "Problem"),
    "wellbeing.fact.action": ("Handling", "Action"),
    "wellbeing.fact.owner": ("Ansvarlig", "Owner"),
    "wellbeing.fact.deadline": ("Frist", "Deadline"),
    "wellbeing.fact.follow_up": ("Opfølgning", "Follow-up"),
    "wellbeing.fact.status": ("Status", "Status"),
    "wellbeing.status.open": ("Ikke startet", "Not started"),
    "wellbeing.status.in_progress": ("I gang", "In progress"),
    "wellbeing.status.done": ("Udført", "Done"),
    "wellbeing.status.dropped": ("Opgivet", "Dropped"),
    "wellbeing.status.overdue": ("{status} – fristen er overskredet", "{status} – overdue"),
    "wellbeing.effect_short.yes": ("virker", "works"),
    "wellbeing.effect_short.partly": ("virker delvist", "works partly"),
    "wellbeing.effect_short.no": ("virker ikke – genåbnet", "does not work – reopened"),
    # -- the owner's card
    "wellbeing.owner.title": ("Dit punkt i handlingsplanen", "Your action-plan item"),
    "wellbeing.owner.new": (
        "Nyt punkt til dig i handlingsplanen",
        "A new action-plan item for you",
    ),
    "wellbeing.owner.intro": (
        "Du er ansvarlig for dette punkt i handlingsplanen for {unit}. Giv besked her, når "
        "du går i gang, og når det er udført.",
        "You are responsible for this item of the action plan for {unit}. Let us know here "
        "when you start and when it is done.",
    ),
    "wellbeing.owner.reopened": (
        "Punktet er genåbnet, fordi løsningen i {ref} ikke virkede.",
        "This item was reopened because the solution in {ref} did not work.",
    ),
    "wellbeing.owner.dropped_reason": ("Begrundelse: {note}", "Reason: {note}"),
    "wellbeing.owner.closed_by": ("{status} af {name}", "{status} by {name}"),
    "wellbeing.owner.follow_up_later": (
        "Den {date} spørger jeg dig, om løsningen virker.",
        "On {date} I will ask you whether the solution works.",
    ),
    "wellbeing.field.status_note": (
        "Note (skal udfyldes, hvis punktet opgives)",
        "Note (required if the item is dropped)",
    ),
    "wellbeing.overdue.title": (
        "Påmindelse: fristen er overskredet",
        "Reminder: the deadline has passed",
    ),
    "wellbeing.overdue.notice": (
        "Fristen for punktet er overskredet. Giv besked om, hvor det står – eller opgiv det "
        "med en begrundelse.",
        "The deadline of this item has passed. Let us know where it stands – or drop it "
        "with a reason.",
    ),
    # -- follow-up
    "wellbeing.follow_up.title": (
        "Opfølgning: virker løsningen?",
        "Follow-up: does the solution work?",
    ),
    "wellbeing.follow_up.intro": (
        "Punktet i handlingsplanen for {unit} er udført. Er løsningen tilstrækkelig og effektiv?",
        "This item of the action plan for {unit} is done. Is the solution adequate and effective?",
    ),
    "wellbeing.field.effect": (
        "Er løsningen tilstrækkelig og effektiv?",
        "Is the solution adequate and effective?",
    ),
    "wellbeing.effect.yes": ("Ja", "Yes"),
    "wellbeing.effect.partly": ("Delvist", "Partly"),
    "wellbeing.effect.no": (
        "Nej – problemet skal tages op igen",
        "No – the problem must be taken up again",
    ),
    "wellbeing.field.effect_note": (
        "Note (skal udfyldes ved delvist og nej)",
        "Note (required for partly and no)",
    ),
    "wellbeing.effect.answered.yes": (
        "Besvaret: løsningen virker.",
        "Answered: the solution works.",
    ),
    "wellbeing.effect.answered.partly": (
        "Besvaret: løsningen virker delvist.",
        "Answered: the solution works partly.",
    ),
    "wellbeing.effect.answered.no": (
        "Besvaret: løsningen virker ikke – problemet er genåbnet som et nyt punkt.",
        "Answered: the solution does not work – the problem was reopened as a new item.",
    ),
    "wellbeing.reopened": (
        "Tak for svaret. Problemet er genåbnet som punkt {ref}, og enhedens leder og AMK "
        "har fået besked.",
        "Thank you. The problem was reopened as item {ref}, and the unit's leader and AMK "
        "have been told.",
    ),
    # -- refusals
    "wellbeing.refused.not_found": ("Punktet findes ikke længere.", "The item no longer exists."),
    "wellbeing.refused.not_allowed": (
        "Det har du desværre ikke adgang til.",
        "Sorry, you do not have access to that.",
    ),
    "wellbeing.refused.not_owner": (
        "Kun den ansvarlige og enhedens leder og AMK kan opdatere punktet.",
        "Only the owner and the unit's leader and AMK can update this item.",
    ),
    "wellbeing.refused.closed": (
        "Punktet er allerede {status} og kan ikke ændres.",
        "The item is already {status} and cannot be changed.",
    ),
    "wellbeing.refused.reason_required": (
        "Skriv en begrundelse i noten, når du opgiver et punkt.",
        "Write a reason in the note when you drop an item.",
    ),
    "wellbeing.refused.note_required": (
        "Skriv kort i noten, hvad der mangler.",
        "Write briefly in the note what is missing.",
    ),
    "wellbeing.refused.already": (
        "Opfølgningen er allerede besvaret.",
        "The follow-up has already been answered.",
    ),
    "wellbeing.refused.not_done": (
        "Punktet er ikke udført endnu, så der er ikke noget at følge op på.",
        "The item is not done yet, so there is nothing to follow up on.",
    ),
    "wellbeing.refused.unchanged": ("Intet ændret.", "Nothing changed."),
    "wellbeing.not_allowed.record": (
        "Kun enhedens leder eller arbejdsmiljøkoordinator (AMK) – eller sekretariatet – kan "
        "registrere en trivselsdialog. Skriv **handlingsplan** for at se din enheds "
        "handlingsplan.",
        "Only the unit's leader or work-environment coordinator (AMK) – or the secretariat – "
        "can record a well-being dialogue. Type **action plan** to see your unit's action "
        "plan.",
    ),
    "wellbeing.not_allowed.amd": (
        "Kun enhedens leder eller AMK – eller sekretariatet – kan registrere den årlige "
        "arbejdsmiljødrøftelse.",
        "Only the unit's leader or AMK – or the secretariat – can record the annual "
        "work-environment discussion.",
    ),
    "wellbeing.not_allowed.plan": (
        "Kun enhedens leder og AMK kan tilføje og rette punkter i handlingsplanen.",
        "Only the unit's leader and AMK can add and edit items of the action plan.",
    ),
    "wellbeing.not_allowed.notes": (
        "Dialognoterne kan kun læses af enhedens leder og AMK og af den, der skrev dem.",
        "The dialogue notes can only be read by the unit's leader and AMK and by the person "
        "who wrote them.",
    ),
    "wellbeing.not_allowed.overview": (
        "Overblikket er for ledere, AMK'er og sekretariatet.",
        "The overview is for leaders, AMKs and the secretariat.",
    ),
    "wellbeing.not_allowed.action": (
        "Det har du desværre ikke adgang til.",
        "Sorry, you do not have access to that.",
    ),
    "wellbeing.managers.dropped": (
        "Punkt {ref} i handlingsplanen for {unit} er opgivet af {by}. Problem: {problem} "
        "– begrundelse: {note}",
        "Item {ref} of the action plan for {unit} was dropped by {by}. Problem: {problem} "
        "– reason: {note}",
    ),
    "wellbeing.managers.reopened": (
        "En løsning i handlingsplanen for {unit} virkede ikke. Problemet er genåbnet som "
        "punkt {ref} med {owner} som ansvarlig og en ny frist om en måned. Ret gerne "
        "handling, ansvarlig og frist i handlingsplanen. Problem: {problem}",
        "A solution in the action plan for {unit} did not work. The problem was reopened as "
        "item {ref} with {owner} as owner and a new deadline in a month. Please adjust the "
        "action, owner and deadline in the action plan. Problem: {problem}",
    ),
    # -- editing an item
    "wellbeing.edit.title": ("Ret punkt {ref} ({unit})", "Edit item {ref} ({unit})"),
    "wellbeing.edit.status": ("Status: {status}", "Status: {status}"),
    "wellbeing.edit.status_heading": ("Skift status", "Change the status"),
    "wellbeing.edit.saved": (
        "Gemt. Den ansvarlige ser ændringen på sit kort.",
        "Saved. The owner sees the change on their card.",
    ),
    # -- mine
    "wellbeing.mine.title": ("Mine punkter i handlingsplaner", "My action-plan items"),
    "wellbeing.mine.empty": (
        "Du har ingen åbne punkter i nogen handlingsplan.",
        "You have no open items in any action plan.",
    ),
    "wellbeing.mine.line": (
        "{unit} · frist {deadline} · {status}",
        "{unit} · due {deadline} · {status}",
    ),
    # -- the plan
    "wellbeing.plan.title": ("Handlingsplan – {unit}", "Action plan – {unit}"),
    "wellbeing.plan.intro": (
        "Enhedens skriftlige handlingsplan fra trivselsdialogerne (den psykiske APV). Alle "
        "medarbejdere kan se den; dialognoterne er ikke med.",
        "The unit's written action plan from the well-being dialogues (the psychosocial risk "
        "assessment). Every employee can see it; the dialogue notes are not included.",
    ),
    "wellbeing.plan.last_dialogue": ("Seneste trivselsdialog", "Last well-being dialogue"),
    "wellbeing.plan.never": ("ingen registreret", "none recorded"),
    "wellbeing.plan.next_due": ("Næste trivselsdialog senest", "Next well-being dialogue due"),
    "wellbeing.plan.due_now": ("nu", "now"),
    "wellbeing.plan.groups": (
        "Enheden holder dialoger i {count} grupper, og næste dato gælder den gruppe, hvis "
        "seneste dialog ligger længst tilbage.",
        "The unit holds dialogues in {count} groups; the next date is for the group whose "
        "latest dialogue is the oldest.",
    ),
    "wellbeing.plan.amd": ("Arbejdsmiljødrøftelse {year}", "Annual discussion {year}"),
    "wellbeing.plan.amd_missing": ("ikke registreret endnu", "not recorded yet"),
    "wellbeing.plan.empty": (
        "Der er ingen punkter i handlingsplanen endnu.",
        "There are no items in the action plan yet.",
    ),
    "wellbeing.plan.counts": (
        "Åbne punkter: {open} · over fristen: {overdue}",
        "Open items: {open} · overdue: {overdue}",
    ),
    "wellbeing.plan.action": ("Handling: {action}", "Action: {action}"),
    "wellbeing.plan.from_screening": (
        "Fund fra screeningen {day}",
        "A finding of the screening on {day}",
    ),
    "wellbeing.plan.meta": (
        "Ansvarlig: {owner} · frist {deadline} · opfølgning {follow_up}",
        "Owner: {owner} · due {deadline} · follow-up {follow_up}",
    ),
    "wellbeing.plan.show_more": ("Vis {count} punkter mere", "Show {count} more items"),
    "wellbeing.plan.more": (
        "… og {count} punkter mere. Bed din AMK om hele planen som Excel-fil.",
        "… and {count} more items. Ask your AMK for the whole plan as an Excel file.",
    ),
    "wellbeing.plan.pick_title": ("Hvilken enheds handlingsplan?", "Which unit's action plan?"),
    "wellbeing.plan.pick_intro": (
        "Jeg ved ikke, hvilken enhed du hører til. Vælg enheden, så viser jeg dens handlingsplan.",
        "I do not know which unit you belong to. Pick the unit and I will show its action plan.",
    ),
    # -- notes
    "wellbeing.notes.title": ("Dialognoter – {unit}", "Dialogue notes – {unit}"),
    "wellbeing.notes.confidential": (
        "Fortroligt: kun for enhedens leder og AMK og den, der skrev noterne. Del dem ikke "
        "videre. Din læsning er logget.",
        "Confidential: only for the unit's leader and AMK and the person who wrote the "
        "notes. Do not pass them on. Your reading is logged.",
    ),
    "wellbeing.notes.heading": (
        "Trivselsdialog {date} – {group}",
        "Well-being dialogue {date} – {group}",
    ),
    "wellbeing.notes.deleted": (
        "Notetekst slettet {date}, da opbevaringsperioden udløb. Handlingsplanen og tallene "
        "er bevaret.",
        "Note text deleted on {date} when the retention period ended. The action plan and "
        "the figures are kept.",
    ),
    "wellbeing.notes.show_all": ("Vis alle noterne", "Show all the notes"),
    "wellbeing.notes.other": ("Dialog {date} ({group})", "Dialogue {date} ({group})"),
    "wellbeing.fact.facilitator": ("Facilitator", "Facilitator"),
    "wellbeing.fact.participants": ("Deltagere", "Participants"),
    "wellbeing.fact.themes": ("Temaer", "Themes"),
    "wellbeing.fact.absence": ("Sygefravær drøftet", "Sickness absence considered"),
    "wellbeing.fact.recorded_by": ("Registreret af", "Recorded by"),
    "wellbeing.fact.items": ("Punkter i handlingsplanen", "Action-plan items"),
    "wellbeing.counts.title": (
        "Tal for enheden (ikke noternes tekst)",
        "Figures for the unit (not the text of the notes)",
    ),
    # -- annual discussion
    "wellbeing.amd.title": ("Årlig arbejdsmiljødrøftelse", "Annual work-environment discussion"),
    "wellbeing.amd.intro": (
        "Dokumentation af den lovpligtige årlige drøftelse: hvem deltog (roller, ingen navne), "
        "om sidste års mål blev nået, næste års mål, hvordan samarbejdet er organiseret, og "
        "behovet for kompetencer. Felter med * skal udfyldes.",
        "Documentation of the annual discussion the law requires: who took part (roles, no "
        "names), whether last year's goals were met, next year's goals, how cooperation is "
        "organised and the need for competences. Fields marked * are required.",
    ),
    "wellbeing.field.year": ("År", "Year"),
    "wellbeing.field.amd_held_on": ("Dato for drøftelsen", "Date of the discussion"),
    "wellbeing.field.participant_roles": ("Deltagere (roller)", "Participants (roles)"),
    "wellbeing.amd_role.leader": ("Leder", "Leader"),
    "wellbeing.amd_role.work_env_rep": (
        "Arbejdsmiljørepræsentant",
        "Work-environment representative",
    ),
    "wellbeing.amd_role.amk": (
        "Arbejdsmiljøkoordinator (AMK)",
        "Work-environment coordinator (AMK)",
    ),
    "wellbeing.amd_role.union_rep": ("Tillidsrepræsentant", "Union representative"),
    "wellbeing.amd_role.employees": ("Medarbejdere", "Employees"),
    "wellbeing.amd_role.hr": ("HR", "HR"),
    "wellbeing.amd_role.other": ("Andre", "Others"),
    "wellbeing.field.goals_met": ("Blev sidste års mål nået?", "Were last year's goals met?"),
    "wellbeing.goals_met.yes": ("Ja", "Yes"),
    "wellbeing.goals_met.partly": ("Delvist", "Partly"),
    "wellbeing.goals_met.no": ("Nej", "No"),
    "wellbeing.goals_met.no_goals": (
        "Der var ingen mål sidste år",
        "There were no goals last year",
    ),
    "wellbeing.field.goals_next_year": ("Mål for det kommende år", "Goals for the coming year"),
    "wellbeing.field.cooperation": (
        "Sådan er samarbejdet om arbejdsmiljø organiseret",
        "How cooperation on the work environment is organised",
    ),
    "wellbeing.field.competence_needs": ("Behov for kompetencer", "Competence needs"),
    "wellbeing.placeholder.goals_next_year": (
        "Fx: Færre afbrydelser; alle nye får introduktion til arbejdsmiljø",
        "E.g. fewer interruptions; every newcomer gets a work-environment introduction",
    ),
    "wellbeing.placeholder.cooperation": (
        "Fx: Arbejdsmiljøgruppen mødes hvert kvartal; arbejdsmiljø er fast punkt på personalemøder",
        "E.g. the work-environment group meets every quarter; the work environment is a "
        "standing item at staff meetings",
    ),
    "wellbeing.placeholder.competence_needs": (
        "Fx: Supplerende arbejdsmiljøuddannelse til den nye arbejdsmiljørepræsentant",
        "E.g. supplementary work-environment training for the new representative",
    ),
    "wellbeing.amd.saved": (
        "Arbejdsmiljødrøftelsen {year} for {unit} ({date}) er registreret.",
        "The annual discussion {year} for {unit} ({date}) is recorded.",
    ),
    "wellbeing.amd.updated": (
        "Arbejdsmiljødrøftelsen {year} for {unit} er opdateret ({date}).",
        "The annual discussion {year} for {unit} has been updated ({date}).",
    ),
    "wellbeing.amd.next": (
        "Skriv de aftalte handlinger for det kommende år ind i handlingsplanen, så følger "
        "jeg op på dem.",
        "Put the actions agreed for the coming year into the action plan, and I will follow "
        "them up.",
    ),
    # -- overview
    "wellbeing.overview.title": (
        "Trivsel og handlingsplaner – overblik",
        "Well-being and action plans – overview",
    ),
    "wellbeing.overview.intro": (
        "Kun tal – ingen tekst fra noterne. Enheder, der skal handle, står øverst.",
        "Figures only – no text from the notes. Units that need to act come first.",
    ),
    "wellbeing.overview.line": (
        "**{unit}**: {last}, {due} · åbne punkter: {open}, over fristen: {overdue} · {amd}",
        "**{unit}**: {last}, {due} · open items: {open}, overdue: {overdue} · {amd}",
    ),
    "wellbeing.overview.last": ("seneste dialog {date}", "last dialogue {date}"),
    "wellbeing.overview.never": ("ingen dialog registreret", "no dialogue recorded"),
    "wellbeing.overview.due": ("næste senest {date}", "next due {date}"),
    "wellbeing.overview.due_never": ("**en dialog skal holdes nu**", "**a dialogue is due now**"),
    "wellbeing.overview.due_now": (
        "**næste dialog skulle være holdt {date}**",
        "**next dialogue was due {date}**",
    ),
    "wellbeing.overview.group": (
        "- {group}: seneste dialog {last}, næste senest {due}",
        "- {group}: last dialogue {last}, next due {due}",
    ),
    "wellbeing.overview.group_due_now": (
        "- {group}: seneste dialog {last}, **næste skulle være holdt {due}**",
        "- {group}: last dialogue {last}, **next was due {due}**",
    ),
    "wellbeing.overview.more_groups": (
        "- flere grupper: {count}",
        "- more groups: {count}",
    ),
    "wellbeing.overview.amd": (
        "arbejdsmiljødrøftelse holdt {date}",
        "annual discussion held {date}",
    ),
    "wellbeing.overview.no_amd": (
        "arbejdsmiljødrøftelse {year} mangler",
        "annual discussion {year} missing",
    ),
    # -- the weekly digest (counts only)
    "wellbeing.digest.title": ("Trivsel og handlingsplaner", "Well-being and action plans"),
    "wellbeing.digest.overdue": (
        "Punkter i handlingsplaner over fristen: {count} ({units})",
        "Action-plan items past their deadline: {count} ({units})",
    ),
    "wellbeing.digest.dialogue_due": (
        "Enheder, der skal holde trivselsdialog: {count} ({units})",
        "Units due to hold a well-being dialogue: {count} ({units})",
    ),
    "wellbeing.digest.amd_missing": (
        "Enheder uden registreret arbejdsmiljødrøftelse {year}: {count} ({units})",
        "Units without a recorded annual discussion {year}: {count} ({units})",
    ),
}

"""Texts of lone-work check-ins: (Danish, English) per key."""

from typing import Final

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "checkins.dialog_name": ("tjek ind under alenearbejde", "lone-work check-ins"),
    "checkins.title.started": ("Alenearbejde i gang", "Lone work in progress"),
    "checkins.title.handled": ("Din alarm er set", "Your alarm has been seen"),
    "checkins.title.prompt": ("Alt OK?", "All OK?"),
    "checkins.title.reminder": ("Alt OK? Du har ikke svaret", "All OK? You have not answered"),
    "checkins.title.finished": ("Alenearbejde afsluttet", "Lone work finished"),
    "checkins.title.alarm_missed": (
        "Alarm: {worker} har ikke tjekket ind",
        "Alarm: {worker} has not checked in",
    ),
    "checkins.title.alarm_help": (
        "Alarm: {worker} har bedt om hjælp",
        "Alarm: {worker} needs help",
    ),
    "checkins.started": (
        "Jeg spørger, om alt er OK, senest {due}. Svarer du ikke inden for {grace} "
        "minutter, spørger jeg igen, og derefter får din leder og enhedens AMK besked.",
        "I will ask whether all is OK by {due} at the latest. If you do not answer within "
        "{grace} minutes, I ask again, and then your leader and the unit's AMK are alerted.",
    ),
    "checkins.prompt": (
        "Tryk **Jeg er OK**, hvis alt er i orden. Tjekket skal besvares senest {due}.",
        "Press **I'm OK** if all is well. Please answer by {due}.",
    ),
    "checkins.reminder": (
        "Du har ikke svaret på tjekket, der skulle besvares senest {due}. Svarer du ikke "
        "inden {alarm}, får din leder og enhedens AMK en alarm.",
        "You have not answered the check-in due at {due}. If you do not answer by {alarm}, "
        "your leader and the unit's AMK are alerted.",
    ),
    "checkins.supplement": (
        "Tjek ind via botten er et supplement og erstatter aldrig enhedens egne "
        "alarmprocedurer. Er der fare, så ring 112.",
        "Checking in with the bot supplements, and never replaces, the unit's own alarm "
        "arrangements. In an emergency, call 112.",
    ),
    "checkins.fact.request": ("Godkendelse", "Approval"),
    "checkins.fact.worker": ("Medarbejder", "Worker"),
    "checkins.fact.unit": ("Enhed", "Unit"),
    "checkins.fact.task": ("Opgave", "Task"),
    "checkins.fact.location": ("Sted", "Location"),
    "checkins.fact.due": ("Næste tjek senest", "Next check-in by"),
    "checkins.fact.ends": ("Forventet slut", "Expected end"),
    "checkins.fact.interval": ("Interval", "Interval"),
    "checkins.fact.last_ok": ("Sidst meldt OK", "Last OK"),
    "checkins.fact.emergency": ("Nødkontakt", "Emergency contact"),
    "checkins.never": ("Ikke endnu", "Not yet"),
    "checkins.minutes": ("{minutes} min.", "{minutes} min"),
    "checkins.field.interval": (
        "Tjek mig oftere (højst det godkendte interval)",
        "Check on me more often (at most the approved interval)",
    ),
    "checkins.field.extend": ("Forlæng med", "Extend by"),
    "checkins.button.start": ("Start alenearbejde", "Start lone work"),
    "checkins.button.ok": ("Jeg er OK", "I'm OK"),
    "checkins.button.help": ("Jeg har brug for hjælp", "Need help"),
    "checkins.button.extend": ("Forlæng", "Extend"),
    "checkins.button.finish": ("Jeg er færdig", "Finished"),
    "checkins.button.handle": ("Jeg tager mig af det", "I am handling it"),
    "checkins.ok.done": (
        "Tak. Næste tjek senest {due}.",
        "Thank you. Next check-in by {due}.",
    ),
    "checkins.extend.done": (
        "Forventet slut er nu {ends}.",
        "The expected end is now {ends}.",
    ),
    "checkins.extend.limit": (
        "Du kan ikke forlænge ud over godkendelsens slut ({limit}). Skal du arbejde længere, "
        "så bed om en ny godkendelse.",
        "You cannot extend beyond the end of the approval ({limit}). To work longer, ask for "
        "a new approval.",
    ),
    "checkins.help.done": (
        "Din leder og enhedens AMK får besked nu. Er der fare, så ring 112.",
        "Your leader and the unit's AMK are being alerted now. In an emergency, call 112.",
    ),
    "checkins.handled.line": (
        "{name} tager sig af det (siden {when}).",
        "{name} is handling it (since {when}).",
    ),
    "checkins.handled.message": (
        "{name} har set alarmen og tager sig af det.",
        "{name} has seen the alarm and is handling it.",
    ),
    "checkins.resolved.line": (
        "{worker} har meldt OK {when}. Alarmen er afblæst.",
        "{worker} checked in OK at {when}. The alarm is over.",
    ),
    "checkins.closed.revoked": (
        "Godkendelsen af dit alenearbejde {number} er tilbagekaldt, så jeg har stoppet dine "
        "tjek. Arbejder du stadig alene, skal du stoppe arbejdet eller kontakte din leder.",
        "The approval of your lone work {number} has been revoked, so I have stopped your "
        "check-ins. If you are still working alone, stop the work or contact your leader.",
    ),
    "checkins.closed.expired": (
        "Godkendelsen af dit alenearbejde {number} er udløbet, så jeg har stoppet dine tjek. "
        "Arbejder du stadig alene, skal du stoppe arbejdet eller kontakte din leder.",
        "The approval of your lone work {number} has expired, so I have stopped your "
        "check-ins. If you are still working alone, stop the work or contact your leader.",
    ),
    "checkins.finished.line": (
        "Alenearbejdet er afsluttet {when}.",
        "The lone work was finished at {when}.",
    ),
    "checkins.alarm.missed": (
        "{worker} skulle have tjekket ind senest {due} og har ikke svaret. Prøv at få fat "
        "i {worker}, og følg enhedens alarmprocedure.",
        "{worker} should have checked in by {due} and has not answered. Try to reach "
        "{worker} and follow the unit's alarm procedure.",
    ),
    "checkins.alarm.help": (
        "{worker} trykkede på **Jeg har brug for hjælp** {when}. Få fat i {worker} med "
        "det samme, og følg enhedens alarmprocedure.",
        "{worker} pressed **Need help** at {when}. Reach {worker} at once and follow the "
        "unit's alarm procedure.",
    ),
    "checkins.alarm.repeat": (
        "Jeg gentager alarmen hvert 10. minut, indtil nogen trykker **Jeg tager mig af det**.",
        "I repeat the alarm every 10 minutes until someone presses **I am handling it**.",
    ),
    "checkins.alarm.round": ("Alarm nr. {round}", "Alarm no. {round}"),
    "checkins.alarm.unreached.title": (
        "Alarmen nåede ikke frem til alle",
        "The alarm did not reach everyone",
    ),
    "checkins.alarm.unreached": (
        "Alarmen for {worker} kunne ikke nå frem til {who} inden for et minut. {next} har "
        "fået alarmen i stedet.",
        "The alarm for {worker} could not reach {who} within a minute. {next} has been "
        "alarmed instead.",
    ),
    "checkins.alarm.unreached_nobody_next": (
        "Alarmen for {worker} kunne ikke nå frem til {who} inden for et minut, og der er "
        "ingen flere at alarmere. Sørg selv for, at nogen tager sig af det.",
        "The alarm for {worker} could not reach {who} within a minute, and there is nobody "
        "else to alarm. Please make sure someone handles it.",
    ),
    "checkins.already_handled": (
        "{name} tager sig allerede af det (siden {when}).",
        "{name} is already handling it (since {when}).",
    ),
    "checkins.none": (
        "Du har intet godkendt alenearbejde, der gælder nu. Skriv **alenearbejde** for at "
        "bede om en godkendelse.",
        "You have no approved lone work valid now. Write **lone work** to ask for approval.",
    ),
    "checkins.already_open": (
        "Du har allerede alenearbejde i gang.",
        "You already have lone work in progress.",
    ),
    "checkins.not_yours": (
        "Dette kort hører til en andens alenearbejde.",
        "This card belongs to someone else's lone work.",
    ),
    "checkins.not_responder": (
        "Kun godkenderen, enhedens AMK og nødkontakten kan tage alarmen.",
        "Only the approver, the unit's AMK and the emergency contact can take the alarm.",
    ),
    "checkins.not_found": (
        "Jeg kan ikke finde dette alenearbejde.",
        "I cannot find this lone work.",
    ),
    "checkins.event.started": ("Startet", "Started"),
    "checkins.event.prompt": ("Spurgt «Alt OK?»", "Asked “All OK?”"),
    "checkins.event.reminder": ("Spurgt igen", "Asked again"),
    "checkins.event.ok": ("Svarede OK", "Answered OK"),
    "checkins.event.extended": ("Forlænget", "Extended"),
    "checkins.event.missed": ("Intet svar", "No answer"),
    "checkins.event.help": ("Bad om hjælp", "Asked for help"),
    "checkins.event.escalated": ("Alarm sendt", "Alarm sent"),
    "checkins.event.handled": ("Alarm taget af", "Alarm taken by"),
    "checkins.event.finished": ("Afsluttet", "Finished"),
}

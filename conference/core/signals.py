"""Every signal one area sends for others, declared here, where the receivers that must hear it are listed.

An area that sits below another announces instead of calling it (events knows nothing of the agenda; accounts
nothing of registration). The receivers are connected explicitly when each area is set up (its init_app), never
by the accident of a module being imported; RECEIVERS says which areas must be listening, and a test checks that
an application made by create_app has every one connected.
"""
from __future__ import annotations

from blinker import Namespace

signals = Namespace()

conference_saved = signals.signal("conference-saved", doc="""\
Sent with the conference as sender after it is created or changed (events.services.save_conference).
Registration fills the places that a larger capacity freed.""")

room_in_use = signals.signal("room-in-use", doc="""\
Sent with a room as sender before it is deleted. Each area that refers to rooms answers with a sentence saying
how many of its rows use it (the agenda's sessions), or None; any sentence refuses the deletion.""")

track_in_use = signals.signal("track-in-use", doc="""\
Sent with a track as sender before it is deleted; answered as room_in_use (the agenda's sessions, the
proposals).""")

address_confirmed = signals.signal("address-confirmed", doc="""\
Sent with the user as sender once an e-mail address is confirmed (accounts.verification). Registration lets the
owner's held registrations proceed.""")

personal_data_requested = signals.signal("personal-data-requested", doc="""\
Sent with the conference as sender, and the user and their registration (or None), when a person downloads what
the conference holds about them (registration.personal_data). Each area above answers with a dict of its own
sections (the call for proposals: the proposals they speak in, with their answers; the door: their admissions).""")

room_occupancy = signals.signal("room-occupancy", doc="""\
Sent with the conference as sender and `now` by the venue screen (agenda.screen). The door (checkin.occupancy)
answers with {room id: (people recorded in the session the room holds now, the room's seats or None)} for the
rooms in use; the screen shows "Main Hall: 312 / 400 seats", and "full" at capacity.""")

delegate_shown = signals.signal("delegate-shown", doc="""\
Sent with the conference as sender and the delegate when an organizer opens a delegate's page (manage.views).
Each area above answers with a section of that page as safe HTML (the door: their admissions per day and their
attendance per session), or None.""")

# signal -> the modules whose receivers must be connected to it in every application.
RECEIVERS = {
    conference_saved: ("conference.registration.workflow",),
    room_in_use: ("conference.agenda.services",),
    track_in_use: ("conference.agenda.services", "conference.submissions.services"),
    address_confirmed: ("conference.registration.workflow",),
    personal_data_requested: ("conference.submissions.services", "conference.checkin.occupancy",
                              "conference.feedback.services"),
    room_occupancy: ("conference.checkin.occupancy",),
    delegate_shown: ("conference.checkin.occupancy",),
}

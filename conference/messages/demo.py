"""Demo data of the messages area: the organizers' welcome to the approved delegates from Oman, already sent."""
from __future__ import annotations

from sqlalchemy import update

from ..accounts.services import find_user
from ..events.models import Conference
from ..extensions import db
from ..mail.models import MailState, OutboxMessage
from ..types import utcnow
from .audiences import Audience, count_recipients
from .models import Message
from .services import Draft, create_message, queue_message

WELCOME = Draft(
    subject_en="Your visit to {conference}",
    body_en="Dear {name},\n\nWe look forward to welcoming the delegation from Oman. Please keep your code {code} "
            "at hand at the registration desk.\n\n- Your badge: {badge_link}\n- The programme: {agenda_link}\n\n"
            "With kind regards,\nThe organizing committee",
    subject_ar="زيارتكم إلى {conference}",
    body_ar="{name} المحترم/ة،\n\nيسعدنا استقبال وفد سلطنة عُمان. يُرجى الاحتفاظ برمزك {code} عند مكتب التسجيل."
            "\n\n- بطاقتك: {badge_link}\n- البرنامج: {agenda_link}\n\nمع أطيب التحيات،\nاللجنة المنظمة",
)


def seed_messages(conference: Conference) -> None:
    """One message to the approved delegates from Oman, queued and marked sent (once)."""
    audience = Audience(status="approved", country="OM")
    author = find_user("organizer@example.org")
    if author is None or _has_messages(conference):
        return
    if count_recipients(conference, audience) == 0:
        return
    message = create_message(conference, author, WELCOME, audience, "demo-welcome")
    db.session.commit()
    queue_message(conference, message.id)
    db.session.execute(update(OutboxMessage).where(OutboxMessage.message_id == message.id)
                       .values(state=MailState.SENT, sent_at=utcnow(), attempts=1))


def _has_messages(conference: Conference) -> bool:
    return db.session.scalar(Message.of(conference).with_only_columns(Message.id).limit(1)) is not None

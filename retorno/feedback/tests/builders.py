"""Feedback built through the real services."""

from typing import Any

from retorno.feedback import services
from retorno.feedback.models import Category, Channel, Feedback, Kind
from retorno.testing.personas import World


def recorded(world: World, *, actor: Any = None, office: Any = None,
             category: str = Category.DELAYS, kind: str = Kind.COMPLAINT,
             **overrides: Any) -> Feedback:
    data: dict[str, Any] = {
        "channel": Channel.IN_PERSON, "kind": kind, "category": category,
        "description": "Waited three weeks for an appointment.",
        "name": "Amina Example", "contact": "+4930123456", "language": "ar"}
    data.update(overrides)
    return services.record_feedback(actor=actor or world.carla,
                                    office=office or world.berlin, **data)


def sensitive(world: World, **overrides: Any) -> Feedback:
    """A complaint of sexual exploitation and abuse, received in Berlin by carla."""
    overrides.setdefault("description", "The interpreter asked me for favours.")
    return recorded(world, category=Category.SEA, **overrides)


def public(world: World, **overrides: Any) -> Feedback:
    data: dict[str, Any] = {"office": world.berlin, "kind": Kind.QUESTION,
                            "category": Category.INFORMATION,
                            "description": "When does my flight leave?", "anonymous": True}
    data.update(overrides)
    return services.submit_public(**data)

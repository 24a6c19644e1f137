from visits.models.followups import FollowUp
from visits.models.plans import PlanItem, VisitPlan
from visits.models.policy import RainyDay, VisitPolicy
from visits.models.returns import ReturnVisit
from visits.models.summaries import MonthlySummary, SummaryEvent, SummaryProblem, WorkLetter
from visits.models.visitors import (
    FrontDeskSettings,
    ItemPermit,
    TemporaryPass,
    VisitorEntry,
    VisitorIncident,
    VisitorRestriction,
)
from visits.models.visits import Opinion, Visit, VisitDraft, VisitPhoto

__all__ = [
    "FollowUp",
    "FrontDeskSettings",
    "ItemPermit",
    "MonthlySummary",
    "Opinion",
    "PlanItem",
    "RainyDay",
    "ReturnVisit",
    "SummaryEvent",
    "SummaryProblem",
    "TemporaryPass",
    "Visit",
    "VisitDraft",
    "VisitPhoto",
    "VisitPlan",
    "VisitPolicy",
    "VisitorEntry",
    "VisitorIncident",
    "VisitorRestriction",
    "WorkLetter",
]

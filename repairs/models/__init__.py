from repairs.models.orders import (
    Charge,
    PurchaseItem,
    PurchaseRequest,
    QuoteLine,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderPause,
    WorkOrderPhoto,
)
from repairs.models.setup import PriceItem, PriceList, PublicArea, RepairCategory, RepairSettings

__all__ = [
    "Charge",
    "PriceItem",
    "PriceList",
    "PublicArea",
    "PurchaseItem",
    "PurchaseRequest",
    "QuoteLine",
    "RepairCategory",
    "RepairSettings",
    "WorkOrder",
    "WorkOrderEvent",
    "WorkOrderPause",
    "WorkOrderPhoto",
]

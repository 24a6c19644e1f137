"""The fees models, one module per part of the work (issue 10): the set-up
(items, rates, late-fee policy, settings), billing (statements, lines,
adjustments, payments, receipts), collection (rounds, calls, lawyer's letters)
and 便民服务."""

from fees.models.billing import (
    Adjustment,
    Allocation,
    BillLine,
    FrozenStatement,
    Payment,
    Receipt,
    SettlementCertificate,
    Statement,
)
from fees.models.collection import CollectionCall, CollectionRound, CollectionTask, FrozenLetter, LawyerLetter
from fees.models.convenience import ConvenienceService, ServicePriceList, Subscription
from fees.models.setup import DEFAULT_DAILY_RATE, FeeItem, FeeSettings, LateFeePolicy, Rate

__all__ = [
    "DEFAULT_DAILY_RATE",
    "Adjustment",
    "Allocation",
    "BillLine",
    "CollectionCall",
    "CollectionRound",
    "CollectionTask",
    "ConvenienceService",
    "FeeItem",
    "FeeSettings",
    "FrozenLetter",
    "FrozenStatement",
    "LateFeePolicy",
    "LawyerLetter",
    "Payment",
    "Rate",
    "Receipt",
    "ServicePriceList",
    "SettlementCertificate",
    "Statement",
    "Subscription",
]

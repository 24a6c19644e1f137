from django.db import models


class ItemKind(models.TextChoices):
    PROPERTY_SERVICE = "property_service", "物业服务费"
    PARKING = "parking", "车位管理费"
    GARBAGE = "garbage", "垃圾清运费"
    REPAIR = "repair", "特约服务/维修费"
    CONVENIENCE = "convenience", "便民服务"
    OTHER = "other", "其他"


class Basis(models.TextChoices):
    """How a fee item's amount is reckoned (issue 10 §1)."""

    AREA_MONTH = "area_month", "按建筑面积（元/m²/月）"
    HOUSE_MONTH = "house_month", "按户（元/户/月）"
    SPACE_MONTH = "space_month", "按车位（元/个/月）"
    QUANTITY = "quantity", "按数量（数量×单价）"
    ONE_OFF = "one_off", "一次性"


MONTHLY_BASES = (Basis.AREA_MONTH, Basis.HOUSE_MONTH, Basis.SPACE_MONTH)

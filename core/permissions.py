"""What a person may *do* is decided by roles; what they may *see* by
`for_user` on each model's queryset. These mixins apply both to every view."""

from django.core.exceptions import PermissionDenied


class RoleRequiredMixin:
    """Allow the view to people holding one of `allowed_roles` in the active
    community (None: any member). Company admins always pass."""

    allowed_roles = None

    def dispatch(self, request, *args, **kwargs):
        if self.allowed_roles is not None and (
            request.community is None or not request.user.has_role(request.community, *self.allowed_roles)
        ):
            raise PermissionDenied("您的角色无权使用此功能。")
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin:
    """Every object a view touches comes through `Model.objects.for_user(user)`, so
    an object of another community answers 404. List views narrow further to the
    active community (`active_community_only`)."""

    active_community_only = False

    def get_queryset(self):
        qs = self.model.objects.for_user(self.request.user)
        if self.active_community_only:
            qs = qs.in_community(self.request.community)
        return qs

from core.models import Community

SESSION_KEY = "active_community_id"


class ActiveCommunityMiddleware:
    """Sets `request.community` (the community the person works in now) and
    `request.roles` (their roles there). A person in several communities picks
    the active one in the header; the choice is kept in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.community = None
        request.roles = frozenset()
        user = request.user
        if user.is_authenticated:
            visible = user.visible_community_ids()
            wanted = request.session.get(SESSION_KEY)
            if wanted not in visible:
                wanted = min(visible) if visible else None
            if wanted is not None:
                request.community = Community.objects.select_related("company").get(pk=wanted)
                request.roles = user.roles_in(request.community)
        return self.get_response(request)

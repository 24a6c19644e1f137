"""One page of a list, with what `includes/_pagination.html` needs."""

from django.core.paginator import Paginator


def paginate(request, queryset, per_page, *, querystring=""):
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    return {
        "page_obj": page,
        "paginator": page.paginator,
        "is_paginated": page.has_other_pages(),
        "querystring": querystring,
    }

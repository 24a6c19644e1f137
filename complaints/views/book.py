"""答客问题汇编 [001]: the one approved answer to each common question,
searchable at the counter; supervisors and managers draft, the manager approves."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from complaints import forms, rules, services
from complaints.choices import Category, EntryStatus
from complaints.models import AnswerEntry
from core.choices import Role
from core.feedback import add_errors, flash_error
from core.permissions import RoleRequiredMixin


def search_entries(community, q, *, limit=10):
    """Approved entries for what was typed, best first: an entry's keyword found in
    the text (the clerk types the owner's words, not ours), or the typed words in
    its question or answer. A community's book is a few hundred entries at most."""
    q = q.strip()
    if not q:
        return []
    words = q.split()
    scored = []
    for entry in AnswerEntry.objects.filter(community=community, status=EntryStatus.APPROVED):
        score = sum(3 for keyword in entry.keywords.split() if keyword in q)
        score += sum(2 for word in words if word in entry.question) + sum(1 for word in words if word in entry.answer)
        if score:
            scored.append((-score, entry.question, entry))
    return [entry for *_, entry in sorted(scored, key=lambda row: row[:2])][:limit]


class BookView(RoleRequiredMixin, View):
    allowed_roles = rules.RECEIVERS

    def get(self, request):
        q = request.GET.get("q", "").strip()
        category = request.GET.get("category", "")
        entries = AnswerEntry.objects.filter(community=request.community, status=EntryStatus.APPROVED)
        if category:
            entries = entries.filter(category=category)
        entries = list(entries.select_related("approved_by")[:500])
        if q:
            entries = search_entries(request.community, q, limit=200)
        drafts = []
        if rules.is_reviewer(request.user, request.community):
            drafts = AnswerEntry.objects.filter(community=request.community, status=EntryStatus.DRAFT).select_related(
                "drafted_by"
            )
        context = {
            "entries": entries,
            "drafts": drafts,
            "q": q,
            "category": category,
            "categories": Category.choices,
            "can_edit": rules.is_reviewer(request.user, request.community),
            "can_approve": rules.is_manager(request.user, request.community),
        }
        return render(request, "complaints/book_list.html", context)


class BookSearchView(RoleRequiredMixin, View):
    """JSON for the intake form: the approved answers matching what is typed."""

    allowed_roles = rules.RECEIVERS

    def get(self, request):
        q = request.GET.get("q", "").strip()
        entries = search_entries(request.community, q) if len(q) >= 2 else []
        return JsonResponse(
            {
                "entries": [
                    {"id": e.pk, "question": e.question, "answer": e.answer, "version": e.version} for e in entries
                ]
            }
        )


class EntryFormView(RoleRequiredMixin, View):
    """A new question, or (`pk`) a new version of an existing one."""

    allowed_roles = rules.REVIEWERS

    def _base(self, request, pk):
        if pk is None:
            return None
        return get_object_or_404(AnswerEntry.objects.for_user(request.user), pk=pk)

    def get(self, request, pk=None):
        base = self._base(request, pk)
        initial = {}
        if base is not None:
            initial = {
                "category": base.category,
                "question": base.question,
                "answer": base.answer,
                "keywords": base.keywords,
            }
        return render(request, "complaints/book_form.html", {"form": forms.EntryForm(initial=initial), "base": base})

    def post(self, request, pk=None):
        base = self._base(request, pk)
        form = forms.EntryForm(request.POST)
        if form.is_valid():
            try:
                community = base.community if base else request.community
                services.draft_entry(community=community, actor=request.user, revises=base, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "已提交，待经理批准后生效。")
                return redirect("complaints:book")
        return render(request, "complaints/book_form.html", {"form": form, "base": base}, status=400)


class EntryDecideView(RoleRequiredMixin, View):
    allowed_roles = (Role.MANAGER,)

    def post(self, request, pk):
        entry = get_object_or_404(AnswerEntry.objects.for_user(request.user), pk=pk)
        try:
            if request.POST.get("decision") == "retire":
                services.retire_entry(entry, actor=request.user)
                messages.success(request, "已停用。")
            else:
                services.approve_entry(entry, actor=request.user)
                messages.success(request, f"已批准第 {entry.version} 版，旧版本同时停用。")
        except ValidationError as error:
            flash_error(request, error)
        return redirect("complaints:book")


class EntryHistoryView(RoleRequiredMixin, View):
    allowed_roles = rules.RECEIVERS

    def get(self, request, pk):
        entry = get_object_or_404(AnswerEntry.objects.for_user(request.user), pk=pk)
        versions = AnswerEntry.objects.filter(lineage=entry.lineage).select_related("drafted_by", "approved_by")
        return render(
            request, "complaints/book_history.html", {"entry": entry, "versions": versions.order_by("-version")}
        )

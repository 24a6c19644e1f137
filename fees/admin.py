from django.contrib import admin

from fees.models import FeeItem, FeeSettings, LateFeePolicy, Rate


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    """Read-only: a rate changes by a new period (fees.services.set_rate), never by editing."""

    list_display = ["item", "house_type", "unit_price", "valid_from", "valid_to"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(FeeItem)
admin.site.register(LateFeePolicy)
admin.site.register(FeeSettings)

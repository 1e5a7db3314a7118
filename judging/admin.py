from django.contrib import admin

from judging.models import Judge


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contest", "home_region"]
    list_filter = ["contest"]
    autocomplete_fields = ["user", "home_region"]
    filter_horizontal = ["categories"]
    list_select_related = ["user", "contest", "home_region"]

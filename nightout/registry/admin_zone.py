"""Admin pages that show and read times in the jurisdiction's zone, as every other page does.

The server's own zone (settings.TIME_ZONE, UTC by default) is nobody's: a deadline typed as
17:00 on a Chicago season must mean 17:00 in Chicago. `TownTimeAdmin.zone_path` names the
jurisdiction from the model ("jurisdiction", "season__jurisdiction", ...):
- a change page, inline rows included, is rendered and read in that jurisdiction's zone;
- an add page, when every jurisdiction shares one zone, in that zone; otherwise the town is
  not known until it is chosen, so the page stays in the server's zone;
- lists show each row's times in its own jurisdiction's zone.
Django's own note under each time field names the zone the page reads, so what it says always
holds. Objects without a jurisdiction (a region's membership) keep the server's zone.
"""

from __future__ import annotations

import zoneinfo

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone


def _only_zone() -> zoneinfo.ZoneInfo | None:
    """The zone every jurisdiction is in, if they share one (a new object's town is not known
    until it is chosen on the form)."""
    from nightout.registry.models import Jurisdiction

    zones = list(Jurisdiction.objects.values_list("time_zone", flat=True).distinct()[:2])
    return zoneinfo.ZoneInfo(zones[0]) if len(zones) == 1 else None


class TownTimeAdmin(admin.ModelAdmin):
    zone_path = ""

    def zone_of(self, obj) -> zoneinfo.ZoneInfo | None:
        for part in self.zone_path.split("__"):
            obj = getattr(obj, part, None) if obj is not None else None
        return obj.zone if obj is not None else None

    # -- change pages

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        zone = self.zone_of(obj) if obj is not None else _only_zone()
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render now: a template response would otherwise render after the override ends.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    # -- lists

    def get_list_display(self, request):
        out = []
        for name in super().get_list_display(request):
            field = None
            if isinstance(name, str):
                try:
                    field = self.model._meta.get_field(name)
                except FieldDoesNotExist:
                    pass
            is_moment = isinstance(field, models.DateTimeField)
            out.append(self._town_column(field) if is_moment else name)
        return out

    def _town_column(self, field):
        empty = self.get_empty_value_display()

        @admin.display(description=field.verbose_name, ordering=field.name)
        def column(obj):
            value = getattr(obj, field.name)
            if value is None:
                return empty
            return formats.localize(timezone.localtime(value, self.zone_of(obj)))

        column.__name__ = field.name
        return column

"""Admin pages that show and read times in the jurisdiction's zone, as every other page does.

The server's own zone (settings.TIME_ZONE, UTC by default) is nobody's: a deadline typed as
17:00 on a Chicago season must mean 17:00 in Chicago. `TownTimeAdmin.zone_path` names the
jurisdiction from the model ("jurisdiction", "season__jurisdiction", ...):
- a change page is rendered and read in that jurisdiction's zone;
- times on a new object (and on one moved to a jurisdiction in another zone), and on its
  inline rows, are read in the zone of the jurisdiction it is saved with;
- lists show each row's times in its own jurisdiction's zone.
Objects without a jurisdiction (a region's membership) keep the server's zone.
"""

from __future__ import annotations

import zoneinfo

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.utils import formats, timezone


def _zone_key(zone) -> str:
    return getattr(zone, "key", str(zone))


def _reread(instance, names, read_in, zone) -> None:
    """Give `instance`'s datetimes `names`, read as wall-clock times in `read_in`, `zone`."""
    for name in names:
        value = getattr(instance, name, None)
        if value is not None:
            setattr(instance, name, timezone.make_aware(timezone.make_naive(value, read_in), zone))


class TownTimeAdmin(admin.ModelAdmin):
    zone_path = ""

    def zone_of(self, obj) -> zoneinfo.ZoneInfo | None:
        for part in self.zone_path.split("__"):
            obj = getattr(obj, part, None) if obj is not None else None
        return obj.zone if obj is not None else None

    # -- change pages

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        zone = self.zone_of(obj) if obj is not None else None
        if zone is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # Render now: a template response would otherwise render after the override ends.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    def _datetimes(self, model, form) -> list[str]:
        names = []
        for name in form.fields:
            try:
                field = model._meta.get_field(name)
            except Exception:
                continue
            if isinstance(field, models.DateTimeField):
                names.append(name)
        return names

    def _moved(self, obj):
        """(zone the form was read in, zone of the jurisdiction it is saved with), or None."""
        zone = self.zone_of(obj)
        read_in = timezone.get_current_timezone()
        if zone is None or _zone_key(zone) == _zone_key(read_in):
            return None
        return read_in, zone

    def save_model(self, request, obj, form, change):
        moved = self._moved(obj)
        if moved:
            _reread(obj, self._datetimes(type(obj), form), *moved)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        moved = self._moved(form.instance)
        if moved:
            for row in formset.forms:
                if row.has_changed() or not change:
                    _reread(row.instance, self._datetimes(formset.model, row), *moved)
        super().save_formset(request, form, formset, change)

    # -- lists

    def get_list_display(self, request):
        out = []
        for name in super().get_list_display(request):
            field = None
            if isinstance(name, str):
                try:
                    field = self.model._meta.get_field(name)
                except Exception:
                    field = None
            out.append(self._town_column(field) if isinstance(field, models.DateTimeField) else name)
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

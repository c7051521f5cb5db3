"""The spreadsheet import of events: a town's party list, as it keeps it, into a season.

One module per step (docs/import.md for coordinators, docs/architecture.md for where it sits):

- `sheets`: a file's bytes into sheets of numbered lines, cells as the file typed them;
- `columns`: the names towns give each field, and the mapping proposed from a header;
- `values` (with `cells`, `times`, `dates`): one cell into one value, or what to write instead;
- `rows`: a sheet through its mapping into `ImportRow`s and the faults of reading;
- `check`: the rows against the season's rules and the database, writing nothing;
- `apply`: every row in one transaction, or none;
- `batches`, `runs`, `tasks`: the web import's staging, its background check and apply;
- `template`: the season's template file.

`events_import` is the command line's import (`nightout import-events`): read, map by the
column names (a column left out by `drop_columns` is never read), check, and with `apply`
write. `batch_upload` is the web import's: read with the coordinator's mapping and stage the
mapped values for the background check. Only the season's coordinators and the system
(`Actor.system("import")`, the command line) import.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nightout.registry.actors import Actor
from nightout.registry.imports.apply import rows_apply
from nightout.registry.imports.batches import batch_create, mapping_remembered
from nightout.registry.imports.check import check_importer, rows_check
from nightout.registry.imports.columns import FIELDS, LEAVE_OUT, column_key, mapping_propose
from nightout.registry.imports.faults import Fault, ImportRow
from nightout.registry.imports.rows import rows_read
from nightout.registry.imports.sheets import (
    MAX_BYTES,
    MAX_ROWS,
    ImportRefused,
    book_read,
    sheet_pick,
)
from nightout.registry.models import ImportBatch, Season

__all__ = ["FIELDS", "MAX_BYTES", "MAX_ROWS", "Fault", "ImportRefused", "ImportReport",
           "ImportRow", "batch_upload", "events_import"]

HAS_FAULTS = "Nothing was written: fix the lines listed and import the file again."


@dataclass
class ImportReport:
    """What an import found and did."""

    sheet: str = ""
    rows: int = 0  # the lines under the header
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    faults: list[Fault] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # columns no field matched: not read
    left_out: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.faults

    def summary(self) -> str:
        if self.faults:
            bad = len({f.line for f in self.faults})
            return f"{bad} of {self.rows} lines have faults. {HAS_FAULTS}"
        verb = "Written" if self.applied else "Ready to write"
        return (f"{verb}: {self.created} new, {self.changed} changed, "
                f"{self.unchanged} unchanged, of {self.rows} lines.")


def events_import(*, season: Season, filename: str, content: bytes, apply: bool,
                  actor: Actor, drop_columns: Sequence[str] = (), sheet: str = ""
                  ) -> ImportReport:
    """Check (and with `apply`, write) a file's rows, its columns mapped by their names.
    Raises `ImportRefused` when the file cannot be read at all, `NotAllowed` for an actor
    who may not import into `season`."""
    check_importer(actor, season)
    chosen = sheet_pick(book_read(filename, content), sheet)
    mapping = mapping_propose(chosen.header)
    dropped = {column_key(name) for name in drop_columns}
    for name in chosen.header:
        if column_key(name) in dropped:
            mapping[name] = LEAVE_OUT
    read = rows_read(sheet=chosen, mapping=mapping, season=season)
    report = ImportReport(sheet=chosen.name, rows=len(chosen.lines), unmapped=read.unmapped,
                          left_out=read.left_out)
    write = apply and not read.faults
    outcome = (rows_apply if write else rows_check)(season=season, rows=read.rows, actor=actor)
    report.faults = sorted([*read.faults, *outcome.faults], key=lambda f: (f.line, f.column))
    report.created, report.changed = outcome.created, outcome.changed
    report.unchanged, report.applied = outcome.unchanged, outcome.applied
    return report


def batch_upload(*, season: Season, actor: Actor, filename: str, content: bytes,
                 sheet: str = "", mapping: Mapping[str, str] | None = None) -> ImportBatch:
    """Read an upload with `mapping` (column as spelled → field, `LEAVE_OUT` or ""; by
    default the one proposed from the column names and the season's last import), and stage
    its mapped values for the background check. The file itself is not kept."""
    check_importer(actor, season)
    chosen = sheet_pick(book_read(filename, content), sheet)
    if mapping is None:
        mapping = mapping_propose(chosen.header, mapping_remembered(season))
    read = rows_read(sheet=chosen, mapping=dict(mapping), season=season)
    return batch_create(season=season, actor=actor, filename=filename, sheet=chosen.name,
                        mapping=dict(mapping), rows=read.rows, faults=read.faults,
                        unmapped=read.unmapped, fault_cells=read.fault_cells)

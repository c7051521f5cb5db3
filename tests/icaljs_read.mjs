// Reads an iCalendar file on stdin with Mozilla's ical.js (the path of its dist/ical.js is
// the first argument) and prints, as JSON, each VEVENT's uid, start and end in UTC (ISO
// 8601), sequence and status, as ical.js understands them: with the file's own VTIMEZONE
// blocks, as a calendar client using ical.js reads it.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const ICAL = (await import(pathToFileURL(process.argv[2]).href)).default;
const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const utc = (time) => time.toJSDate().toISOString();
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    start: utc(event.startDate),
    end: utc(event.endDate),
    zone: event.startDate.zone ? event.startDate.zone.tzid : null,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
  };
});
process.stdout.write(JSON.stringify(events));

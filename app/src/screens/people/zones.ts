// Time zones as people pick them: the browser's guess, every IANA zone it knows (grouped by
// region, each with its current offset), and a zone's name in words. The API checks the zone
// again (zoneinfo) and names `timezone` when it does not know it.

/** This device's zone (what the profile set-up suggests), "UTC" when the browser says none. */
export function guessZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** Every zone this browser knows, sorted, with UTC and `keep` (the profile's, the guess) in it. */
export function zoneNames(...keep: (string | null | undefined)[]): string[] {
  const known = new Set(
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [],
  );
  known.add("UTC");
  for (const zone of keep) if (zone) known.add(zone);
  return [...known].sort((a, b) => a.localeCompare(b, "en"));
}

export interface ZoneGroup {
  region: string;
  zones: { value: string; label: string }[];
}

/** "America/Argentina/Buenos_Aires" → region "America", "Argentina/Buenos Aires (GMT-3)". */
export function zoneGroups(zones: readonly string[], now = new Date()): ZoneGroup[] {
  const groups = new Map<string, ZoneGroup["zones"]>();
  for (const zone of zones) {
    const cut = zone.indexOf("/");
    const region = cut > 0 ? zone.slice(0, cut) : "Other";
    const place = (cut > 0 ? zone.slice(cut + 1) : zone).replaceAll("_", " ");
    const offset = zoneOffset(zone, now);
    const label = offset && place !== "UTC" ? `${place} (${offset})` : place;
    const group = groups.get(region) ?? [];
    group.push({ value: zone, label });
    groups.set(region, group);
  }
  return [...groups]
    .sort(([a], [b]) => (a === "Other" ? 1 : b === "Other" ? -1 : a.localeCompare(b, "en")))
    .map(([region, zones]) => ({ region, zones }));
}

/** The zone's offset from UTC at `now` ("GMT+2", "GMT-3:30", "GMT"), "" if the browser cannot say. */
export function zoneOffset(zone: string, now = new Date()): string {
  try {
    return (
      new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" })
        .formatToParts(now)
        .find((part) => part.type === "timeZoneName")?.value ?? ""
    );
  } catch {
    return "";
  }
}

/** "Europe/Paris" → "Europe/Paris (Central European Standard Time)": the zone as people know it. */
export function zoneWords(zone: string, now = new Date()): string {
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat(undefined, { timeZone: zone, timeZoneName: "long" })
      .formatToParts(now)
      .find((part) => part.type === "timeZoneName")?.value;
  } catch {
    name = undefined;
  }
  const place = zone.replaceAll("_", " ");
  return name && name !== zone ? `${place} (${name})` : place;
}

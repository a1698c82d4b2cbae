const UNIT_MS = { W: 7 * 86_400_000, D: 86_400_000, H: 3_600_000, M: 60_000, S: 1_000 } as const;

/**
 * An ISO 8601 duration of weeks, days, hours, minutes and seconds (« PT24H », « P1DT12H », « PT90M »,
 * « PT0.5S »), in milliseconds. Years and months are refused (their length depends on the date), and so
 * are negative, empty (« P », « PT ») or malformed values: undefined then.
 */
export function parseIsoDuration(text: string): number | undefined {
  const match =
    /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/.exec(
      text.trim().toUpperCase(),
    );
  if (!match) return undefined;
  const [, w, d, h, m, s] = match;
  // « P » alone and « PT » with nothing after it say no duration.
  if ([w, d, h, m, s].every((part) => part === undefined)) return undefined;
  if (text.trim().toUpperCase().endsWith('T')) return undefined;
  const amount = (part: string | undefined) => (part === undefined ? 0 : Number(part.replace(',', '.')));
  const ms =
    amount(w) * UNIT_MS.W +
    amount(d) * UNIT_MS.D +
    amount(h) * UNIT_MS.H +
    amount(m) * UNIT_MS.M +
    amount(s) * UNIT_MS.S;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

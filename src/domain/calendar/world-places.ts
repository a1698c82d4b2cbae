import { type CityData, cityMapping } from 'city-timezones';
import frCountryNames from 'i18n-iso-countries/langs/fr.json';
import supplement from './places-fr.json';

/**
 * Cities and countries abroad, from offline datasets rather than a hand list (issue 11):
 * - city-timezones (Natural Earth populated places: 7,300 cities with their population and IANA zone);
 * - i18n-iso-countries (the ISO 3166 country names in French);
 * - places-fr.json: what the datasets lack in French (exonyms such as Londres or Pékin, usual country
 *   names such as « États-Unis », the preposition of each country, words that are not places here).
 * Built once, at the first search (start-up), into one map from folded names to places.
 */

export interface WorldPlace {
  readonly id: string;
  readonly label: string;
  readonly at: string;
  readonly timeZone: string;
}

interface Supplement {
  readonly cities: ReadonlyArray<{ names: string[]; city: string; country: string; label: string }>;
  readonly countries: Readonly<Record<string, { names: string[]; label?: string }>>;
  readonly countryPrepositions: { aux: string[]; au: string[]; a: string[] };
  readonly frenchTerritories: string[];
  readonly notPlaces: string[];
}

/** Cities with fewer inhabitants are found only through places-fr.json (small capitals). */
const MIN_POPULATION = 100_000;
/** Two cities of one name: the smaller one decides nothing under half the size of the larger. */
const AMBIGUOUS_RATIO = 0.5;
/**
 * A country has one clock when its largest city's time is kept by this share of the population of its
 * cities in the dataset: China (97 %, Ürümqi aside), Spain (96 %, the Canaries aside) and Ukraine (94 %)
 * do; Brazil (93 %), Mexico (82 %), Canada (65 %) and the United States (44 %) do not.
 */
const ONE_CLOCK_SHARE = 0.94;
/** Longer names are not searched for (the search looks this many words ahead at most). */
const MAX_NAME_WORDS = 5;

export interface WorldIndex {
  /** Folded name (« new york », « etats unis ») → place. */
  readonly byName: ReadonlyMap<string, WorldPlace>;
  readonly byId: ReadonlyMap<string, WorldPlace>;
  /** The most words in a name: the search never looks further ahead. */
  readonly maxWords: number;
}

let built: WorldIndex | undefined;

/** The index, built on first use from the datasets (a few milliseconds, once per process). */
export function worldIndex(): WorldIndex {
  built ??= buildWorldIndex();
  return built;
}

/** Lowercase, no accents, every run of other characters one space: « Côte-d’Ivoire » → « cote d ivoire ». */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function buildWorldIndex(): WorldIndex {
  const data = supplement as Supplement;
  const french = new Set(data.frenchTerritories);
  const notPlaces = new Set(data.notPlaces);
  const byName = new Map<string, WorldPlace>();
  const byId = new Map<string, WorldPlace>();
  const add = (names: readonly string[], found: WorldPlace): void => {
    // One place per city: « London » reads back « à Londres » when the supplement named it first.
    const place = byId.get(found.id) ?? found;
    byId.set(place.id, place);
    for (const name of names) {
      const key = foldName(name);
      if (!key || notPlaces.has(key) || byName.has(key)) continue;
      if (key.split(' ').length <= MAX_NAME_WORDS) byName.set(key, place);
    }
  };
  const cities = cityMapping.filter((c) => typeof c.timezone === 'string' && isZone(c.timezone));

  // The supplement first: its French names and labels win over the dataset's English ones.
  for (const entry of data.cities) {
    const city = cities
      .filter((c) => c.iso2 === entry.country && [c.city, c.city_ascii].some((n) => same(n, entry.city)))
      .sort((a, b) => b.pop - a.pop)[0];
    if (city) add(entry.names, cityPlace(city, entry.label));
  }

  // Every name of the dataset, resolved to one city: a French one when there is one (« Brest » is in
  // Finistère, not in Belarus), else the largest, unless another of comparable size lies in another zone.
  const candidates = new Map<string, CityData[]>();
  for (const city of cities)
    for (const name of new Set([foldName(city.city), foldName(city.city_ascii)])) {
      const list = candidates.get(name) ?? [];
      list.push(city);
      candidates.set(name, list);
    }
  for (const [name, list] of candidates) {
    if (byName.has(name) || notPlaces.has(name)) continue;
    if (list.some((c) => french.has(c.iso2))) continue; // the overseas list (places.ts) or Paris time
    const [first, second] = [...list].sort((a, b) => b.pop - a.pop);
    if (!first || first.pop < MIN_POPULATION) continue;
    if (second && second.pop >= first.pop * AMBIGUOUS_RATIO && !sameClock(first.timezone, second.timezone))
      continue;
    add([name], cityPlace(first));
  }

  // Countries with one clock (Japon, Belgique, Maroc); not the États-Unis, the Canada or the Brésil,
  // whose zones a country name cannot choose between.
  const prepositions = data.countryPrepositions;
  const byCountry = new Map<string, CityData[]>();
  for (const city of cities) {
    const list = byCountry.get(city.iso2) ?? [];
    list.push(city);
    byCountry.set(city.iso2, list);
  }
  const names = frCountryNames.countries as Record<string, string | string[]>;
  for (const [code, value] of Object.entries(names)) {
    if (french.has(code)) continue;
    const zone = countryZone(byCountry.get(code) ?? []);
    if (zone === undefined) continue;
    const official = Array.isArray(value) ? value : [value];
    const extra = data.countries[code];
    const label = extra?.label ?? official[0] ?? code;
    const at = prepositions.aux.includes(code)
      ? `aux ${label}`
      : prepositions.au.includes(code)
        ? `au ${label}`
        : prepositions.a.includes(code)
          ? `à ${label}`
          : `${feminineOrVowel(label) ? 'en' : 'au'} ${label}`;
    add([...official, ...(extra?.names ?? []), label], { id: `country:${code}`, label, at, timeZone: zone });
  }

  return { byName, byId, maxWords: MAX_NAME_WORDS };
}

function cityPlace(city: CityData, label = city.city): WorldPlace {
  const folded = foldName(label);
  // « au Caire », « au Cap »; « à La Havane », « à La Haye » keep their article.
  const at = folded.startsWith('le ') ? `au ${label.slice(3)}` : `à ${label}`;
  return {
    id: `city:${city.iso2}:${foldName(city.city_ascii).replace(/ /g, '-')}`,
    label,
    at,
    timeZone: city.timezone,
  };
}

/** The zone of a country that keeps one clock (see ONE_CLOCK_SHARE), winter and summer. */
function countryZone(cities: readonly CityData[]): string | undefined {
  let largest: CityData | undefined;
  let total = 0;
  for (const city of cities) {
    total += city.pop;
    if (!largest || city.pop > largest.pop) largest = city;
  }
  if (!largest || total <= 0) return undefined;
  const zone = largest.timezone;
  const kept = cities.filter((c) => sameClock(c.timezone, zone)).reduce((sum, c) => sum + c.pop, 0);
  return kept / total >= ONE_CLOCK_SHARE ? zone : undefined;
}

/** French grammar: « en » before a vowel or a feminine name (most end in « e »), else « au ». */
function feminineOrVowel(label: string): boolean {
  const first = foldName(label).split(' ')[0] ?? '';
  return /^[aeiou]/.test(first) || first.endsWith('e');
}

function same(a: string, b: string): boolean {
  return foldName(a) === foldName(b);
}

const offsets = new Map<string, string>();

/** Same UTC offset in January and in July: the same clock all year. */
function sameClock(a: string, b: string): boolean {
  return a === b || offsetsOf(a) === offsetsOf(b);
}

function offsetsOf(zone: string): string {
  let cached = offsets.get(zone);
  if (cached === undefined) {
    const year = new Date().getUTCFullYear();
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    cached = [0, 6]
      .map((month) =>
        format
          .format(new Date(Date.UTC(year, month, 15, 12)))
          .split(' ')
          .pop(),
      )
      .join('/');
    offsets.set(zone, cached);
  }
  return cached;
}

const zones = new Map<string, boolean>();

function isZone(zone: string): boolean {
  let valid = zones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    zones.set(zone, valid);
  }
  return valid;
}

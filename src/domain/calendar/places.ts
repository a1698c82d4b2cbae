/**
 * Where the teacher is, for answering in local time as well as in « heure de Paris » (domain brief §4.2).
 * A place is named the way the teacher named it (« à Papeete » rather than « en Polynésie française »),
 * so that the answer reads back in their words.
 */
export interface Place {
  /** Stable identifier, safe to keep in conversation state. */
  readonly id: string;
  /** « Nouméa », « La Réunion »; « heure locale » for a zone we have no name for. */
  readonly label: string;
  /** The place after « soit 3 h … »: « à Nouméa », « en Guadeloupe », « (heure locale) ». */
  readonly at: string;
  readonly timeZone: string;
}

interface PlaceEntry extends Place {
  /** Spellings as the teacher may type them, lowercase and without accents; hyphens are optional. */
  readonly names: readonly string[];
}

const PARIS_ZONE = 'Europe/Paris';

const PLACES: readonly PlaceEntry[] = [
  place('paris', 'Paris', 'à Paris', PARIS_ZONE, ['paris']),
  place('metropole', 'la métropole', 'en métropole', PARIS_ZONE, [
    'metropole',
    'france metropolitaine',
    'hexagone',
  ]),
  place('corse', 'la Corse', 'en Corse', PARIS_ZONE, ['corse', 'ajaccio', 'bastia']),
  place('guadeloupe', 'la Guadeloupe', 'en Guadeloupe', 'America/Guadeloupe', ['guadeloupe']),
  place('pointe-a-pitre', 'Pointe-à-Pitre', 'à Pointe-à-Pitre', 'America/Guadeloupe', ['pointe a pitre']),
  place('basse-terre', 'Basse-Terre', 'à Basse-Terre', 'America/Guadeloupe', ['basse terre']),
  // Saint-Martin and Saint-Barthélemy belonged to the académie de Guadeloupe in 2014.
  place('saint-martin', 'Saint-Martin', 'à Saint-Martin', 'America/Marigot', ['saint martin', 'st martin']),
  place('saint-barthelemy', 'Saint-Barthélemy', 'à Saint-Barthélemy', 'America/St_Barthelemy', [
    'saint barthelemy',
    'st barthelemy',
    'saint barth',
    'st barth',
  ]),
  place('martinique', 'la Martinique', 'en Martinique', 'America/Martinique', ['martinique']),
  place('fort-de-france', 'Fort-de-France', 'à Fort-de-France', 'America/Martinique', ['fort de france']),
  place('guyane', 'la Guyane', 'en Guyane', 'America/Cayenne', ['guyane', 'guyane francaise']),
  place('cayenne', 'Cayenne', 'à Cayenne', 'America/Cayenne', ['cayenne']),
  place('kourou', 'Kourou', 'à Kourou', 'America/Cayenne', ['kourou']),
  place(
    'saint-laurent-du-maroni',
    'Saint-Laurent-du-Maroni',
    'à Saint-Laurent-du-Maroni',
    'America/Cayenne',
    ['saint laurent du maroni', 'st laurent du maroni'],
  ),
  // Bare « réunion » is also « a meeting »: only the forms with the article name the island.
  place('la-reunion', 'La Réunion', 'à La Réunion', 'Indian/Reunion', [
    'la reunion',
    'ile de la reunion',
    'l ile de la reunion',
  ]),
  place('mayotte', 'Mayotte', 'à Mayotte', 'Indian/Mayotte', ['mayotte']),
  place('mamoudzou', 'Mamoudzou', 'à Mamoudzou', 'Indian/Mayotte', ['mamoudzou']),
  place('nouvelle-caledonie', 'la Nouvelle-Calédonie', 'en Nouvelle-Calédonie', 'Pacific/Noumea', [
    'nouvelle caledonie',
    'caledonie',
  ]),
  place('noumea', 'Nouméa', 'à Nouméa', 'Pacific/Noumea', ['noumea']),
  place('polynesie', 'la Polynésie française', 'en Polynésie française', 'Pacific/Tahiti', [
    'polynesie',
    'polynesie francaise',
  ]),
  place('tahiti', 'Tahiti', 'à Tahiti', 'Pacific/Tahiti', ['tahiti']),
  place('papeete', 'Papeete', 'à Papeete', 'Pacific/Tahiti', ['papeete']),
  place('moorea', 'Moorea', 'à Moorea', 'Pacific/Tahiti', ['moorea']),
  place('bora-bora', 'Bora-Bora', 'à Bora-Bora', 'Pacific/Tahiti', ['bora bora']),
  place('raiatea', 'Raiatea', 'à Raiatea', 'Pacific/Tahiti', ['raiatea']),
  place('tuamotu', 'les Tuamotu', 'aux Tuamotu', 'Pacific/Tahiti', ['tuamotu']),
  place('australes', 'les Australes', 'aux Australes', 'Pacific/Tahiti', ['australes', 'iles australes']),
  place('marquises', 'les Marquises', 'aux Marquises', 'Pacific/Marquesas', ['marquises', 'iles marquises']),
  place('nuku-hiva', 'Nuku Hiva', 'à Nuku Hiva', 'Pacific/Marquesas', ['nuku hiva']),
  place('hiva-oa', 'Hiva Oa', 'à Hiva Oa', 'Pacific/Marquesas', ['hiva oa']),
  place('gambier', 'les Gambier', 'aux Gambier', 'Pacific/Gambier', ['gambier', 'iles gambier']),
  place('mangareva', 'Mangareva', 'à Mangareva', 'Pacific/Gambier', ['mangareva', 'rikitea']),
  place('wallis-et-futuna', 'Wallis-et-Futuna', 'à Wallis-et-Futuna', 'Pacific/Wallis', ['wallis et futuna']),
  place('wallis', 'Wallis', 'à Wallis', 'Pacific/Wallis', ['wallis']),
  place('futuna', 'Futuna', 'à Futuna', 'Pacific/Wallis', ['futuna']),
  place('mata-utu', 'Mata-Utu', 'à Mata-Utu', 'Pacific/Wallis', ['mata utu']),
  place(
    'saint-pierre-et-miquelon',
    'Saint-Pierre-et-Miquelon',
    'à Saint-Pierre-et-Miquelon',
    'America/Miquelon',
    ['saint pierre et miquelon', 'st pierre et miquelon'],
  ),
  place('miquelon', 'Miquelon', 'à Miquelon', 'America/Miquelon', ['miquelon']),
];

/** The territory each zone stands for when only the channel's zone is known. */
const ZONE_PLACE: Readonly<Record<string, string>> = {
  [PARIS_ZONE]: 'paris',
  'America/Guadeloupe': 'guadeloupe',
  'America/Marigot': 'saint-martin',
  'America/St_Barthelemy': 'saint-barthelemy',
  'America/Martinique': 'martinique',
  'America/Cayenne': 'guyane',
  'Indian/Reunion': 'la-reunion',
  'Indian/Mayotte': 'mayotte',
  'Pacific/Noumea': 'nouvelle-caledonie',
  'Pacific/Tahiti': 'polynesie',
  'Pacific/Marquesas': 'marquises',
  'Pacific/Gambier': 'gambier',
  'Pacific/Wallis': 'wallis-et-futuna',
  'America/Miquelon': 'saint-pierre-et-miquelon',
};

/** Every known place, for tests and for listing; names are internal. */
export const KNOWN_PLACES: readonly Place[] = PLACES.map(({ names: _names, ...p }) => Object.freeze(p));

export function isParis(place: Place): boolean {
  return place.timeZone === PARIS_ZONE;
}

/** The place with this id, e.g. one kept in conversation state. */
export function placeById(id: string): Place | undefined {
  return KNOWN_PLACES.find((p) => p.id === id);
}

/**
 * The place the teacher names in a message (« je suis à la reunion », « depuis papeete »), or undefined.
 * « heure de Paris » is the reference time, not a place; an overseas place wins over Paris or the
 * métropole, since « je suis à Nouméa, pas à Paris » names both.
 */
export function findPlace(text: string): Place | undefined {
  const folded = fold(text).replace(/\bheures?\s+(?:de\s+|d\s+)?(?:paris|metropole)\b/g, ' ');
  let best: { entry: PlaceEntry; index: number; length: number } | undefined;
  for (const entry of PLACES) {
    for (const name of entry.names) {
      const index = findName(folded, name);
      if (index < 0) continue;
      const overseas = entry.timeZone !== PARIS_ZONE;
      const bestOverseas = best !== undefined && best.entry.timeZone !== PARIS_ZONE;
      const better =
        best === undefined ||
        (overseas && !bestOverseas) ||
        (overseas === bestOverseas &&
          (name.length > best.length || (name.length === best.length && index < best.index)));
      if (better) best = { entry, index, length: name.length };
    }
  }
  return best ? placeById(best.entry.id) : undefined;
}

/**
 * The place for a zone sent by the channel (Web Chat `localTimezone`, Teams `clientInfo.timezone`).
 * A valid zone we have no name for still gets local times, labelled « heure locale »; anything that is
 * not an IANA zone gives undefined, and the caller answers in Paris time only.
 */
export function placeForTimeZone(zone: string | undefined): Place | undefined {
  const canonical = zone === undefined ? undefined : canonicalZone(zone.trim());
  if (canonical === undefined) return undefined;
  const id = ZONE_PLACE[canonical];
  if (id !== undefined) return placeById(id);
  return Object.freeze({
    id: `zone:${canonical}`,
    label: 'heure locale',
    at: '(heure locale)',
    timeZone: canonical,
  });
}

/** The place a stored id stands for, including `zone:…` ids made by placeForTimeZone. */
export function restorePlace(id: string): Place | undefined {
  return id.startsWith('zone:') ? placeForTimeZone(id.slice(5)) : placeById(id);
}

function place(id: string, label: string, at: string, timeZone: string, names: string[]): PlaceEntry {
  return { id, label, at, timeZone, names };
}

/** Lowercase, no accents, apostrophes as spaces, hyphens kept: « L’Île-de-la-Réunion » → « l ile-de-la-reunion ». */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, ' ');
}

/**
 * Position of `name` as whole words in `folded` (a space or a hyphen between its words), or -1. A name
 * glued by a hyphen to more words is part of a longer toponym: « Saint-Martin-d’Hères » is in Isère.
 */
function findName(folded: string, name: string): number {
  const words = name.split(' ').join('[\\s-]+');
  const match = new RegExp(`(?:^|\\s)(${words})(?=\\s|$)`).exec(folded);
  return match ? match.index : -1;
}

function canonicalZone(zone: string): string | undefined {
  // Intl also accepts « +01:00 », « UTC » or « EST », which are offsets or abbreviations, not places.
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(zone)) return undefined;
  try {
    return new Intl.DateTimeFormat('fr-FR', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

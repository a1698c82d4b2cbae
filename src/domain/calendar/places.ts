import { memoByText } from '../understanding/memo';
import { worldIndex } from './world-places';

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

/** Only the start of a long message is searched: a place is named in far less. */
const MAX_PLACE_CHARS = 2000;

/**
 * Words after which a city or a country abroad names where the teacher is (« à New York », « au Japon »,
 * « depuis Dakar »), and those before « de » that ask for its time (« heure de Tokyo », « fuseau de … »).
 * Abroad, a bare name is not enough: « Florence », « Charlotte » are first names, « mobile » a phone.
 */
const CUES = new Set(['a', 'au', 'aux', 'en', 'depuis', 'dans', 'sur', 'vers', 'habite', 'vis', 'reside']);
const TIME_OF = new Set(['heure', 'heures', 'horaire', 'fuseau', 'pres']);
const OF = new Set(['de', 'd', 'du', 'des']);

/** Built here, at start-up (about 60 ms), rather than during the first teacher's turn. */
const WORLD = worldIndex();

/** The overseas names of PLACES, by name; they need no cue (« Nouméa ? », « 17 h à Mayotte »). */
const OVERSEAS_BY_NAME: ReadonlyMap<string, PlaceEntry> = new Map(
  PLACES.flatMap((entry) => entry.names.map((name) => [name, entry] as const)),
);
const OVERSEAS_MAX_WORDS = Math.max(...PLACES.flatMap((e) => e.names.map((n) => n.split(' ').length)));

interface Token {
  readonly word: string;
  /** Glued by a hyphen to the word before: part of a longer name (« Saint-Martin-d’Hères »). */
  readonly hyphenBefore: boolean;
}

/**
 * The place the teacher names in a message (« je suis à la reunion », « depuis papeete », « en heure de
 * Nouméa svp », « à l’heure de New York », « je suis au Japon »), or undefined. « heure de Paris » is the
 * reference time, not a place; a place with its own time wins over Paris or the métropole, since « je
 * suis à Nouméa, pas à Paris » names both; then the longer name, then the first one.
 *
 * One pass over the words of the message, looking each run of up to a few words up in two maps (the
 * overseas territories above, the world index built once from the datasets): linear in the message.
 */
export function findPlace(text: string): Place | undefined {
  return searchPlace(text)?.place;
}

/**
 * Words that, around a place, still make a message that only asks for the time there: « en heure de
 * Nouméa svp », « et à l’heure de New York ? », « heure locale de Tokyo », « et pour moi à Mayotte ? ».
 */
const PLACE_REQUEST_WORDS = new Set([
  ...['a', 'au', 'aux', 'en', 'l', 'la', 'le', 'de', 'd', 'du', 'des', 'et', 'pour', 'moi', 'chez', 'ici'],
  ...['heure', 'heures', 'locale', 'local', 'horaire', 'horaires', 'fuseau', 'donc', 'alors', 'ca', 'donne'],
  ...['svp', 'stp', 'merci', 's', 'il', 'vous', 'plait', 'please', 'je', 'suis', 'sur', 'depuis', 'plutot'],
]);

/**
 * The place, when the message asks only for the time there (« en heure de Nouméa svp »): a follow-up to
 * a date answer, answered with the dates in that place's time. Undefined for anything more.
 */
export function placeOnlyRequest(text: string): Place | undefined {
  if (text.length > 200) return undefined;
  const found = searchPlace(text);
  if (found === undefined) return undefined;
  const rest = found.tokens.filter((_, k) => k < found.start || k > found.end);
  return rest.every((t) => PLACE_REQUEST_WORDS.has(t.word)) ? found.place : undefined;
}

interface Found {
  readonly place: Place;
  readonly tokens: readonly Token[];
  /** The words of the name: tokens[start..end]. */
  readonly start: number;
  readonly end: number;
}

/** Every message is searched by the bot, then maybe by a dialog: once per text (memo.ts). */
const searchPlace = memoByText(searchPlaceIn, { maxEntries: 256, maxLength: MAX_PLACE_CHARS });

function searchPlaceIn(text: string): Found | undefined {
  const tokens = tokensOf(text.length > MAX_PLACE_CHARS ? text.slice(0, MAX_PLACE_CHARS) : text);
  const world = WORLD;
  const question = text.includes('?');
  const maxWords = Math.max(OVERSEAS_MAX_WORDS, world.maxWords);
  let best: { place: Place; start: number; end: number; length: number } | undefined;
  for (let i = 0; i < tokens.length; i += 1) {
    if (tokens[i]?.hyphenBefore) continue;
    let key = '';
    for (let j = i; j < Math.min(tokens.length, i + maxWords); j += 1) {
      key = j === i ? (tokens[j]?.word ?? '') : `${key} ${tokens[j]?.word ?? ''}`;
      if (tokens[j + 1]?.hyphenBefore) continue;
      const overseas = OVERSEAS_BY_NAME.get(key);
      const place = overseas
        ? placeById(overseas.id)
        : world.byName.has(key) && cued(tokens, i, j, question)
          ? world.byName.get(key)
          : undefined;
      if (place === undefined) continue;
      const own = !isParis(place);
      const bestOwn = best !== undefined && !isParis(best.place);
      if (best === undefined || (own && !bestOwn) || (own === bestOwn && key.length > best.length))
        best = { place, start: i, end: j, length: key.length };
    }
  }
  return best && { place: best.place, tokens, start: best.start, end: best.end };
}

/** Words that may follow a place in a message that is only the place: « Londres svp ». */
const POLITE = new Set(['svp', 'stp', 'merci', 's', 'il', 'vous', 'plait', 'please']);

/** Whether the words around the name at `i`..`end` say that it is where the teacher is. */
function cued(tokens: readonly Token[], i: number, end: number, question: boolean): boolean {
  // A message that is only the place, asked: « New York ? », « Londres svp »; not « Florence », which
  // answers « Quel est votre prénom ? », nor « Florence Dupont ».
  if (i === 0) {
    const rest = tokens.slice(end + 1);
    return rest.every((t) => POLITE.has(t.word)) && (question || rest.length > 0);
  }
  const before = tokens[i - 1]?.word ?? '';
  if (CUES.has(before)) return true;
  return OF.has(before) && TIME_OF.has(tokens[i - 2]?.word ?? '');
}

/**
 * The words of a message, lowercase and without accents. E-mail and web addresses are dropped first:
 * « jean.lima@ac-paris.fr » is not in Peru.
 */
function tokensOf(text: string): Token[] {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\S*@\S*|(?:https?:\/\/|www\.)\S*/g, ' ')
    .replace(/\bheures?\s+(?:de\s+|d['\u2019\s]\s*)?(?:paris|(?:la\s+)?metropole)\b/g, ' ');
  const tokens: Token[] = [];
  for (const match of folded.matchAll(/[a-z0-9]+/g)) {
    const at = match.index ?? 0;
    tokens.push({ word: match[0], hyphenBefore: at > 0 && folded[at - 1] === '-' });
  }
  return tokens;
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

/**
 * The place a stored id stands for: an overseas place, a city or a country abroad (`city:…`,
 * `country:…`), or a `zone:…` made by placeForTimeZone.
 */
export function restorePlace(id: string): Place | undefined {
  if (id.startsWith('zone:')) return placeForTimeZone(id.slice(5));
  if (id.startsWith('city:') || id.startsWith('country:')) return worldIndex().byId.get(id);
  return placeById(id);
}

function place(id: string, label: string, at: string, timeZone: string, names: string[]): PlaceEntry {
  return { id, label, at, timeZone, names };
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

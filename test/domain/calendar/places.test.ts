import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { formatInTimeZone } from 'date-fns-tz';
import { localDateTime } from '../../../src/domain/calendar/moments';
import {
  findPlace,
  isParis,
  KNOWN_PLACES,
  placeById,
  placeForTimeZone,
  placeOnlyRequest,
  restorePlace,
} from '../../../src/domain/calendar/places';
import { loadCalendar } from '../../../src/infra/files/calendar-file';

const NBSP = '\u00a0';
const calendar = loadCalendar(path.join(__dirname, '..', '..', '..', 'calendars', 'elections-2014.json'));

/** « Thu 4 Dec 16:00 » as domain.md §4.2 writes it, in French: « jeudi 4 décembre 2014 à 16 h ». */
const fr = (weekday: string, day: number, month: 'novembre' | 'décembre', hour: number, minutes = 0) =>
  `${weekday} ${day} ${month} 2014 à ${hour}${NBSP}h${minutes ? `${NBSP}${minutes}` : ''}`;

/** domain.md §4.2, row by row: zone, offset, account close, vote open, vote close (local). */
const TABLE = [
  [
    'Paris',
    'Europe/Paris',
    '+01:00',
    fr('jeudi', 4, 'décembre', 16),
    fr('jeudi', 27, 'novembre', 10),
    fr('jeudi', 4, 'décembre', 17),
  ],
  [
    'Guadeloupe',
    'America/Guadeloupe',
    '-04:00',
    fr('jeudi', 4, 'décembre', 11),
    fr('jeudi', 27, 'novembre', 5),
    fr('jeudi', 4, 'décembre', 12),
  ],
  [
    'Martinique',
    'America/Martinique',
    '-04:00',
    fr('jeudi', 4, 'décembre', 11),
    fr('jeudi', 27, 'novembre', 5),
    fr('jeudi', 4, 'décembre', 12),
  ],
  [
    'Guyane',
    'America/Cayenne',
    '-03:00',
    fr('jeudi', 4, 'décembre', 12),
    fr('jeudi', 27, 'novembre', 6),
    fr('jeudi', 4, 'décembre', 13),
  ],
  [
    'La Réunion',
    'Indian/Reunion',
    '+04:00',
    fr('jeudi', 4, 'décembre', 19),
    fr('jeudi', 27, 'novembre', 13),
    fr('jeudi', 4, 'décembre', 20),
  ],
  [
    'Mayotte',
    'Indian/Mayotte',
    '+03:00',
    fr('jeudi', 4, 'décembre', 18),
    fr('jeudi', 27, 'novembre', 12),
    fr('jeudi', 4, 'décembre', 19),
  ],
  [
    'Nouvelle-Calédonie',
    'Pacific/Noumea',
    '+11:00',
    fr('vendredi', 5, 'décembre', 2),
    fr('jeudi', 27, 'novembre', 20),
    fr('vendredi', 5, 'décembre', 3),
  ],
  [
    'Polynésie',
    'Pacific/Tahiti',
    '-10:00',
    fr('jeudi', 4, 'décembre', 5),
    fr('mercredi', 26, 'novembre', 23),
    fr('jeudi', 4, 'décembre', 6),
  ],
  [
    'Marquises',
    'Pacific/Marquesas',
    '-09:30',
    fr('jeudi', 4, 'décembre', 5, 30),
    fr('mercredi', 26, 'novembre', 23, 30),
    fr('jeudi', 4, 'décembre', 6, 30),
  ],
  [
    'Gambier',
    'Pacific/Gambier',
    '-09:00',
    fr('jeudi', 4, 'décembre', 6),
    fr('jeudi', 27, 'novembre', 0),
    fr('jeudi', 4, 'décembre', 7),
  ],
  [
    'Wallis-et-Futuna',
    'Pacific/Wallis',
    '+12:00',
    fr('vendredi', 5, 'décembre', 3),
    fr('jeudi', 27, 'novembre', 21),
    fr('vendredi', 5, 'décembre', 4),
  ],
  [
    'Saint-Pierre-et-Miquelon',
    'America/Miquelon',
    '-03:00',
    fr('jeudi', 4, 'décembre', 12),
    fr('jeudi', 27, 'novembre', 6),
    fr('jeudi', 4, 'décembre', 13),
  ],
] as const;

describe('overseas places', () => {
  describe('domain.md §4.2: local times of the 2014 deadlines', () => {
    for (const [territory, zone, offset, accountCloses, voteOpens, voteCloses] of TABLE) {
      it(`${territory} (${zone})`, () => {
        const place = findPlace(territory);
        assert.equal(place?.timeZone, zone, `findPlace(${territory})`);
        assert.equal(formatInTimeZone(calendar.vote.opens, zone, 'xxx'), offset);
        assert.equal(localDateTime(calendar.accountCreation.closes, zone), accountCloses);
        assert.equal(localDateTime(calendar.vote.opens, zone), voteOpens);
        assert.equal(localDateTime(calendar.vote.closes, zone), voteCloses);
      });
    }

    it('Saint-Pierre-et-Miquelon keeps daylight saving time (−02:00 in summer), the others do not', () => {
      const summer = new Date('2014-07-01T12:00:00Z');
      assert.equal(formatInTimeZone(summer, 'America/Miquelon', 'xxx'), '-02:00');
      for (const [, zone, offset] of TABLE.slice(1, -1)) {
        assert.equal(formatInTimeZone(summer, zone, 'xxx'), offset, zone);
      }
    });

    it('the account opening (22 Sept 2014 at 0 h, Paris summer time) overseas', () => {
      const opens = calendar.accountCreation.opens;
      assert.equal(localDateTime(opens, 'America/Guadeloupe'), `dimanche 21 septembre 2014 à 18${NBSP}h`);
      assert.equal(localDateTime(opens, 'Pacific/Tahiti'), `dimanche 21 septembre 2014 à 12${NBSP}h`);
      assert.equal(localDateTime(opens, 'Pacific/Noumea'), `lundi 22 septembre 2014 à 9${NBSP}h`);
    });
  });

  describe('findPlace', () => {
    const cases: Array<[string, string]> = [
      ['je suis à la reunion', 'la-reunion'],
      ['Je suis à La Réunion', 'la-reunion'],
      ['sur l’île de la Réunion', 'la-reunion'],
      ['a noumea', 'noumea'],
      ['À NOUMÉA', 'noumea'],
      ['depuis papeete', 'papeete'],
      ['en guyane', 'guyane'],
      ['je travaille à Cayenne', 'cayenne'],
      ['en Guadeloupe', 'guadeloupe'],
      ['à Pointe-à-Pitre', 'pointe-a-pitre'],
      ['en Martinique', 'martinique'],
      ['à Mayotte', 'mayotte'],
      ['en Nouvelle-Calédonie', 'nouvelle-caledonie'],
      ['en nouvelle caledonie', 'nouvelle-caledonie'],
      ['en Polynésie française', 'polynesie'],
      ['A Tahiti on peut voter dès le 26 au soir ?', 'tahiti'],
      ['aux Marquises', 'marquises'],
      ['à Nuku Hiva', 'nuku-hiva'],
      ['aux Gambier', 'gambier'],
      ['à Wallis-et-Futuna', 'wallis-et-futuna'],
      ['à Wallis', 'wallis'],
      ['à Saint-Pierre-et-Miquelon', 'saint-pierre-et-miquelon'],
      ['en métropole', 'metropole'],
      ['à Paris', 'paris'],
    ];
    for (const [text, id] of cases) {
      it(`« ${text} » → ${id}`, () => assert.equal(findPlace(text)?.id, id));
    }

    it('reads the overseas place when Paris is named too', () => {
      assert.equal(findPlace('Le 4 à 16 h, c’est l’heure de Paris ? Je suis à la Réunion')?.id, 'la-reunion');
      assert.equal(findPlace('je suis à Nouméa, pas à Paris')?.id, 'noumea');
    });

    it('does not take « heure de Paris » for a place', () => {
      assert.equal(findPlace('c’est en heure de Paris ?'), undefined);
    });

    it('finds no place in ordinary sentences', () => {
      for (const text of [
        'J’ai une réunion demain',
        'Je suis à Saint-Martin-d’Hères',
        'Quand est-ce qu’on peut voter ?',
        'Mon NUMEN c’est 01E0912345ABC',
        '',
      ]) {
        assert.equal(findPlace(text), undefined, text);
      }
    });

    it('gives the preposition form of each place', () => {
      assert.equal(findPlace('la réunion')?.at, 'à La Réunion');
      assert.equal(findPlace('guadeloupe')?.at, 'en Guadeloupe');
      assert.equal(findPlace('noumea')?.at, 'à Nouméa');
      assert.equal(findPlace('polynesie')?.at, 'en Polynésie française');
    });
  });

  describe('findPlace abroad: cities and countries from the offline datasets (issue 11)', () => {
    const abroad: Array<[string, string, string, string]> = [
      ['à l’heure de New York', 'city:US:new-york', 'America/New_York', 'à New York'],
      ['heure de Tokyo svp', 'city:JP:tokyo', 'Asia/Tokyo', 'à Tokyo'],
      ['Je suis à New-York, ça fait quelle heure ?', 'city:US:new-york', 'America/New_York', 'à New York'],
      ['je vis à Londres', 'city:GB:london', 'Europe/London', 'à Londres'],
      ['depuis Pékin', 'city:CN:beijing', 'Asia/Shanghai', 'à Pékin'],
      ['je suis au Caire', 'city:EG:cairo', 'Africa/Cairo', 'au Caire'],
      ['en poste à Varsovie', 'city:PL:warsaw', 'Europe/Warsaw', 'à Varsovie'],
      ['je travaille à Dakar', 'city:SN:dakar', 'Africa/Dakar', 'à Dakar'],
      ['je suis au Japon', 'country:JP', 'Asia/Tokyo', 'au Japon'],
      ['je suis en Belgique', 'country:BE', 'Europe/Brussels', 'en Belgique'],
      ['au Maroc', 'country:MA', 'Africa/Casablanca', 'au Maroc'],
      ['en Côte d’Ivoire', 'country:CI', 'Africa/Abidjan', 'en Côte d’Ivoire'],
      ['aux Émirats', 'country:AE', 'Asia/Dubai', 'aux Émirats arabes unis'],
      ['en Chine', 'country:CN', 'Asia/Shanghai', 'en Chine'],
      ['New York ?', 'city:US:new-york', 'America/New_York', 'à New York'],
    ];
    for (const [text, id, zone, at] of abroad) {
      it(`« ${text} » → ${id} (${zone}), « ${at} »`, () => {
        const place = findPlace(text);
        assert.deepEqual([place?.id, place?.timeZone, place?.at], [id, zone, at]);
        assert.deepEqual(restorePlace(id), place);
      });
    }

    it('the overseas territories keep their own names, and win over a place abroad only by rule', () => {
      assert.equal(findPlace('en heure de Nouméa svp')?.id, 'noumea');
      assert.equal(findPlace('je suis à Mayotte')?.id, 'mayotte');
      assert.equal(findPlace('je suis à New York, pas à Paris')?.id, 'city:US:new-york');
    });

    it('a country with several clocks gives no zone: the teacher names the city', () => {
      for (const text of [
        'je suis aux États-Unis',
        'je suis au Canada',
        'au Brésil',
        'en Australie',
        'en Russie',
      ])
        assert.equal(findPlace(text), undefined, text);
    });

    it('a name abroad needs a cue: first names, addresses, ordinary words are no places', () => {
      for (const text of [
        'Florence Dupont',
        'Florence',
        'Charlotte',
        'mon adresse c’est jean.lima@ac-paris.fr',
        'je vote depuis mon mobile',
        'je suis en réunion jusqu’à 17 h',
        'je suis à Brest',
        'à Lyon',
        'je suis en France',
      ])
        assert.equal(findPlace(text), undefined, text);
    });

    // A place read where the phrase names none would be a false positive of findPlace: the only places
    // abroad in the training phrases are the ones they really name (voting from abroad, a time zone).
    it('finds a place abroad in no training phrase but those that name one', () => {
      const training = JSON.parse(
        fs.readFileSync(path.join(__dirname, '..', '..', '..', 'locales', 'fr', 'training.json'), 'utf8'),
      ) as Record<string, string[]>;
      const found = Object.values(training)
        .flat()
        .filter((text) => /^(city|country):/.test(findPlace(text)?.id ?? ''));
      assert.deepEqual(found.sort(), [
        'Bonjour, je serai en séjour linguistique avec mes élèves en Espagne au moment du scrutin ; pourrai-je voter depuis là-bas avec mon ordinateur portable ? Cordialement',
        'Je suis expatrié à Londres, est-ce que je peux voter ?',
        'Quelle heure est-il à New York ?',
        'je vis en Belgique, je vote comment ?',
      ]);
    });
  });

  describe('placeOnlyRequest: a message that only asks for the time of a place', () => {
    it('« en heure de Nouméa svp », « et à l’heure de New York ? », « heure locale de Mayotte »', () => {
      assert.equal(placeOnlyRequest('en heure de Nouméa svp')?.id, 'noumea');
      assert.equal(placeOnlyRequest('et à l’heure de New York ?')?.id, 'city:US:new-york');
      assert.equal(placeOnlyRequest('heure locale de Mayotte svp')?.id, 'mayotte');
    });

    it('not a question with more in it, nor a message without a place', () => {
      for (const text of [
        'je suis à Nouméa, c’est quand la fin ?',
        'Quelle heure est-il à New York ?',
        'en heure svp',
      ])
        assert.equal(placeOnlyRequest(text), undefined, text);
    });
  });

  describe('placeForTimeZone', () => {
    it('names the territory of a known zone', () => {
      assert.equal(placeForTimeZone('Pacific/Noumea')?.at, 'en Nouvelle-Calédonie');
      assert.equal(placeForTimeZone('Indian/Reunion')?.at, 'à La Réunion');
      assert.equal(placeForTimeZone('America/Cayenne')?.at, 'en Guyane');
      assert.equal(placeForTimeZone('Pacific/Tahiti')?.at, 'en Polynésie française');
      assert.ok(isParis(placeForTimeZone('Europe/Paris') ?? assert.fail()));
    });

    it('accepts the zone in any case, as browsers do not all spell it alike', () => {
      assert.equal(placeForTimeZone('europe/paris')?.id, 'paris');
    });

    it('gives a generic « heure locale » place for a zone it has no name for', () => {
      const place = placeForTimeZone('America/New_York');
      assert.deepEqual(place, {
        id: 'zone:America/New_York',
        label: 'heure locale',
        at: '(heure locale)',
        timeZone: 'America/New_York',
      });
      assert.deepEqual(restorePlace('zone:America/New_York'), place);
    });

    it('refuses what is not an IANA zone', () => {
      for (const zone of [undefined, '', '+01:00', 'UTC', 'CET', 'Mars/Olympus', 'Europe/Paris; drop']) {
        assert.equal(placeForTimeZone(zone), undefined, String(zone));
      }
    });
  });

  it('every known place has a valid zone and a preposition form', () => {
    for (const place of KNOWN_PLACES) {
      assert.equal(placeForTimeZone(place.timeZone)?.timeZone, place.timeZone, place.id);
      assert.match(place.at, /^(à|en|aux) \p{L}/u, place.id);
      assert.equal(placeById(place.id), place);
      assert.equal(restorePlace(place.id), place);
    }
  });
});

/**
 * Which language a message is written in, roughly: enough to tell a teacher who wrote in English (or
 * another language) that the assistant answers in French, and never enough to refuse French written
 * with a few English words (« j'ai pas reçu le mail »). Words of two letters or more, counted against
 * short lists of each language's little words; a non-Latin script counts as another language.
 */
export type Language = 'fr' | 'en' | 'other' | 'unknown';

const words = (list: string) => new Set(list.split(' '));

const FRENCH = words(
  'je tu il elle nous vous on ils elles le la les un une des de du et est sont suis ai avez pour dans que qui se ' +
    'quand comment ou mon ma mes votre vos pas ne ce cette au aux avec sur bonjour merci compte voter mot passe ' +
    'oui non mais donc jusqu quel quelle quels est-ce faut peux puis dois lien messagerie adresse electeur ' +
    'svp stp bjr slt salut coucou madame monsieur',
);
const ENGLISH = words(
  'the is are was what when where how can could my you your to do does have has voting please hello hi ' +
    'thanks thank with for of and it this that will would which who why should account create password until ' +
    'deadline received receive email link help need want does not dont cannot yes did done already sorry ' +
    'speak french english understand very well know just get got sure mean from abroad online ' +
    'be am if in at by all any there here about after before morning evening dear mandatory compulsory ' +
    'teacher teachers school election elections still open opens closes start starts end ends register',
);
/** Spanish, Italian, German, Portuguese: enough to say « in French, please » to the few who write so. */
const OTHERS = words(
  'el los las qué que cómo cuándo dónde puedo mi cuenta votar hola gracias por favor contraseña correo ' +
    'il gli come quando dove posso mio ciao grazie ich du ist wie wann wo kann mein hallo danke bitte und ' +
    'nicht eu meu minha olá obrigado obrigada senha você',
);

export function languageOf(text: string): Language {
  const sample = text.slice(0, 1_000);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return 'unknown';
  const latin = sample.match(/\p{Script=Latin}/gu)?.length ?? 0;
  if (latin / letters < 0.5) return 'other';
  const tokens = sample
    .toLowerCase()
    .normalize('NFC')
    .split(/[^\p{L}'’-]+/u)
    .map((w) => w.replace(/^[a-z]['’]/, '').replace(/['’]/g, ''))
    .filter((w) => w.length >= 2);
  if (tokens.length < 2) return 'unknown';
  const folded = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '');
  const fr = tokens.filter((w) => FRENCH.has(folded(w))).length;
  // « I » alone is English (« Can I vote from abroad? »); French has no one-letter word « I ».
  const en = tokens.filter((w) => ENGLISH.has(w)).length + (/(?:^|\s)I(?=[\s'’]|$)/.test(sample) ? 1 : 0);
  const other = tokens.filter((w) => OTHERS.has(w) && !FRENCH.has(folded(w))).length;
  if (en >= 2 && en > fr) return 'en';
  if (other >= 2 && other > fr && other > en) return 'other';
  return fr > 0 ? 'fr' : 'unknown';
}

import { MASK } from '../mask';
import { maskCandidatePasswords } from './candidate-password';
import { DEFAULT_WEIGHTS, extractFeatures, type FeatureWeights, tokenize } from './features';
import { INTENTS, type Intent } from './intents';
import { maskNumen } from './numen';
import { withoutPoliteness } from './politeness';
import type { TrainingSet } from './training';

/**
 * Offline intent recognizer: multinomial logistic regression (softmax) over word, word-bigram and
 * character n-gram features, trained at construction by seeded stochastic gradient descent.
 *
 * Why this model: a few hundred phrases per project is too little for anything deeper, the features
 * already carry the typo tolerance, and a linear softmax gives scores that sum to 1 and can be read as a
 * confidence — which is what decides between answering and asking a clarifying question.
 */

export interface ScoredIntent {
  readonly intent: Intent;
  readonly score: number;
}

export interface Recognition {
  /** The message with any NUMEN or candidate password masked: safe to log, trace or store. */
  readonly text: string;
  /** Every known intent, best first; scores are in [0, 1] and sum to 1. */
  readonly intents: ScoredIntent[];
  readonly top: Intent;
  readonly score: number;
  /** False when the top score is low or too close to the second: ask rather than guess. */
  readonly confident: boolean;
  /** The top intent when confident; otherwise 2–3 answerable topics to offer as choices. */
  readonly candidates: Intent[];
}

export interface Recognizer {
  recognize(text: string): Recognition;
  /** The intents this recognizer can return (those of its training set), in INTENTS order. */
  readonly intents: readonly Intent[];
}

export interface RecognizerOptions {
  /** Minimum top score for a confident answer. */
  readonly threshold?: number;
  /** Minimum gap between the top score and the second. */
  readonly margin?: number;
  /** How the model is trained (tests and `npm run eval:nlu -- --tune` compare settings). */
  readonly training?: TrainingParams;
}

/**
 * Chosen on the team's own held-out data, never on the dev corpus: 5-fold cross-validation of
 * locales/fr/training.json (`npm run eval:nlu -- --tune`). Raising the threshold from 0.50 to 0.55 turned
 * into questions answers that were wrong 15 times out of 25; from 0.55 to 0.60, 12 out of 30. So 0.55 is
 * where a guess stops being better than a question. The margin of 0.10 catches near ties above it.
 */
export const DEFAULT_THRESHOLD = 0.55;
export const DEFAULT_MARGIN = 0.1;

/** What a teacher can be offered as a choice: nothing to clarify in a greeting or a « merci ». */
const NOT_A_CHOICE: ReadonlySet<Intent> = new Set(['greeting', 'smalltalk', 'off_topic']);

/** Shown in Recognition.text instead of a NUMEN: the same mask as the NUMEN guard middleware's. */

/**
 * Only the start of a message is read: a question fits in far less, and a pasted page must not cost
 * more than a question does.
 */
const MAX_CHARS = 1000;

export interface TrainingParams {
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty per example: keeps weights small so that unusual messages get spread-out scores. */
  readonly l2: number;
  readonly seed: number;
  readonly features: FeatureWeights;
}

/**
 * 20 epochs at half the rate of the first model (10 at 10): with the phrases of issue 14, the shorter
 * run's figures moved by 3 to 5 points on the older unseen set when a handful of phrases changed; the
 * longer, gentler one is steadier and better on cross-validation (86.0 % against 85.6 %).
 */
export const DEFAULT_TRAINING: TrainingParams = {
  epochs: 20,
  learningRate: 5,
  l2: 1e-4,
  seed: 20141204,
  features: DEFAULT_WEIGHTS,
};

/** mulberry32: a tiny seeded generator, so that two trainings on the same phrases give the same model. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SparseExample {
  readonly indices: Int32Array;
  readonly values: Float64Array;
  readonly label: number;
}

/** A trained softmax model: `weights[feature * classes + k]`, plus one bias per class. */
export interface SoftmaxModel {
  readonly intents: readonly Intent[];
  readonly vocabulary: ReadonlyMap<string, number>;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  readonly features: FeatureWeights;
}

export function trainModel(training: TrainingSet, params: TrainingParams = DEFAULT_TRAINING): SoftmaxModel {
  const intents = INTENTS.filter((intent) => (training[intent]?.length ?? 0) > 0);
  if (intents.length < 2) throw new Error('Il faut des phrases pour au moins deux intentions.');
  const classes = intents.length;
  const vocabulary = new Map<string, number>();
  const examples: SparseExample[] = [];
  intents.forEach((intent, label) => {
    for (const phrase of training[intent] ?? []) {
      const features = extractFeatures(tokenize(phrase), params.features);
      const indices = new Int32Array(features.size);
      const values = new Float64Array(features.size);
      let i = 0;
      for (const [name, value] of features) {
        let index = vocabulary.get(name);
        if (index === undefined) {
          index = vocabulary.size;
          vocabulary.set(name, index);
        }
        indices[i] = index;
        values[i] = value;
        i += 1;
      }
      examples.push({ indices, values, label });
    }
  });

  // Classes are weighted so that the confusable intents, which have more phrases on purpose, do not
  // also get a higher prior: an unknown message should not lean towards them.
  const counts = new Float64Array(classes);
  for (const e of examples) counts[e.label] = (counts[e.label] ?? 0) + 1;
  const classWeight = Array.from(counts, (n) => examples.length / (classes * n));

  // The weights are stored as scale × v so that the L2 shrinkage of every weight, at every step, is one
  // multiplication of `scale` instead of a pass over the whole matrix.
  const v = new Float64Array(vocabulary.size * classes);
  const bias = new Float64Array(classes);
  let scale = 1;
  const random = seededRandom(params.seed);
  const order = examples.map((_, i) => i);
  const probabilities = new Float64Array(classes);
  const activeClass = new Int32Array(classes);
  const activeStep = new Float64Array(classes);
  let step = 0;

  for (let epoch = 0; epoch < params.epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    for (const at of order) {
      const example = examples[at];
      if (example === undefined) continue;
      const rate = params.learningRate / (1 + step / examples.length);
      step += 1;
      scoresInto(probabilities, example.indices, example.values, v, scale, bias, classes);
      softmaxInPlace(probabilities);
      const weight = classWeight[example.label] ?? 1;
      scale *= 1 - rate * params.l2;
      // Only the classes with a real gradient are updated: once a phrase is learnt, most probabilities
      // are near 0 for the wrong classes, and their updates would change nothing but the time taken.
      let active = 0;
      for (let k = 0; k < classes; k += 1) {
        const gradient = ((probabilities[k] ?? 0) - (k === example.label ? 1 : 0)) * weight * rate;
        if (Math.abs(gradient) < 1e-5) continue;
        bias[k] = (bias[k] ?? 0) - gradient;
        activeClass[active] = k;
        activeStep[active] = gradient / scale;
        active += 1;
      }
      const { indices, values } = example;
      for (let f = 0; f < indices.length; f += 1) {
        const row = (indices[f] ?? 0) * classes;
        const x = values[f] ?? 0;
        for (let a = 0; a < active; a += 1) {
          const cell = row + (activeClass[a] ?? 0);
          v[cell] = (v[cell] ?? 0) - (activeStep[a] ?? 0) * x;
        }
      }
      if (scale < 1e-6) {
        for (let c = 0; c < v.length; c += 1) v[c] = (v[c] ?? 0) * scale;
        scale = 1;
      }
    }
  }
  for (let c = 0; c < v.length; c += 1) v[c] = (v[c] ?? 0) * scale;
  return { intents, vocabulary, weights: v, bias, features: params.features };
}

function scoresInto(
  out: Float64Array,
  indices: Int32Array,
  values: Float64Array,
  weights: Float64Array,
  scale: number,
  bias: Float64Array,
  classes: number,
): void {
  for (let k = 0; k < classes; k += 1) out[k] = 0;
  for (let f = 0; f < indices.length; f += 1) {
    const row = (indices[f] ?? 0) * classes;
    const x = (values[f] ?? 0) * scale;
    for (let k = 0; k < classes; k += 1) out[k] = (out[k] ?? 0) + (weights[row + k] ?? 0) * x;
  }
  for (let k = 0; k < classes; k += 1) out[k] = (out[k] ?? 0) + (bias[k] ?? 0);
}

function softmaxInPlace(z: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const value of z) max = Math.max(max, value);
  let sum = 0;
  for (let k = 0; k < z.length; k += 1) {
    const e = Math.exp((z[k] ?? 0) - max);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k += 1) z[k] = (z[k] ?? 0) / sum;
}

/**
 * Words that say how a question is asked, not what it is about: a message made only of them (« quand ? »,
 * « pk ? », « et vous ? ») cannot be answered with confidence, whatever the scores say.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'le la les de du des un une ce cet cette ces est et ou a au aux en dans pour par sur avec je tu il elle ' +
    'on nous vous ils elles me te se moi toi mon ma mes ton ta tes son sa ses notre votre nos vos leur ne pas ' +
    'plus que qui quoi quand comment pourquoi quel quelle quels quelles combien y donc alors mais si ca cela ?'
  ).split(' '),
);

export interface Prediction {
  /** Softmax scores, in the model's intent order. */
  readonly scores: Float64Array;
  /** How many known words carry a topic (not only function words). */
  readonly knownContent: number;
}

/** Softmax scores of `text` under `model`. */
export function predict(model: SoftmaxModel, text: string): Prediction {
  return predictTokens(model, tokenize(text.slice(0, MAX_CHARS)));
}

/**
 * Softmax scores of a message read without its polite frame (politeness.ts), when it has one and what
 * is left asks something: « Bonjour madame, est-on obligé de voter ? » is about voting, however many
 * greetings the model has seen begin with « Bonjour ». A frame around nothing that asks (« Bonjour, je
 * suis enseignante ») keeps the reading of the whole message.
 */
function predictMessage(model: SoftmaxModel, text: string): Prediction {
  const tokens = tokenize(text.slice(0, MAX_CHARS));
  const whole = predictTokens(model, tokens);
  const bare = withoutPoliteness(tokens);
  if (bare === tokens) return whole;
  const inside = predictTokens(model, bare);
  if (inside.knownContent === 0) return whole;
  const top = topOf(model, inside.scores);
  if (SOCIAL.has(top)) return whole;
  // The rest asks something, and says it clearly enough; else the frame is what the message is.
  return SOCIAL.has(topOf(model, whole.scores)) && maxOf(inside.scores) < INSIDE_SURE ? whole : inside;
}

/** What a polite frame alone may mean: the frame cannot make a question one of these. */
const SOCIAL: ReadonlySet<Intent> = new Set(['greeting', 'smalltalk']);

/** How sure the reading without the frame must be to overrule a greeting read in the whole message. */
const INSIDE_SURE = 0.5;

function maxOf(scores: Float64Array): number {
  let max = 0;
  for (const score of scores) max = Math.max(max, score);
  return max;
}

function topOf(model: SoftmaxModel, scores: Float64Array): Intent {
  let best = 0;
  for (let k = 1; k < scores.length; k += 1) if ((scores[k] ?? 0) > (scores[best] ?? 0)) best = k;
  return model.intents[best] ?? 'help';
}

function predictTokens(model: SoftmaxModel, tokens: readonly string[]): Prediction {
  const classes = model.intents.length;
  const features = extractFeatures(tokens, model.features);
  const indices: number[] = [];
  const values: number[] = [];
  for (const [name, value] of features) {
    const index = model.vocabulary.get(name);
    if (index === undefined) continue;
    indices.push(index);
    values.push(value);
  }
  const knownContent = tokens.filter(
    (token) => !FUNCTION_WORDS.has(token) && model.vocabulary.has(`w:${token}`),
  ).length;
  const scores = new Float64Array(classes);
  scoresInto(
    scores,
    Int32Array.from(indices),
    Float64Array.from(values),
    model.weights,
    1,
    model.bias,
    classes,
  );
  softmaxInPlace(scores);
  return { scores, knownContent };
}

function candidatesOf(ranked: readonly ScoredIntent[]): Intent[] {
  const choices = ranked.filter((r) => !NOT_A_CHOICE.has(r.intent));
  const [first, second, third] = choices;
  const out: Intent[] = [];
  if (first) out.push(first.intent);
  if (second) out.push(second.intent);
  // A third choice only when it is nearly as plausible as the second: a long menu is no clarification.
  if (third && second && third.score >= second.score / 2) out.push(third.intent);
  return out;
}

export function createRecognizer(training: TrainingSet, options: RecognizerOptions = {}): Recognizer {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const margin = options.margin ?? DEFAULT_MARGIN;
  const model = trainModel(training, options.training);

  function recognize(text: string): Recognition {
    const { scores, knownContent } = predictMessage(model, text);
    const ranked = model.intents
      .map((intent, k) => ({ intent, score: scores[k] ?? 0 }))
      .sort((a, b) => b.score - a.score || model.intents.indexOf(a.intent) - model.intents.indexOf(b.intent));
    const best = ranked[0] ?? { intent: model.intents[0] ?? 'help', score: 0 };
    const second = ranked[1]?.score ?? 0;
    // No known topic word (empty, emoji, gibberish, « quand ? »): the scores are mostly the biases.
    const confident = knownContent > 0 && best.score >= threshold && best.score - second >= margin;
    return {
      text: maskCandidatePasswords(maskNumen(text, MASK), MASK),
      intents: ranked,
      top: best.intent,
      score: best.score,
      confident,
      candidates: confident ? [best.intent] : candidatesOf(ranked),
    };
  }

  return { recognize, intents: model.intents };
}

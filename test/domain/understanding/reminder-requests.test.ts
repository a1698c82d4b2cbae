import assert from 'node:assert/strict';
import { reminderRequestOf, statementOf } from '../../../src/domain/understanding/statements';

describe('reminderRequestOf (issue 15 reminders)', () => {
  const remind = [
    'Prévenez-moi quand le vote ouvre',
    'prévenez moi quand le vote ouvre !',
    'Rappelez-moi de voter',
    'rappelle moi de voter stp',
    'Envoyez-moi un rappel',
    'je voudrais un rappel',
    'Me prévenir à l’ouverture du vote',
    "Me prévenir à l'ouverture du vote",
    'Pouvez-vous me prévenir quand le vote ouvrira ?',
    "vous pouvez me faire signe à l'ouverture du scrutin ?",
    'Avertissez-moi avant la clôture du vote',
    'PREVENEZ MOI POUR LE VOTE',
  ];
  for (const text of remind)
    it(`asks for the vote reminders: « ${text} »`, () => assert.equal(reminderRequestOf(text), 'remindVote'));

  const stop = [
    'stop',
    'Stop',
    'STOP !',
    'arrêtez les rappels',
    'Arrêtez vos rappels svp',
    'plus de rappels',
    'Je ne veux plus de rappels, merci',
    'ne me prévenez pas',
    'ne me relancez plus',
    'désactivez les notifications',
  ];
  for (const text of stop)
    it(`stops the reminders: « ${text} »`, () => assert.equal(reminderRequestOf(text), 'stopReminders'));

  const neither = [
    'quand le vote ouvre-t-il ?',
    'comment voter ?',
    "j'ai voté",
    'rappelez-moi mon mot de passe',
    "je n'ai pas reçu de rappel",
    'je voudrais créer mon compte',
    'le vote ouvre quand ?',
    'Cheval Correct Batterie Agrafe',
  ];
  for (const text of neither)
    it(`asks nothing of the reminders: « ${text} »`, () => assert.equal(reminderRequestOf(text), undefined));

  it('leaves « j’ai voté » to the statements (which cancel the closing reminder)', () => {
    assert.equal(statementOf("j'ai voté"), 'voted');
    assert.equal(statementOf("je n'ai pas encore voté"), undefined);
  });

  it('reads nothing in a very long message', () => {
    assert.equal(reminderRequestOf(`prévenez-moi quand le vote ouvre ${'x'.repeat(600)}`), undefined);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { AgentScope } from '../../../src/domain/helpdesk/scope';
import { isAppError } from '../../../src/errors';
import { t } from '../../../src/i18n';

const PROFILES: Record<string, readonly string[]> = {
  paris: ['ac-paris.fr'],
  normandie: ['ac-normandie.fr', 'ac-caen.fr', 'ac-rouen.fr'],
};
const domainsOfAcademie = (id: string) => PROFILES[id] ?? [];

describe('AgentScope', () => {
  const paris = AgentScope.within(['ac-paris.fr'], domainsOfAcademie);
  const everywhere = AgentScope.everywhere(domainsOfAcademie);

  it('allows an address of its domains, whatever its case, and refuses the others', () => {
    assert.ok(paris.allows('claire.martin@ac-paris.fr'));
    assert.ok(paris.allows('Claire.Martin@AC-Paris.FR'));
    assert.ok(!paris.allows('paul.durand@ac-creteil.fr'));
    // A domain that only ends like one of the scope's is another domain.
    assert.ok(!paris.allows('x@faux-ac-paris.fr'));
    assert.ok(!paris.allows('x@ac-paris.fr.example.com'));
    // The last @ decides, as mail does.
    assert.ok(!paris.allows('x@ac-paris.fr@ac-creteil.fr'));
    assert.ok(!paris.allows('pas une adresse'));
  });

  it('places a conversation by its address and by its académie profile, either one enough', () => {
    assert.ok(paris.allows({ email: 'a@ac-paris.fr' }));
    assert.ok(paris.allows({ academie: 'paris' }));
    // A teacher of Créteil on Paris's page concerns both helpdesks.
    assert.ok(paris.allows({ email: 'a@ac-creteil.fr', academie: 'paris' }));
    assert.ok(!paris.allows({ academie: 'normandie' }));
    assert.ok(AgentScope.within(['ac-caen.fr'], domainsOfAcademie).allows({ academie: 'normandie' }));
    // A profile this deployment does not know has no domain.
    assert.ok(!paris.allows({ academie: 'atlantide' }));
  });

  it('without a profile lookup, an académie alone places the conversation nowhere', () => {
    const bare = AgentScope.within(['ac-paris.fr']);
    assert.ok(!bare.allows({ academie: 'paris' }));
    assert.ok(bare.allows({ email: 'a@ac-paris.fr', academie: 'paris' }));
  });

  it('leaves a conversation of no known académie to the agents of every académie', () => {
    assert.ok(!paris.allows({}));
    assert.ok(!paris.allows({ email: null }));
    assert.ok(everywhere.allows({}));
    assert.ok(everywhere.allows('n.importe@ou.fr'));
  });

  it('filters a list, keeping its order', () => {
    const found = [
      { id: 1, email: 'a@ac-paris.fr' },
      { id: 2, email: 'b@ac-creteil.fr' },
      { id: 3 },
      { id: 4, academie: 'paris' },
    ];
    assert.deepEqual(
      paris.visible(found).map((f) => f.id),
      [1, 4],
    );
    assert.deepEqual(
      everywhere.visible(found).map((f) => f.id),
      [1, 2, 3, 4],
    );
  });

  it('compares scopes and domains: a colleague’s scope is covered when it lies within', () => {
    const est = AgentScope.within(['ac-paris.fr', 'ac-creteil.fr', 'ac-paris.fr']);
    assert.deepEqual(est.domains, ['ac-creteil.fr', 'ac-paris.fr']);
    assert.ok(est.covers(['ac-paris.fr']));
    assert.ok(est.covers(['ac-creteil.fr', 'ac-paris.fr']));
    assert.ok(!paris.covers(['ac-creteil.fr', 'ac-paris.fr']));
    assert.ok(paris.allowsDomain('AC-PARIS.FR'));
    assert.ok(!paris.allowsDomain('ac-creteil.fr'));
    assert.ok(everywhere.covers(['ac-creteil.fr']));
    assert.equal(everywhere.restricted, false);
    assert.equal(paris.restricted, true);
    assert.equal(everywhere.domains, undefined);
  });

  it('require: OUT_OF_SCOPE (403) naming the target for the audit and the agent’s domains for the message', () => {
    assert.doesNotThrow(() => paris.require('a@ac-paris.fr', 'email:a@ac-paris.fr'));
    assert.throws(
      () => paris.require({ email: 'b@ac-creteil.fr' }, 'webchat/conv-1'),
      (error: unknown) =>
        isAppError(error, 'OUT_OF_SCOPE') &&
        error.status === 403 &&
        error.data?.target === 'webchat/conv-1' &&
        /hors de votre périmètre.*\(ac-paris\.fr\)/i.test(t(error.messageKey, error.messageParams)),
    );
  });
});

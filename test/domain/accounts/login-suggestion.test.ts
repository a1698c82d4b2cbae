import assert from 'node:assert/strict';
import { suggestLogin } from '../../../src/domain/accounts/login-suggestion';

describe('suggestLogin', () => {
  it('takes the first letter of the first name and the last name, in lowercase', () => {
    assert.equal(suggestLogin('Florent Durand'), 'fdurand');
    assert.equal(suggestLogin('Jean Dupont'), 'jdupont');
  });

  it('uses the initial of a hyphenated first name only', () => {
    assert.equal(suggestLogin('Jean-Pierre Martin'), 'jmartin');
  });

  it('removes accents', () => {
    assert.equal(suggestLogin('Élodie Bérégovoy'), 'eberegovoy');
    assert.equal(suggestLogin('Œdipe Cœur'), 'ocoeur');
  });

  it('joins the last name, dropping spaces, apostrophes and hyphens', () => {
    assert.equal(suggestLogin('Hélène Le Goff'), 'hlegoff');
    assert.equal(suggestLogin('Jeanne d’Arc'), 'jdarc');
    assert.equal(suggestLogin("Jeanne d'Arc"), 'jdarc');
    assert.equal(suggestLogin('Marie Dupont-Moretti'), 'mdupontmoretti');
  });

  it('understands the administrative order « NOM Prénom »', () => {
    assert.equal(suggestLogin('DUPONT Jean'), 'jdupont');
    assert.equal(suggestLogin('LE GOFF Hélène'), 'hlegoff');
    assert.equal(suggestLogin('Jean DUPONT'), 'jdupont');
    assert.equal(suggestLogin('JEAN DUPONT'), 'jdupont');
  });

  it('ignores extra spaces and courtesy titles', () => {
    assert.equal(suggestLogin('  Jean   Dupont  '), 'jdupont');
    assert.equal(suggestLogin('Mme Martine Durand'), 'mdurand');
    assert.equal(suggestLogin('M. Jean Dupont'), 'jdupont');
  });

  it('returns null with fewer than two name parts or no letters', () => {
    assert.equal(suggestLogin(''), null);
    assert.equal(suggestLogin('Jean'), null);
    assert.equal(suggestLogin('Madame Dupont'), null);
    assert.equal(suggestLogin('Jean 123'), null);
    assert.equal(suggestLogin('--- ***'), null);
  });
});

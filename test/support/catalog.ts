// Loaded before every test file (.mocharc.json): the French catalogue, as the composition root installs it
// at start-up, for tests that render texts without building the whole app.
import { installCatalog } from '../../src/i18n';
import { readCatalog } from '../../src/infra/files/locales';

installCatalog(readCatalog());

/**
 * Prints the argon2id PHC string of a helpdesk password, for HELPDESK_USERS (`login:<this output>`):
 *   npm run --silent helpdesk:hash -- '<mot de passe>'
 * The password is NFC-normalised as the console does at login, so « é » typed either way matches.
 */
import { createArgon2Hasher } from '../src/infra/argon2-hasher';

async function main(): Promise<void> {
  const password = process.argv[2];
  if (!password || process.argv.length > 3) {
    process.stderr.write("Usage : npm run --silent helpdesk:hash -- '<mot de passe>'\n");
    process.exit(2);
  }
  if (password.length < 12) {
    process.stderr.write(
      'Choisissez un mot de passe d’au moins 12 caractères pour la console d’assistance.\n',
    );
    process.exit(2);
  }
  process.stdout.write(`${await createArgon2Hasher().hash(password.normalize('NFC'))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Échec : ${(error as Error).message}\n`);
  process.exit(1);
});

/**
 * The master keys of personal fields' encryption:
 *   npm run keys -- new-master-key <id>   prints a new entry for SAMVERKAN_MASTER_KEYS
 *   npm run keys -- rewrap                re-wraps every live key under the first (current)
 *                                         master key, after a rotation; then the old entry
 *                                         can be removed
 * On the embedded store, stop the API first (one process owns the data folder).
 */
import {
  createEventStore,
  eventStoreConfigFromEnv,
} from '../libs/event-store/src/event-store.config';
import { exitOnCliConfigurationProblems } from '../libs/event-store/src/configuration-parsers';
import { newMasterKeyEntry } from '../libs/event-store/src/protection/master-keys';
import { useCliJsonLogs } from '../libs/shared/src/logging/json-logger';
import { protectionBesideLog } from '../libs/event-store/src/database-beside-log';

async function main(): Promise<void> {
  // What the libraries log, as JSON on stderr: stdout is this tool's answer.
  useCliJsonLogs('keys', 'warn');
  const [command, id] = process.argv.slice(2);
  if (command === 'new-master-key' && id) {
    process.stdout.write(
      `${newMasterKeyEntry(id)}\n# put it first in SAMVERKAN_MASTER_KEYS, restart, run npm run keys -- rewrap, then drop the old entry\n`,
    );
    return;
  }
  if (command === 'rewrap') {
    exitOnCliConfigurationProblems();
    const store = await createEventStore(eventStoreConfigFromEnv());
    try {
      await store.start();
      const protection = protectionBesideLog(store);
      if (!protection) throw new Error('This store keeps no keys of personal fields');
      const n = await protection.keys.rewrap();
      process.stdout.write(`Re-wrapped ${n} keys under the current master key.\n`);
    } finally {
      await store.close();
    }
    return;
  }
  process.stderr.write('Usage: npm run keys -- new-master-key <id> | rewrap\n');
  process.exitCode = 2;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
});

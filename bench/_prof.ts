import { randomUUID } from 'node:crypto';
import { PgSqlClient } from '../libs/event-store/src/postgres/pg-sql-client';
import { InProcessChangeSignal } from '../libs/event-store/src/sql/change-signal';
import { SqlEventStore } from '../libs/event-store/src/sql/sql-event-store';
import { MasterKeyRing, newMasterKeyEntry } from '../libs/event-store/src/protection/master-keys';
import { protectionOn } from '../libs/event-store/src/protection/protection-on';
const url = 'postgres://postgres@127.0.0.1:5432/samverkan_bench';
const perAppend = Number(process.env.PER ?? 1);
const plain = process.env.PLAIN === '1';
async function main() {
  const client = new PgSqlClient({ connectionString: url, max: 10 });
  const store = new SqlEventStore({ adapter: 'postgres', client, signal: new InProcessChangeSignal(),
    protection: plain ? undefined : protectionOn(client, MasterKeyRing.parse(newMasterKeyEntry('bench'))) });
  if (!plain) await client.query('drop schema if exists protection cascade');
  await store.start();
  const deadline = performance.now() + 6000;
  let events = 0;
  const c0 = process.cpuUsage();
  await Promise.all(Array.from({ length: 8 }, async (_, w) => {
    const stream = `prof-${randomUUID().slice(0, 8)}-${w}`;
    let revision = -1;
    while (performance.now() < deadline) {
      await store.append(stream, Array.from({ length: perAppend }, (_, i) => ({ type: 'CommitmentActivityRecorded', data: {
        commitmentId: 'police-traffic-controls', kind: 'traffic-control', place: 'Bymiljövägen, Skoghall', date: '2024-05-17',
        agenciesPresent: 'police,municipal-security', outcome: 'Kontroll av mopeder och A-traktorer; två rapporter för trafikbrott.',
        vehiclesChecked: 42, breathTests: 38, n: revision + 1 + i } })), { expectedRevision: revision < 0 ? 'no_stream' : revision, actor: { userId: 'bench-user', agency: 'police', role: 'officer' } });
      revision += perAppend; events += perAppend;
    }
  }));
  const c = process.cpuUsage(c0);
  console.log(plain ? 'plain' : 'protected', events / 6, 'ev/s', ((c.user + c.system) / events).toFixed(1), 'µs/event node');
  await store.close();
}
main();

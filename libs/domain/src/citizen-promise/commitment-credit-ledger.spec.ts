import type { CreditedWork } from './citizen-promise.events';
import { foldCredits, type CreditRecord } from './commitment-credit-ledger';

const walk: CreditedWork = {
  kind: 'safety-walk',
  workId: 'w-1',
  doneOn: '2024-05-20',
  placeIds: ['skoghall-centrum'],
};
const picture: CreditedWork = {
  kind: 'situation-picture-confirmation',
  workId: 'c-may',
  doneOn: '2024-05-31',
  placeIds: [],
};
const credit = (
  streamId: string,
  work: CreditedWork,
  commitmentId = 'walks',
  promiseId = 'p',
): CreditRecord => ({
  streamId,
  event: { type: 'CommitmentCredited', data: { promiseId, commitmentId, work } },
});
const withdraw = (
  streamId: string,
  workId: string,
  reason: string,
  commitmentId = 'walks',
  promiseId = 'p',
): CreditRecord => ({
  streamId,
  event: { type: 'CommitmentCreditWithdrawn', data: { promiseId, commitmentId, workId, reason } },
});

describe('commitment credit ledger: every credit from every work stream', () => {
  it('given credits from several streams, then one entry each, standing, in the order first credited', () => {
    const entries = foldCredits([
      credit('safety-walk-w-1', walk),
      credit('situation-picture-hammaro', picture, 'lagesbild'),
      credit('safety-walk-w-1', walk, 'police-office'),
    ]);
    expect(entries).toEqual([
      {
        streamId: 'safety-walk-w-1',
        promiseId: 'p',
        commitmentId: 'walks',
        work: walk,
        standing: true,
        withdrawalReason: null,
      },
      expect.objectContaining({ commitmentId: 'lagesbild', work: picture, standing: true }),
      expect.objectContaining({ commitmentId: 'police-office', work: walk, standing: true }),
    ]);
  });

  it('given a credit withdrawn, then it stays listed, not standing, with the reason', () => {
    const [entry] = foldCredits([
      credit('safety-walk-w-1', walk),
      withdraw('safety-walk-w-1', 'w-1', 'Fel åtagande'),
    ]);
    expect(entry).toMatchObject({ standing: false, withdrawalReason: 'Fel åtagande' });
  });

  it('given a credit withdrawn and given again, then it stands, without the old reason, in its first place', () => {
    const entries = foldCredits([
      credit('safety-walk-w-1', walk),
      credit('situation-picture-hammaro', picture),
      withdraw('safety-walk-w-1', 'w-1', 'Fel åtagande'),
      credit('safety-walk-w-1', walk),
    ]);
    expect(entries.map((e) => [e.work.workId, e.standing, e.withdrawalReason])).toEqual([
      ['w-1', true, null],
      ['c-may', true, null],
    ]);
  });

  it('given a withdrawal of one commitment’s credit, then the same work’s credit to another commitment stands', () => {
    const entries = foldCredits([
      credit('safety-walk-w-1', walk, 'walks'),
      credit('safety-walk-w-1', walk, 'police-office'),
      withdraw('safety-walk-w-1', 'w-1', 'Fel åtagande', 'walks'),
    ]);
    expect(entries.map((e) => [e.commitmentId, e.standing])).toEqual([
      ['walks', false],
      ['police-office', true],
    ]);
  });

  it('given a withdrawal from another stream or of nothing credited, then it changes nothing', () => {
    const entries = foldCredits([
      withdraw('safety-walk-w-1', 'w-1', 'före krediteringen'),
      credit('safety-walk-w-1', walk),
      withdraw('safety-walk-w-2', 'w-1', 'annan ström'),
    ]);
    expect(entries).toEqual([expect.objectContaining({ standing: true, withdrawalReason: null })]);
  });

  it('given a promise id, then only that promise’s credits', () => {
    const entries = foldCredits(
      [
        credit('safety-walk-w-1', walk, 'walks', 'p'),
        credit('safety-walk-w-1', walk, 'walks', 'q'),
      ],
      'q',
    );
    expect(entries.map((e) => e.promiseId)).toEqual(['q']);
    expect(foldCredits([credit('safety-walk-w-1', walk, 'walks', 'p')], 'q')).toEqual([]);
  });
});

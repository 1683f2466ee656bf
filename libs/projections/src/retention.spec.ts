import type { RecordedEvent } from '@samverkan/event-store/event-store.port';
import { isPastRetention, type RetentionCutoffs } from './retention';

const event = (
  type: string,
  streamId: string,
  occurredAt: string,
  data: Record<string, unknown> = {},
): Pick<RecordedEvent, 'type' | 'data' | 'streamId' | 'occurredAt'> => ({
  type,
  streamId,
  occurredAt: new Date(occurredAt),
  data: data as RecordedEvent['data'],
});

const cutoffs: RetentionCutoffs = { 'prevention-talks': 2022, 'restricted-reports': 2023 };

describe('read models: which events are past their retention period', () => {
  it('given talks kept from 2022, a talk event of 2021 is past and one of 2022 is not', () => {
    expect(
      isPastRetention(
        event('PreventionTalkHeld', 'prevention-talk-t', '2021-06-01T10:00:00Z'),
        cutoffs,
      ),
    ).toBe(true);
    expect(
      isPastRetention(
        event('PreventionTalkHeld', 'prevention-talk-t', '2022-06-01T10:00:00Z'),
        cutoffs,
      ),
    ).toBe(false);
  });

  it('dates an event by its year in Sweden: 23:30 UTC on 31 December 2021 is 2022', () => {
    expect(
      isPastRetention(
        event('PreventionTalkHeld', 'prevention-talk-t', '2021-12-31T22:59:59Z'),
        cutoffs,
      ),
    ).toBe(true);
    expect(
      isPastRetention(
        event('PreventionTalkHeld', 'prevention-talk-t', '2021-12-31T23:30:00Z'),
        cutoffs,
      ),
    ).toBe(false);
  });

  it('counts only a restricted report: an open one is kept, whatever its year', () => {
    const at = '2020-03-01T10:00:00Z';
    const report = (sensitivity: string) =>
      event('SituationReported', 'situation-report-r', at, { sensitivity, description: 'x' });
    expect(isPastRetention(report('restricted'), cutoffs)).toBe(true);
    expect(isPastRetention(report('open'), cutoffs)).toBe(false);
    // A retraction has no class of its own: it takes nothing away.
    expect(
      isPastRetention(event('SituationReportRetracted', 'situation-report-r', at), cutoffs),
    ).toBe(false);
  });

  it('keeps everything of a class without a cutoff (before the first gallring)', () => {
    expect(
      isPastRetention(
        event('RestrictedDataRead', 'read-access-2001-01-01', '2001-01-01T10:00:00Z', {
          purpose: 'x',
        }),
        cutoffs,
      ),
    ).toBe(false);
    expect(
      isPastRetention(event('PreventionTalkHeld', 'prevention-talk-t', '1990-01-01T10:00:00Z'), {}),
    ).toBe(false);
  });
});

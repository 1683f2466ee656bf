import type { SituationReportDetails } from './situation-picture.events';
import { foldSituationPicture, type SituationPictureRecord } from './situation-picture.view';

const details: SituationReportDetails = {
  area: 'Skoghall',
  place: 'Lillängshamnen',
  problemArea: 'vandalism-burglary',
  period: { from: '2024-09-01', to: '2024-09-30' },
  trend: 'rising',
  severity: 'medium',
  description: 'Klotter',
  source: 'own-observation',
  sensitivity: 'open',
  sharedWith: [],
};
const at = (day: number) => new Date(Date.UTC(2024, 9, day));
const reported = (reportId: string, day: number): SituationPictureRecord => ({
  streamId: `situation-report-${reportId}`,
  recordedAt: at(day),
  event: { type: 'SituationReported', data: { reportId, reportingAgency: 'school', ...details } },
});

describe('situation picture view', () => {
  it('given a report and its correction, then the report is the correction, first recorded at the report', () => {
    const { place: _place, ...withoutPlace } = details;
    const state = foldSituationPicture([
      reported('r1', 1),
      {
        streamId: 'situation-report-r1',
        recordedAt: at(5),
        event: {
          type: 'SituationReportCorrected',
          data: { reason: 'fel', ...withoutPlace, severity: 'high' },
        },
      },
    ]);
    expect(state.reports).toEqual([
      expect.objectContaining({
        reportId: 'r1',
        severity: 'high',
        reportedAt: at(1),
        changedAt: at(5),
      }),
    ]);
    // A correction restates the report: a place it leaves out is gone.
    expect(state.reports[0]).not.toHaveProperty('place');
  });

  it('given a retraction, then the report stays, marked retracted', () => {
    const state = foldSituationPicture([
      reported('r1', 1),
      {
        streamId: 'situation-report-r1',
        recordedAt: at(2),
        event: { type: 'SituationReportRetracted', data: { reason: 'dubblett' } },
      },
    ]);
    expect(state.reports[0]).toMatchObject({ status: 'retracted', changedAt: at(2) });
  });

  it('given reports and confirmed pictures in any order, then both come in a fixed order', () => {
    const confirmed = (confirmationId: string, meetingOn: string): SituationPictureRecord => ({
      streamId: 'situation-picture-hammaro',
      recordedAt: at(9),
      event: {
        type: 'SituationPictureConfirmed',
        data: {
          confirmationId,
          meetingOn,
          period: details.period,
          reportIds: ['r1'],
          summary: 'ok',
        },
      },
    });
    const state = foldSituationPicture([
      reported('r2', 1),
      confirmed('m2', '2024-11-15'),
      reported('r1', 2),
      confirmed('m1', '2024-10-15'),
    ]);
    expect(state.reports.map((r) => r.reportId)).toEqual(['r1', 'r2']);
    expect(state.confirmations.map((c) => c.confirmationId)).toEqual(['m1', 'm2']);
  });
});

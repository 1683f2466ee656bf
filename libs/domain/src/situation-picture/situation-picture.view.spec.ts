import type { SituationReportDetails } from './situation-picture.events';
import { foldSituationPicture, type SituationPictureRecord } from './situation-picture.view';

const details: SituationReportDetails = {
  placeIds: ['lillangshamnen'],
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
    const state = foldSituationPicture([
      reported('r1', 1),
      {
        streamId: 'situation-report-r1',
        recordedAt: at(5),
        event: {
          type: 'SituationReportCorrected',
          data: { reason: 'fel', ...details, placeIds: ['skoghall-centrum'], severity: 'high' },
        },
      },
    ]);
    expect(state.reports).toEqual([
      expect.objectContaining({
        reportId: 'r1',
        placeIds: ['skoghall-centrum'],
        severity: 'high',
        reportedAt: at(1),
        changedAt: at(5),
      }),
    ]);
  });

  it('given a report from before the register with an unresolved place, then a correction naming places clears it', () => {
    const legacy: SituationPictureRecord = {
      streamId: 'situation-report-r1',
      recordedAt: at(1),
      event: {
        type: 'SituationReported',
        data: {
          reportId: 'r1',
          reportingAgency: 'police',
          ...details,
          placeIds: ['skoghall-centrum'],
          unresolvedPlace: 'Bryggan vid kiosken',
        },
      },
    };
    expect(foldSituationPicture([legacy]).reports[0]).toMatchObject({
      unresolvedPlace: 'Bryggan vid kiosken',
    });
    const state = foldSituationPicture([
      legacy,
      {
        streamId: 'situation-report-r1',
        recordedAt: at(3),
        event: {
          type: 'SituationReportCorrected',
          data: { reason: 'Platsen registrerad', ...details },
        },
      },
    ]);
    expect(state.reports[0]).toMatchObject({ placeIds: ['lillangshamnen'] });
    expect(state.reports[0]).not.toHaveProperty('unresolvedPlace');
  });

  it('given credits in the situation picture’s stream, then the picture is unchanged', () => {
    const confirmed: SituationPictureRecord = {
      streamId: 'situation-picture-hammaro',
      recordedAt: at(9),
      event: {
        type: 'SituationPictureConfirmed',
        data: {
          confirmationId: 'm1',
          meetingOn: '2024-10-15',
          period: details.period,
          reportIds: ['r1'],
          summary: 'ok',
        },
      },
    };
    const credit: SituationPictureRecord = {
      streamId: 'situation-picture-hammaro',
      recordedAt: at(10),
      event: {
        type: 'CommitmentCredited',
        data: {
          promiseId: 'p',
          commitmentId: 'lagesbild',
          work: {
            kind: 'situation-picture-confirmation',
            workId: 'm1',
            doneOn: '2024-10-15',
            placeIds: [],
          },
        },
      },
    };
    expect(foldSituationPicture([reported('r1', 1), confirmed, credit])).toEqual(
      foldSituationPicture([reported('r1', 1), confirmed]),
    );
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

import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMayIssue } from '@samverkan/domain/access-policy/access-policy';
import type {
  ConfirmSituationPicture,
  ReportStatus,
  SituationReportCommand,
} from '@samverkan/domain/situation-picture/situation-picture.commands';
import { situationPictureDecider } from '@samverkan/domain/situation-picture/situation-picture.decider';
import {
  situationPictureStream,
  situationReportStream,
} from '@samverkan/domain/situation-picture/situation-picture.events';
import { situationReportDecider } from '@samverkan/domain/situation-picture/situation-report.decider';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { partnershipId } from '../agencies/partnership.command-handler';
import type { CommandMeta } from '../commands/command-meta';
import { loadStream, runDecider } from '../commands/decider-runner';
import type { WriteResult } from '../commands/write-result';
import { recordKeyIdsOf } from '@samverkan/event-store/protection/field-protection';
import { LOG_ACCESS, type LogAccess } from '@samverkan/event-store/log-access.port';
import { requireLogAccess } from '../personal-data/require-log-access';
import { PlacesRegister } from '../places/places-register';

/** A command on one situation report, as it travels on the command bus. */
export class HandleSituationReportCommand {
  constructor(
    readonly reportId: string,
    readonly command: SituationReportCommand,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(HandleSituationReportCommand)
export class SituationReportCommandHandler implements ICommandHandler<
  HandleSituationReportCommand,
  WriteResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly places: PlacesRegister,
    @Inject(LOG_ACCESS) private readonly logAccess: LogAccess | null,
  ) {}

  async execute({ reportId, command, meta }: HandleSituationReportCommand): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'situation-picture');
    if (command.type !== 'RetractSituationReport') {
      await this.places.assertKnown([{ path: 'placeIds', placeIds: command.placeIds }]);
    }
    const streamId = situationReportStream(reportId);
    const result = await runDecider(this.store, situationReportDecider, streamId, command, meta);
    if (command.type === 'CorrectSituationReport' && command.redactsEarlierText === true) {
      await redactEarlierText(
        requireLogAccess(this.logAccess),
        streamId,
        result,
        meta.correlationId,
      );
    }
    return result;
  }
}

/**
 * Redaction: the text of every earlier version of the report (the report and the corrections
 * before this one) becomes unreadable for good, by destroying those events' own record keys,
 * never the period's, which other reports share. After the correction is appended: a failed
 * append must not have destroyed anything; a failure here is retried by correcting again.
 */
async function redactEarlierText(
  access: LogAccess,
  streamId: string,
  result: WriteResult,
  correlationId: string,
): Promise<void> {
  const correction = result.events[result.events.length - 1]!;
  const earlier = await access.storedRecords({
    streamId,
    types: ['SituationReported', 'SituationReportCorrected'],
    beforePosition: correction.globalPosition,
  });
  await access.keys.destroy(
    earlier.flatMap((e) => recordKeyIdsOf(e.data)),
    'redacted',
    correlationId,
  );
}

/**
 * A confirmation of the partnership's picture, as it travels on the command bus: without the
 * status of the reports it names, which the handler reads from their streams.
 */
export class ConfirmSituationPictureMessage {
  constructor(
    readonly command: Omit<ConfirmSituationPicture, 'reports'>,
    readonly meta: CommandMeta,
  ) {}
}

@CommandHandler(ConfirmSituationPictureMessage)
export class ConfirmSituationPictureHandler implements ICommandHandler<
  ConfirmSituationPictureMessage,
  WriteResult
> {
  /** The picture stream of the partnership this deployment serves, read once at start. */
  private readonly streamId: string;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {
    this.streamId = situationPictureStream(partnershipId());
  }

  async execute({ command, meta }: ConfirmSituationPictureMessage): Promise<WriteResult> {
    assertMayIssue(meta.actor, 'situation-picture');
    // The one read besides the stream decided on: the named reports' status, so the decider
    // (pure) can refuse a picture resting on reports that do not exist or were retracted.
    const reports: ReportStatus[] = [];
    for (const reportId of new Set(command.reportIds)) {
      const { state } = await loadStream(
        this.store,
        situationReportDecider,
        situationReportStream(reportId),
      );
      reports.push({ reportId, status: state.status });
    }
    return runDecider(
      this.store,
      situationPictureDecider,
      this.streamId,
      { ...command, reports },
      meta,
    );
  }
}

import { Controller, Get, Headers, Logger, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@samverkan/domain/actor';
import { integerSetting } from '@samverkan/shared/configuration/read-setting';
import type { Response } from 'express';
import { Authenticator } from '../auth/authenticator';
import type { AuthenticatedRequest } from '../auth/current-actor.decorator';
import { LiveNotifications, type LiveNotification } from './live-notifications';

/** How often a live stream asks again who its reader is (sign-out, a revoked role). */
export const liveRecheckSeconds = (env: NodeJS.ProcessEnv = process.env): number =>
  integerSetting(env, 'SAMVERKAN_LIVE_RECHECK_SECONDS');

/**
 * Server-sent events for the browser: a notification (type, stream, position) for each event
 * its reader may read, never content, so the page fetches what changed through the API's
 * access-checked routes. Resumable with Last-Event-ID. The reader is authenticated again every
 * SAMVERKAN_LIVE_RECHECK_SECONDS and with each event; when the session has ended or the role is
 * no longer held, the stream says so and closes.
 */
@ApiTags('live')
@ApiBearerAuth('bearer')
@Controller('live')
export class LiveController {
  private readonly logger = new Logger('Live');
  private readonly recheckMs = liveRecheckSeconds() * 1000;
  private readonly open = new Set<() => void>();

  constructor(
    private readonly live: LiveNotifications,
    private readonly authenticator: Authenticator,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Server-sent events: `notification` (type, streamId, position) for what you may read; resumable with Last-Event-ID; ends with `end` when your session or role does',
  })
  @ApiProduces('text/event-stream')
  async stream(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Headers('last-event-id') lastEventId: string | undefined,
  ): Promise<void> {
    let reader: Actor | undefined = req.actor;
    const role = reader?.role;
    const after = /^\d{1,15}$/.test(lastEventId ?? '') ? Number(lastEventId) : undefined;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(`retry: 5000\n\n`);

    let ended = false;
    let listening: { stop: () => void } | undefined = undefined;
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      clearInterval(recheck);
      listening?.stop();
      this.open.delete(close);
      if (!res.writableEnded) {
        res.write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
        res.end();
      }
    };
    const close = () => end('shutting-down');
    this.open.add(close);
    // Every few seconds, and on each event: is this still the same reader, in the same role?
    // One check at a time: a burst of events asks once more after the check under way, not
    // once per event.
    let checking: Promise<void> | undefined;
    let again = false;
    const check = async () => {
      try {
        const caller = await this.authenticator.authenticate(req);
        if (!caller?.actor || caller.actor.role !== role) {
          reader = undefined;
          end(caller ? 'role-revoked' : 'signed-out');
        }
      } catch {
        reader = undefined;
        end('signed-out');
      }
    };
    const stillReader = (): void => {
      if (checking) {
        again = true;
        return;
      }
      checking = check().finally(() => {
        checking = undefined;
        if (again && !ended) {
          again = false;
          stillReader();
        }
      });
    };
    const recheck = setInterval(() => {
      if (!res.writableEnded) res.write(': still here\n\n');
      stillReader();
    }, this.recheckMs);
    req.on('close', () => end('closed'));

    const send = (n: LiveNotification) => {
      if (ended) return;
      res.write(`id: ${n.position}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
      // The register may have changed with this very event: ask before the next one.
      stillReader();
    };
    const heard = await this.live.listen(() => reader, after, send);
    listening = heard;
    if (heard.reset) res.write(`event: reset\ndata: {}\n\n`);
    if (ended) heard.stop();
    this.logger.debug(`Live stream opened for ${reader?.agency ?? 'nobody'}`);
  }

  /** On shutdown: every live stream says so and closes, so browsers reconnect elsewhere. */
  onModuleDestroy(): void {
    for (const close of [...this.open]) close();
  }
}

import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { LOG_ACCESS, type LogAccess } from '@samverkan/event-store/log-access.port';
import { mergeMap, type Observable } from 'rxjs';

/**
 * Read models keep personal fields as sealed texts (see the projection runner): this reveals
 * them in every JSON answer, after the route has decided what the caller may see. A field
 * whose key was destroyed reads as the marker of why (`[raderad]`, `[borttagen vid rättelse]`,
 * `[gallrad]`). Answers that are files (PDF, Word, CSV) are built from folds of the log, which
 * the store reveals itself.
 */
@Injectable()
export class RevealSealedInterceptor implements NestInterceptor {
  constructor(@Inject(LOG_ACCESS) private readonly logAccess: LogAccess | null) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const fields = this.logAccess?.fields;
    if (!fields) return next.handle();
    return next
      .handle()
      .pipe(
        mergeMap((body: unknown) =>
          typeof body === 'object' && body !== null && !Buffer.isBuffer(body)
            ? fields.revealSealedTexts(body)
            : Promise.resolve(body),
        ),
      );
  }
}

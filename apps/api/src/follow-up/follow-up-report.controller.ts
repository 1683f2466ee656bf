import { Controller, Get, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertMayRead } from '@samverkan/domain/access-policy/access-policy';
import type { Actor } from '@samverkan/domain/actor';
import { notFound } from '@samverkan/domain/domain-error';
import { boardReport } from '@samverkan/domain/follow-up/board-report';
import { EVENT_STORE, type EventStore } from '@samverkan/event-store/event-store.port';
import { renderDocx } from '@samverkan/reporting/docx-renderer';
import { followUpDocument, localizedFollowUpReport } from '@samverkan/reporting/follow-up-document';
import type { Language } from '@samverkan/reporting/follow-up-labels';
import { renderMarkdown } from '@samverkan/reporting/markdown-renderer';
import { renderPdf } from '@samverkan/reporting/pdf-renderer';
import type { Clock } from '@samverkan/shared/clock';
import { InvalidInputError, type InvalidField } from '@samverkan/shared/errors';
import type { Response } from 'express';
import { partnershipId } from '../agencies/partnership.command-handler';
import { CurrentActor } from '../auth/current-actor.decorator';
import { CLOCK } from '../commands/request-meta';
import { SlugPipe } from '../problems/slug.pipe';
import { AS_OF_DESCRIPTION, asOfFilter } from '../projections/as-of';
import { rangeDateProblems, reportRange } from '../projections/commitment-timeline.controller';
import { boardReportInputsAt } from './partnership-log';

/**
 * `document`: the report as laid out for the board (headings, paragraphs, tables in their final
 * words), the same that PDF and Word are rendered from; the web app's print view shows it.
 */
const FORMATS = ['json', 'document', 'markdown', 'pdf', 'docx'] as const;
type Format = (typeof FORMATS)[number];
const LANGUAGES = ['sv', 'en'] as const;

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * The follow-up for the municipal board, in Swedish (or English), as JSON, Markdown, PDF or Word.
 * It is built from the log at one position, which it states: `asOf=<position>` gives the same
 * report again after later corrections. Restricted work is counts only, small counts blurred, so
 * the same document can go into the board's public papers.
 */
@ApiTags('citizen promises')
@ApiBearerAuth('bearer')
@Controller('promises')
export class FollowUpReportController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':promiseId/follow-up-report')
  @ApiOperation({
    summary:
      'The follow-up report for the municipal board: per problem area and commitment what was done and fulfilment against the cadence, the situation picture with EST counts, safety-walk findings and whether they were addressed, the follow-up summary and proposals',
  })
  @ApiQuery({ name: 'from', required: false, description: 'First day (YYYY-MM-DD)' })
  @ApiQuery({ name: 'to', required: false, description: 'Last day (YYYY-MM-DD)' })
  @ApiQuery({ name: 'format', required: false, enum: FORMATS })
  @ApiQuery({ name: 'lang', required: false, enum: LANGUAGES, description: 'Default sv' })
  @ApiQuery({ name: 'asOf', required: false, description: AS_OF_DESCRIPTION })
  @ApiProduces('application/json', 'text/markdown', 'application/pdf', DOCX)
  async report(
    @CurrentActor() actor: Actor,
    @Param('promiseId', SlugPipe) promiseId: string,
    @Res({ passthrough: true }) res: Response,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('format') format?: string,
    @Query('lang') lang?: string,
    @Query('asOf') asOf?: string,
  ): Promise<unknown> {
    // The promise is public, but the report also holds the partnership's situation picture,
    // walks and findings: it is for the partners (and the board through them).
    assertMayRead(actor, { kind: 'situation-picture' });
    const problems: InvalidField[] = rangeDateProblems(from, to);
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
      problems.push({ path: 'query format', reason: `must be one of ${FORMATS.join(', ')}` });
    }
    if (lang !== undefined && !(LANGUAGES as readonly string[]).includes(lang)) {
      problems.push({ path: 'query lang', reason: "must be 'sv' (the default) or 'en'" });
    }
    // Checked before the log is read: a bad request costs nothing.
    if (problems.length) throw new InvalidInputError('REQUEST.INVALID', problems);
    asOfFilter(asOf);
    const inputs = await boardReportInputsAt(this.store, promiseId, partnershipId(), asOf);
    if (!inputs) {
      throw notFound(
        'PROMISE.NOT_FOUND',
        `There is no promise '${promiseId}'${asOf ? ` as of ${asOf}` : ''}`,
      );
    }
    const report = boardReport({ ...inputs, range: reportRange(inputs.doc, this.clock, from, to) });
    const language = (lang ?? 'sv') as Language;
    res.setHeader('Content-Language', language === 'sv' ? 'sv-SE' : 'en-GB');
    res.setHeader('X-Log-Position', String(report.position));
    const kind = (format ?? 'json') as Format;
    if (kind === 'json') return localizedFollowUpReport(report, inputs.places, language);
    const doc = followUpDocument(report, inputs.places, language);
    const name = `uppfoljning-${promiseId}-${report.range.from}-${report.range.to}`;
    switch (kind) {
      case 'document':
        return doc;
      case 'markdown':
        res.type('text/markdown; charset=utf-8');
        return renderMarkdown(doc);
      case 'pdf':
        return new StreamableFile(await renderPdf(doc), {
          type: 'application/pdf',
          disposition: `attachment; filename="${name}.pdf"`,
        });
      case 'docx':
        return new StreamableFile(await renderDocx(doc), {
          type: DOCX,
          disposition: `attachment; filename="${name}.docx"`,
        });
      default:
        throw new Error(`Unknown format ${String(kind)}`);
    }
  }
}

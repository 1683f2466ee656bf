import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { Link, useRoute } from '../router';
import { useApi } from '../use-api';
import type { ReportDocument } from '../../../../libs/reporting/src/report-document';

function Block({ block }: { block: ReportDocument['blocks'][number] }) {
  switch (block.kind) {
    case 'heading': {
      // The page's own h1 is the report's title: the report's levels sit one below it.
      const Heading = (['h2', 'h3', 'h4'] as const)[block.level - 1]!;
      return <Heading>{block.text}</Heading>;
    }
    case 'paragraph':
      return <p>{block.text}</p>;
    case 'list':
      return (
        <ul>
          {block.items.map((item, i) => (
            <li key={i}>{item}</li>
          ))}
        </ul>
      );
    case 'facts':
      return (
        <dl className="facts">
          {block.items.map((item, i) => (
            <div key={i}>
              <dt>{item.label}</dt>
              <dd>{item.value}</dd>
            </div>
          ))}
        </dl>
      );
    case 'table': {
      const numeric = new Set(block.numericColumns ?? []);
      return (
        <div className="table-scroll">
          <table className="report-table">
            {block.caption && <caption>{block.caption}</caption>}
            <thead>
              <tr>
                {block.header.map((cell, i) => (
                  <th key={i} scope="col" className={numeric.has(i) ? 'numeric' : undefined}>
                    {cell}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, i) => (
                    <td key={i} className={numeric.has(i) ? 'numeric' : undefined}>
                      {cell}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
  }
}

/**
 * The follow-up report as a web page to print: the same document the PDF and Word files are
 * rendered from, in the app's language, with the print stylesheet leaving out the app's frame.
 * `from` and `to` in the address choose the period, as for the downloads.
 */
export function PromisePrintPage({ promiseId }: { promiseId: string }) {
  const { t, language } = useI18n();
  const { search } = useRoute();
  const range = ['from', 'to']
    .filter((key) => search.get(key))
    .map((key) => `&${key}=${encodeURIComponent(search.get(key)!)}`)
    .join('');
  const doc = useApi<ReportDocument>(
    `/promises/${encodeURIComponent(promiseId)}/follow-up-report?format=document&lang=${language}${range}`,
  );
  if (doc.status === 'loading') return <Loading />;
  if (doc.status === 'failed') return <Failed problem={doc.problem} retry={doc.retry} />;
  const blocks = doc.data.blocks;
  // The document opens with its own title as a heading: the page title says it already.
  const first = blocks[0];
  const body =
    first?.kind === 'heading' && first.level === 1 && first.text === doc.data.title
      ? blocks.slice(1)
      : blocks;
  return (
    <article className="print-view" lang={doc.data.language}>
      <div className="print-view__tools no-print">
        <p>{t('print.hint')}</p>
        <ul className="button-row">
          <li>
            <button type="button" className="button" onClick={() => window.print()}>
              {t('print.print')}
            </button>
          </li>
          <li>
            <Link to={`/medborgarlofte/${encodeURIComponent(promiseId)}`}>{t('print.back')}</Link>
          </li>
        </ul>
      </div>
      <PageTitle>{doc.data.title}</PageTitle>
      {doc.data.subtitle && <p className="lead">{doc.data.subtitle}</p>}
      {body.map((block, i) => (
        <Block key={i} block={block} />
      ))}
    </article>
  );
}

import { useEffect, useRef, useState } from 'react';
import { api, ApiProblem } from '../api';
import { useI18n } from '../i18n';
import { useLive } from '../live';
import { Link } from '../router';
import { useApi } from '../use-api';
import { Failed, Loading } from './status';

interface Changes {
  readonly lastVisit: { readonly seenThrough: number; readonly at: string } | null;
  readonly headPosition: number;
  readonly changes: readonly {
    readonly position: number;
    readonly type: string;
    readonly streamId: string;
    readonly recordedAt: string;
    readonly agency: string;
  }[];
  readonly total: number;
  readonly partial: boolean;
}

/** The shortest time between two refreshes of the list while changes stream in. */
const REFRESH_MS = 5000;

/** Where a change can be looked at, by its stream; undefined for what has no page of its own. */
function pageOf(streamId: string): string | undefined {
  const id = (prefix: string) => encodeURIComponent(streamId.slice(prefix.length));
  if (streamId.startsWith('situation-report-')) return '/lagesbild';
  if (streamId.startsWith('situation-picture-')) return '/lagesbild';
  if (streamId.startsWith('finding-')) return `/brister/${id('finding-')}`;
  if (streamId.startsWith('safety-walk-')) return `/trygghetsvandringar/${id('safety-walk-')}`;
  if (streamId.startsWith('prevention-talk-')) return `/samtal/${id('prevention-talk-')}`;
  if (streamId.startsWith('citizen-promise-')) {
    return `/medborgarlofte/${id('citizen-promise-')}`;
  }
  if (streamId.startsWith('est-')) return '/lagesbild';
  return undefined;
}

/**
 * "What changed since my last visit": the kinds of change others made that the user may know of,
 * newest first, each linked to where it can be read; never what a change says. The visit is
 * recorded when the user marks the list as seen, through the position the list reached.
 */
export function ChangesSinceVisit() {
  const { t, has, agency, date } = useI18n();
  const changes = useApi<Changes>('/worklist/changes');
  // Another's change while the page is open: the list is asked again (a notification, not
  // data), at most once per REFRESH_MS however busy the partnership is, since each answer reads
  // through the log since the visit.
  const refresh = useRef<{ timer?: ReturnType<typeof setTimeout>; last: number }>({ last: 0 });
  const { retry } = changes;
  useLive(() => {
    const r = refresh.current;
    if (r.timer) return;
    const wait = Math.max(0, r.last + REFRESH_MS - Date.now());
    r.timer = setTimeout(() => {
      r.timer = undefined;
      r.last = Date.now();
      retry();
    }, wait);
  });
  useEffect(() => () => clearTimeout(refresh.current.timer), []);
  const [marking, setMarking] = useState<ApiProblem | 'busy' | undefined>();

  const markSeen = async (through: number) => {
    setMarking('busy');
    try {
      await api('/worklist/changes/seen', { method: 'POST', body: { through } });
      setMarking(undefined);
      changes.retry();
    } catch (error) {
      setMarking(
        error instanceof ApiProblem ? error : new ApiProblem(0, 'UNEXPECTED', '', String(error)),
      );
    }
  };

  const label = (type: string) => {
    const key = `changes.type.${type}`;
    return has(key) ? t(key) : t('changes.type.other');
  };

  return (
    <section aria-labelledby="wl-changes" className="card card--wide">
      <h2 id="wl-changes">{t('changes.title')}</h2>
      {changes.status === 'loading' && <Loading />}
      {changes.status === 'failed' && <Failed problem={changes.problem} retry={changes.retry} />}
      {changes.status === 'ok' && (
        <>
          <p className="meta">
            {changes.data.lastVisit
              ? t('changes.since', { date: date(changes.data.lastVisit.at) })
              : t('changes.firstVisit')}
          </p>
          {changes.data.total === 0 ? (
            <p>{t('changes.none')}</p>
          ) : (
            <>
              <p>
                {t(changes.data.partial ? 'changes.countPartial' : 'changes.count', {
                  count: changes.data.total,
                })}
              </p>
              <ul className="plain-list changes">
                {changes.data.changes.map((c) => {
                  const to = pageOf(c.streamId);
                  const what = label(c.type);
                  return (
                    <li key={c.position}>
                      {to ? <Link to={to}>{what}</Link> : <span>{what}</span>}
                      <span className="meta">
                        {' '}
                        · {agency(c.agency)} · {date(c.recordedAt)}
                      </span>
                    </li>
                  );
                })}
              </ul>
              {changes.data.total > changes.data.changes.length && (
                <p className="meta">
                  {t('changes.newestShown', { shown: changes.data.changes.length })}
                </p>
              )}
            </>
          )}
          {marking instanceof ApiProblem && <Failed problem={marking} />}
          {(changes.data.total > 0 || !changes.data.lastVisit) && (
            <button
              type="button"
              className="button button--secondary"
              disabled={marking === 'busy'}
              onClick={() => void markSeen(changes.data.headPosition)}
            >
              {t('changes.markSeen')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

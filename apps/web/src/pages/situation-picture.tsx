import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import { DateField, ErrorSummary, isDate, SelectField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { PlaceMap, type MapPlace, type PlaceStyle } from '../components/place-map';
import {
  flatten,
  isCurrent,
  isoWeek,
  addDays,
  select,
  sinceMeeting,
  summarisePlaces,
  swedishDay,
  type EstTrend,
  type Picture,
  type PlaceSummary,
  type Selection,
  type ShownReport,
  type SinceMeeting,
} from '../components/situation-data';
import { Failed, Loading } from '../components/status';
import { useI18n, type MessageKey } from '../i18n';
import { useLive } from '../live';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { useAllPages, useApi } from '../use-api';
import '../styles/situation.css';

interface RegisteredPlace extends MapPlace {
  readonly kind: string;
}
interface PromiseList {
  readonly items: readonly { promiseId: string }[];
}
interface PromiseDoc {
  readonly problemAreas: readonly { code: string; name: string }[];
}
interface Confirmations {
  readonly confirmations: readonly { confirmationId: string; reportIds: readonly string[] }[];
}
interface EstPicture {
  readonly trends: readonly EstTrend[];
}

/** What the URL's query keeps, so that a link shares the view: the selection, the time, the place. */
interface View extends Selection {
  /** The day (YYYY-MM-DD) the picture is of; '' for now. */
  readonly asOfDate: string;
  /** HH:MM on that day; '' for the end of the day. */
  readonly asOfTime: string;
  readonly placeId: string;
}

const QUERY: Readonly<Record<keyof View, string>> = {
  problemArea: 'problem',
  agency: 'myndighet',
  from: 'fran',
  to: 'till',
  asOfDate: 'per',
  asOfTime: 'kl',
  placeId: 'plats',
};

const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

function viewOf(search: URLSearchParams): View {
  const get = (key: keyof View) => search.get(QUERY[key])?.trim() ?? '';
  const date = (key: keyof View) => (isDate(get(key)) ? get(key) : '');
  const asOfDate = date('asOfDate');
  return {
    problemArea: get('problemArea'),
    agency: get('agency'),
    from: date('from'),
    to: date('to'),
    asOfDate,
    asOfTime: asOfDate && TIME.test(get('asOfTime')) ? get('asOfTime') : '',
    placeId: get('placeId'),
  };
}

function queryOf(view: View): string {
  const search = new URLSearchParams();
  for (const key of Object.keys(QUERY) as (keyof View)[]) {
    if (view[key]) search.set(QUERY[key], view[key]);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The API's "as of": the end of a Swedish day, or an instant of the browser's clock. */
const asOfParameter = (view: View) =>
  !view.asOfDate
    ? ''
    : view.asOfTime
      ? new Date(`${view.asOfDate}T${view.asOfTime}`).toISOString()
      : view.asOfDate;

const SYMBOL = ['○', '◆', '▲'] as const;

/**
 * The shared situation picture: a map of the places behind the reports, coloured by current
 * reports and EST incidents, the same places as a list beside it, and the reports behind a
 * place. A selection by problem area, agency and period, and a time in the past, kept in the URL;
 * what is new or changed since the picture was last confirmed at a meeting, marked. What an
 * agency may not read the API leaves out, and so does every count and colour here.
 */
export function SituationPicturePage() {
  const { t, date, agency, has, count } = useI18n();
  const { search } = useRoute();
  const { state: session } = useSession();
  const ownAgency = session.status === 'signed-in' ? session.session.agency : undefined;
  const [view, setView] = useState<View>(() => viewOf(search));
  const change = useCallback((next: View) => {
    setView(next);
    // Replaced, not pushed: the view is one page, and Back leaves it.
    window.history.replaceState(null, '', `${window.location.pathname}${queryOf(next)}`);
  }, []);

  // Restricted reports are listed only with a purpose, and each read is logged with it.
  const [purpose, setPurpose] = useState('');
  const [asked, setAsked] = useState('');
  const asOf = asOfParameter(view);
  const params = new URLSearchParams();
  if (asked) params.set('purpose', asked);
  if (asOf) params.set('asOf', asOf);
  const picture = useApi<Picture>(`/situation-picture${params.size ? `?${params}` : ''}`);
  const confirmations = useApi<Confirmations>('/situation-picture/confirmations');
  const places = useAllPages<RegisteredPlace>('/places');
  const promises = useApi<PromiseList>('/promises');
  const promiseId = promises.status === 'ok' ? promises.data.items[0]?.promiseId : undefined;
  const promise = useApi<PromiseDoc>(
    promiseId ? `/promises/${encodeURIComponent(promiseId)}` : undefined,
  );
  const today = swedishDay(new Date());
  const day = view.asOfDate || today;
  const est = useApi<EstPicture>(
    `/situation-picture/est?from=${isoWeek(addDays(day, -21))}&to=${isoWeek(day)}${asOf ? `&asOf=${encodeURIComponent(asOf)}` : ''}`,
  );

  // A report added or changed that this user may read: the picture is read again, and said so.
  // Looking back in time, nothing moves: what came later is kept until the present is shown.
  const [updated, setUpdated] = useState(0);
  const [missed, setMissed] = useState(false);
  useLive((n) => {
    const reports = n === null || n.streamId.startsWith('situation-report-');
    const meetings = n === null || n.streamId.startsWith('situation-picture-');
    if (!reports && !meetings) return;
    if (view.asOfDate) {
      setMissed(true);
      return;
    }
    picture.retry();
    if (meetings) confirmations.retry();
    setUpdated((u) => u + 1);
  });

  const [errors, setErrors] = useState<FieldErrors>({});
  const [draft, setDraft] = useState(view);
  // A navigation to this page (the menu's link, Back): the view its URL names.
  const navigated = search.toString();
  useEffect(() => {
    const next = viewOf(new URLSearchParams(navigated));
    setView(next);
    setDraft(next);
  }, [navigated]);
  const [announce, setAnnounce] = useState('');

  const showRestricted = (event: FormEvent) => {
    event.preventDefault();
    if (purpose.trim().length >= 3) setAsked(purpose.trim());
  };
  const applyFilters = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (draft.from && !isDate(draft.from)) found['periodFrom'] = t('situation.error.date');
    if (draft.to && !isDate(draft.to)) found['periodTo'] = t('situation.error.date');
    if (
      !found['periodFrom'] &&
      !found['periodTo'] &&
      draft.from &&
      draft.to &&
      draft.to < draft.from
    )
      found['periodTo'] = t('situation.error.periodOrder');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    change({
      ...view,
      problemArea: draft.problemArea,
      agency: draft.agency,
      from: draft.from,
      to: draft.to,
      placeId: '',
    });
  };
  const clearFilters = () => {
    const next = { ...view, problemArea: '', agency: '', from: '', to: '', placeId: '' };
    setDraft({ ...draft, ...next, asOfDate: draft.asOfDate, asOfTime: draft.asOfTime });
    setErrors({});
    change(next);
  };
  const showAsOf = (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!isDate(draft.asOfDate)) found['asOfDate'] = t('situation.error.asOfDate');
    else if (draft.asOfDate > today) found['asOfDate'] = t('situation.error.asOfFuture');
    if (draft.asOfTime && !TIME.test(draft.asOfTime))
      found['asOfTime'] = t('situation.error.asOfTime');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    change({ ...view, asOfDate: draft.asOfDate, asOfTime: draft.asOfTime });
  };
  const backToNow = () => {
    setDraft({ ...draft, asOfDate: '', asOfTime: '' });
    change({ ...view, asOfDate: '', asOfTime: '' });
    if (missed) {
      setMissed(false);
      confirmations.retry();
    }
  };

  const word = (key: string) => (has(key) ? t(key) : key.split('.').pop()!);
  const areas = promise.status === 'ok' ? promise.data.problemAreas : [];
  const areaName = (code: string) => areas.find((a) => a.code === code)?.name ?? code;
  const register = useMemo(
    () => new Map(places.status === 'ok' ? places.data.items.map((p) => [p.placeId, p]) : []),
    [places],
  );

  // While another selection or time loads, the last picture stays (and the map with it).
  const [kept, setKept] = useState<Picture | undefined>();
  const loaded = picture.status === 'ok' ? picture.data : undefined;
  useEffect(() => {
    if (loaded) setKept(loaded);
  }, [loaded]);
  const shownPicture = loaded ?? (picture.status === 'loading' ? kept : undefined);
  const all = shownPicture ? flatten(shownPicture) : [];
  const chosen = select(all, view);
  const shown = chosen.filter((r): r is ShownReport => r.content !== null);
  const hiddenRestricted = chosen.length - shown.length;
  const lastMeeting = shownPicture?.lastMeeting ?? null;
  const confirmed = new Set(
    confirmations.status === 'ok'
      ? (confirmations.data.confirmations.find(
          (c) => c.confirmationId === lastMeeting?.confirmationId,
        )?.reportIds ?? [])
      : [],
  );
  const marks = new Map<string, SinceMeeting>(
    shown.map((r) => [r.reportId, sinceMeeting(r, lastMeeting?.meetingOn, confirmed)]),
  );
  const estShown = !view.problemArea && !view.agency;
  const summaries = summarisePlaces(
    shown,
    day,
    estShown && est.status === 'ok' ? est.data.trends : undefined,
    (id) => register.get(id)?.name,
  );
  const summaryOf = new Map(summaries.map((s) => [s.placeId, s]));
  const mapPlaces = summaries.flatMap((s) => {
    const place = register.get(s.placeId);
    return place ? [place] : [];
  });
  const selected = view.placeId ? summaryOf.get(view.placeId) : undefined;
  const listed = [...(selected ? selected.reports : shown)].sort((a, b) =>
    a.reportedAt < b.reportedAt ? 1 : -1,
  );

  const describe = (s: PlaceSummary) =>
    [
      t('situation.placeSummary', { current: s.current, total: s.reports.length }),
      ...(s.est
        ? [
            t('situation.placeEst', {
              count:
                s.est.blurred && s.est.total === 0 ? t('situation.estFewer') : count(s.est.total),
            }) + (s.est.rising ? ` (${t('situation.estRising')})` : ''),
          ]
        : []),
    ].join(', ');
  const levelWord = (level: 0 | 1 | 2) => t(`situation.level.${level}` as MessageKey);
  const styleOf = (place: MapPlace): PlaceStyle => {
    const s = summaryOf.get(place.placeId);
    if (!s) return {};
    return {
      variant: `level-${s.level}`,
      label: `${s.current}${s.level === 2 ? '!' : ''}`,
      description: t('situation.markerDescription', {
        place: s.name,
        summary: describe(s),
        level: levelWord(s.level),
      }),
    };
  };
  const choose = (placeId: string) => {
    const next = view.placeId === placeId ? '' : placeId;
    change({ ...view, placeId: next });
    const s = summaryOf.get(next);
    setAnnounce(s ? t('situation.showingPlace', { count: s.reports.length, place: s.name }) : '');
  };

  const loading =
    picture.status === 'loading' || places.status === 'loading' || promises.status === 'loading';
  const ready = shownPicture !== undefined && places.status === 'ok';
  const added = shown.filter((r) => marks.get(r.reportId) === 'new').length;
  const changedCount = shown.filter((r) => marks.get(r.reportId) === 'changed').length;
  const labels = new Map<string, string>([
    ['periodFrom', t('situation.periodFrom')],
    ['periodTo', t('situation.periodTo')],
    ['asOfDate', t('situation.asOfDate')],
    ['asOfTime', t('situation.asOfTime')],
  ]);

  return (
    <>
      <PageTitle>{t('situation.title')}</PageTitle>
      <p className="lead">{t('situation.lead')}</p>
      <ErrorSummary
        errors={errors}
        order={['periodFrom', 'periodTo', 'asOfDate', 'asOfTime']}
        labels={labels}
      />
      <p>
        <Link to="/rapportera" className="button">
          {t('report.title')}
        </Link>
      </p>
      <div className="situation-controls">
        <form className="inline-form situation-controls__purpose" onSubmit={showRestricted}>
          <label className="label" htmlFor="purpose">
            {t('situation.purpose')}
          </label>
          <p className="hint" id="purpose-hint">
            {t('situation.purposeHint')}
          </p>
          <div className="inline-form__row">
            <input
              id="purpose"
              name="purpose"
              className="input"
              minLength={3}
              maxLength={200}
              aria-describedby="purpose-hint"
              value={purpose}
              onChange={(e) => setPurpose(e.target.value)}
            />
            <button type="submit" className="button button--secondary">
              {t('situation.showRestricted')}
            </button>
          </div>
          {asked && (
            <p className="meta" role="status">
              {t('situation.purposeGiven', { purpose: asked })}
            </p>
          )}
        </form>
        <form className="situation-filters" noValidate onSubmit={applyFilters}>
          <fieldset className="fieldset">
            <legend className="legend">{t('situation.filters')}</legend>
            <div className="situation-filters__fields">
              <SelectField
                id="problemArea"
                label={t('situation.problemArea')}
                value={draft.problemArea}
                onChange={(v) => setDraft({ ...draft, problemArea: v })}
                placeholder={t('situation.allProblemAreas')}
                options={areas.map((a) => ({ value: a.code, label: a.name }))}
              />
              <SelectField
                id="agency"
                label={t('situation.agency')}
                value={draft.agency}
                onChange={(v) => setDraft({ ...draft, agency: v })}
                placeholder={t('situation.allAgencies')}
                options={AGENCIES.map((code) => ({ value: code, label: agency(code) }))}
              />
              {(
                [
                  ['periodFrom', 'from', t('situation.periodFrom')],
                  ['periodTo', 'to', t('situation.periodTo')],
                ] as const
              ).map(([id, key, label]) => (
                <DateField
                  key={id}
                  id={id}
                  label={label}
                  hint={t('situation.dateHint')}
                  error={errors[id]}
                  value={draft[key]}
                  onChange={(v) => setDraft({ ...draft, [key]: v.trim() })}
                />
              ))}
            </div>
            <div className="button-row">
              <button type="submit" className="button" id="applyFilters">
                {t('situation.applyFilters')}
              </button>
              <button type="button" className="button button--secondary" onClick={clearFilters}>
                {t('situation.clearFilters')}
              </button>
            </div>
          </fieldset>
        </form>
        <form className="situation-as-of" noValidate onSubmit={showAsOf}>
          <fieldset className="fieldset" aria-describedby="as-of-hint">
            <legend className="legend">{t('situation.asOf')}</legend>
            <p className="hint" id="as-of-hint">
              {t('situation.asOfHint')}
            </p>
            <div className="situation-filters__fields">
              {/* The time is typed as TT:MM, in the same short text input as a date. */}
              {(
                [
                  ['asOfDate', t('situation.asOfDate'), t('report.dateHint')],
                  ['asOfTime', t('situation.asOfTime'), t('situation.asOfTimeHint')],
                ] as const
              ).map(([id, label, hint]) => (
                <DateField
                  key={id}
                  id={id}
                  label={label}
                  hint={hint}
                  error={errors[id]}
                  value={draft[id]}
                  onChange={(v) => setDraft({ ...draft, [id]: v.trim() })}
                />
              ))}
            </div>
            <button type="submit" className="button button--secondary">
              {t('situation.asOfShow')}
            </button>
          </fieldset>
        </form>
      </div>

      {view.asOfDate && (
        <div className="panel panel--warning situation-as-of-notice" role="status">
          <p>
            <strong>
              {t('situation.asOfNotice', {
                when: view.asOfTime
                  ? t('situation.asOfAtTime', { date: date(view.asOfDate), time: view.asOfTime })
                  : t('situation.asOfEndOfDay', { date: date(view.asOfDate) }),
              })}
            </strong>
          </p>
          <p>{t('situation.asOfPaused')}</p>
          {missed && <p>{t('situation.asOfMissed')}</p>}
          <button type="button" className="button" onClick={backToNow}>
            {t('situation.asOfBack')}
          </button>
        </div>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {updated > 0 ? t('situation.updated') : ''}
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announce}
      </p>

      {loading && <Loading />}
      {picture.status === 'failed' && <Failed problem={picture.problem} retry={picture.retry} />}
      {places.status === 'failed' && <Failed problem={places.problem} retry={places.retry} />}
      {ready && (
        <>
          <section className="situation-since" aria-labelledby="since-heading">
            <h2 id="since-heading">
              {lastMeeting
                ? t('situation.sinceMeeting', { date: date(lastMeeting.meetingOn) })
                : t('situation.noMeeting')}
            </h2>
            {lastMeeting && (
              <p>
                {added + changedCount === 0
                  ? t('situation.sinceMeetingNone')
                  : t('situation.sinceMeetingCounts', { added, changed: changedCount })}
              </p>
            )}
          </section>
          {hiddenRestricted > 0 && (
            <p className="meta">{t('situation.restrictedHidden', { count: hiddenRestricted })}</p>
          )}
          <div className="situation-layout">
            <section className="situation-layout__map" aria-labelledby="map-heading">
              <h2 id="map-heading">{t('situation.mapHeading')}</h2>
              <PlaceMap
                places={mapPlaces}
                styleOf={styleOf}
                selectedPlaceId={view.placeId || undefined}
                onSelectPlace={choose}
                label={t('situation.mapLabel')}
              />
              <div className="situation-legend">
                <h3>{t('situation.legend')}</h3>
                <ul className="plain-list">
                  {([0, 1, 2] as const).map((level) => (
                    <li key={level}>
                      <span
                        className={`legend-swatch place-marker--level-${level}`}
                        aria-hidden="true"
                      >
                        {SYMBOL[level]}
                      </span>{' '}
                      {levelWord(level)}
                    </li>
                  ))}
                  <li>
                    <span className="legend-swatch legend-swatch--approximate" aria-hidden="true" />{' '}
                    {t('situation.legendApproximate')}
                  </li>
                </ul>
                <p className="meta">
                  {t('situation.legendCount')} {t('situation.legendCurrent', { date: date(day) })}
                </p>
                {!estShown && <p className="meta">{t('situation.estOff')}</p>}
              </div>
            </section>
            <section className="situation-layout__places" aria-labelledby="places-heading">
              <h2 id="places-heading">{t('situation.places', { count: summaries.length })}</h2>
              {summaries.length === 0 ? (
                <p>{t('situation.placesNone')}</p>
              ) : (
                <ul className="plain-list situation-places">
                  {summaries.map((s) => {
                    const approximate =
                      register.get(s.placeId)?.position.precision === 'approximate';
                    return (
                      <li key={s.placeId} className="situation-place" data-place-id={s.placeId}>
                        <button
                          type="button"
                          className={`situation-place__button${view.placeId === s.placeId ? ' situation-place__button--selected' : ''}`}
                          aria-pressed={view.placeId === s.placeId}
                          onClick={() => choose(s.placeId)}
                        >
                          <span
                            className={`legend-swatch place-marker--level-${s.level}`}
                            aria-hidden="true"
                          >
                            {SYMBOL[s.level]}
                          </span>
                          <span className="situation-place__text">
                            <span className="situation-place__name">{s.name}</span>
                            <span className="situation-place__meta">
                              {describe(s)}. {levelWord(s.level)}
                              {approximate ? ` (${t('situation.approximate')})` : ''}
                            </span>
                          </span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          </div>

          <section className="situation-reports" aria-labelledby="reports-heading">
            <h2 id="reports-heading">
              {selected
                ? t('situation.reportsAt', { place: selected.name, count: listed.length })
                : t('situation.reports', { count: listed.length })}
            </h2>
            {selected && (
              <p>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => choose(selected.placeId)}
                >
                  {t('situation.allPlaces')}
                </button>
              </p>
            )}
            {listed.length === 0 ? (
              <p>{all.length === 0 ? t('situation.none') : t('situation.noneFiltered')}</p>
            ) : (
              <ul className="plain-list reports">
                {listed.map((r) => {
                  const mark = marks.get(r.reportId);
                  return (
                    <li
                      key={r.reportId}
                      className={`report${mark ? ' report--marked' : ''}`}
                      data-report-id={r.reportId}
                      data-since-meeting={mark}
                    >
                      <h3 className="report__title">
                        {[
                          ...r.content.places.map((p) => p.name),
                          ...(r.content.unresolvedPlace
                            ? [t('situation.unplaced', { place: r.content.unresolvedPlace })]
                            : []),
                        ].join(', ')}
                      </h3>
                      <p className="meta">
                        {mark && (
                          <>
                            <span className={`tag tag--${mark}`}>
                              {t(`situation.mark.${mark}` as MessageKey)}
                            </span>{' '}
                          </>
                        )}
                        {isCurrent(r, day) && (
                          <>
                            <span className="tag tag--current">{t('situation.current')}</span>{' '}
                          </>
                        )}
                        {t('situation.reportedBy', { agency: agency(r.reportingAgency) })} ·{' '}
                        {areaName(r.problemArea)} ·{' '}
                        {t('situation.period', {
                          from: date(r.content.period.from),
                          to: date(r.content.period.to),
                        })}{' '}
                        · {word(`report.trend.${r.content.trend}`)} ·{' '}
                        {word(`report.severity.${r.content.severity}`)} ·{' '}
                        {word(`report.source.${r.content.source}`)}
                        {r.sensitivity === 'restricted' && (
                          <>
                            {' · '}
                            <span className="tag tag--behind">{t('situation.restricted')}</span>
                          </>
                        )}
                      </p>
                      <p>{r.content.description}</p>
                      {r.reportingAgency === ownAgency && !view.asOfDate && (
                        <p>
                          <Link to={`/rapportera/${encodeURIComponent(r.reportId)}`}>
                            {t('correct.link')}
                          </Link>
                        </p>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}

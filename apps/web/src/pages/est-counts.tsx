import { useState, type FormEvent } from 'react';
import { EST_LABELS } from '../../../../libs/reporting/src/follow-up-labels';
import { ErrorSummary, SelectField, TextAreaField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import {
  mayRecord,
  NumberField,
  PersonalDataConfirmation,
  RecordedPanel,
  RecordRefusal,
  useSubmission,
  wholeNumber,
  type ProblemMap,
} from '../components/record-parts';
import { Failed, Loading } from '../components/status';
import { useI18n, type MessageKey } from '../i18n';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { useApi } from '../use-api';
import '../styles/record.css';

/** The EST checklist, in the order the board's report and the domain count it. */
const EST_CATEGORIES = Object.keys(EST_LABELS);
type EstCategory = string;
type EstCounts = Readonly<Record<EstCategory, number>>;

interface OwnCounts {
  readonly agency: string;
  readonly week: string;
  readonly places: readonly {
    readonly placeId: string;
    readonly name: string;
    readonly weeks: readonly { readonly week: string; readonly counts: EstCounts | null }[];
  }[];
}

const countId = (category: EstCategory) => `count-${category}`;
const FIELDS = ['placeId', 'week', ...EST_CATEGORIES.map(countId), 'reason'];

const PROBLEMS: ProblemMap = {
  field: (path) => {
    if (path === 'placeId' || path === 'week' || path === 'reason') return path;
    const category = /^counts\.(.+)$/.exec(path)?.[1];
    return category && EST_CATEGORIES.includes(category) ? countId(category) : undefined;
  },
  codes: {
    'EST.WEEK_NOT_STARTED': ['week', 'est.error.weekNotStarted'],
    'EST.INVALID_WEEK': ['week', 'est.error.week'],
    'EST.REASON_REQUIRED': ['reason', 'est.error.reason'],
    'EST.ALREADY_REPORTED': ['week', 'est.error.alreadyReported'],
    'EST.NOT_REPORTED': ['week', 'est.error.notReported'],
    'EST.NOT_ASSIGNED': ['placeId', 'est.error.notAssigned'],
    'EST.INCOMPLETE_CHECKLIST': ['form', 'est.error.incomplete'],
  },
};

type Counts = Record<EstCategory, string>;
const EMPTY_COUNTS: Counts = Object.fromEntries(EST_CATEGORIES.map((c) => [c, '']));
const asText = (counts: EstCounts): Counts =>
  Object.fromEntries(EST_CATEGORIES.map((c) => [c, String(counts[c])]));

interface Recorded {
  readonly place: string;
  readonly week: string;
  readonly correction: boolean;
  readonly counts: Counts;
}

/**
 * Reporting EST counts (effektiv samordning för trygghet): the agency's places and the weeks
 * it has not reported, one week's checklist for a place, and a correction, with a reason, of a
 * week it has reported. Opened from the start page's worklist as `/est-antal?place=…&week=…`.
 */
export function EstCountsPage() {
  const { t, language } = useI18n();
  const { state } = useSession();
  const { search } = useRoute();
  const own = useApi<OwnCounts>('/est/counts/own');
  const [placeId, setPlaceId] = useState(search.get('place') ?? '');
  const [week, setWeek] = useState(search.get('week') ?? '');
  const [counts, setCounts] = useState<Counts>(EMPTY_COUNTS);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [recorded, setRecorded] = useState<Recorded | undefined>();
  const submission = useSubmission(PROBLEMS);
  const role = state.status === 'signed-in' ? state.session.activeRole : null;

  if (!mayRecord(role)) {
    return <RecordRefusal title={t('est.title')} reason={t('record.refusedReadOnly')} />;
  }
  if (own.status === 'loading') return <Loading />;
  if (own.status === 'failed') return <Failed problem={own.problem} retry={own.retry} />;
  const { places } = own.data;
  if (places.length === 0) {
    return <RecordRefusal title={t('est.title')} reason={t('est.noPlaces')} />;
  }

  const weekLabel = (w: string) => {
    const [year, number] = w.split('-W');
    return t('est.weekLabel', { week: Number(number), year: year ?? '' });
  };
  const place = places.find((p) => p.placeId === placeId);
  const reported = place?.weeks.find((w) => w.week === week)?.counts ?? null;
  const correcting = reported !== null;
  const missingThisWeek = places.filter((p) => p.weeks[0]?.counts === null);
  const categoryLabel = (c: EstCategory) => EST_LABELS[c]![language === 'sv' ? 0 : 1];

  /** A place and week chosen: the counts start from what was reported, or empty. */
  const choose = (nextPlace: string, nextWeek: string) => {
    setPlaceId(nextPlace);
    setWeek(nextWeek);
    const before = places
      .find((p) => p.placeId === nextPlace)
      ?.weeks.find((w) => w.week === nextWeek)?.counts;
    setCounts(before ? asText(before) : EMPTY_COUNTS);
    setReason('');
    submission.reset();
  };

  const labels = new Map<string, string>([
    ['placeId', t('est.place')],
    ['week', t('est.week')],
    ['reason', t('est.reason')],
    ...EST_CATEGORIES.map((c) => [countId(c), categoryLabel(c)] as [string, string]),
  ]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!placeId) found['placeId'] = t('est.error.placeId');
    if (!week) found['week'] = t('est.error.week');
    for (const c of EST_CATEGORIES) {
      const typed = counts[c] ?? '';
      if (typed.trim() === '') found[countId(c)] = t('est.error.countMissing');
      else if (wholeNumber(typed) === undefined) found[countId(c)] = t('est.error.count');
    }
    if (correcting && reason.trim() === '') found['reason'] = t('est.error.reason');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const body = {
      placeId,
      week,
      counts: Object.fromEntries(EST_CATEGORIES.map((c) => [c, wholeNumber(counts[c] ?? '')])),
      ...(correcting ? { reason } : {}),
    };
    const sent = await submission.send(
      correcting ? '/est/counts/corrections' : '/est/counts',
      body,
    );
    if (!sent.ok) {
      setErrors(sent.errors);
      return;
    }
    setRecorded({ place: place?.name ?? placeId, week, correction: correcting, counts });
    setPlaceId('');
    setWeek('');
    setCounts(EMPTY_COUNTS);
    setReason('');
    own.retry();
  }

  if (recorded) {
    return (
      <RecordedPanel
        title={t(recorded.correction ? 'est.doneCorrected' : 'est.done')}
        facts={[
          [t('est.place'), recorded.place],
          [t('est.week'), weekLabel(recorded.week)],
          ...EST_CATEGORIES.map((c) => [categoryLabel(c), recorded.counts[c]] as const),
        ]}
      >
        <li>
          <button type="button" className="button" onClick={() => setRecorded(undefined)}>
            {t('est.another')}
          </button>
        </li>
        <li>
          <Link to="/" className="button button--secondary">
            {t('record.toStart')}
          </Link>
        </li>
      </RecordedPanel>
    );
  }

  const submitWord: MessageKey = correcting ? 'est.submitCorrection' : 'est.submit';
  return (
    <>
      <PageTitle>{t('est.title')}</PageTitle>
      <p className="lead">{t('est.lead')}</p>
      <section className="card record-missing" aria-labelledby="est-missing">
        <h2 id="est-missing">{t('est.missingTitle', { week: weekLabel(own.data.week) })}</h2>
        {missingThisWeek.length === 0 ? (
          <p>{t('est.missingNone')}</p>
        ) : (
          <ul className="plain-list">
            {missingThisWeek.map((p) => (
              <li key={p.placeId}>
                <Link
                  to={`/est-antal?place=${encodeURIComponent(p.placeId)}&week=${own.data.week}`}
                  onClick={() => choose(p.placeId, own.data.week)}
                >
                  {t('est.reportFor', { place: p.name })}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)} className="record-form">
        <SelectField
          id="placeId"
          label={t('est.place')}
          error={errors['placeId']}
          value={placeId}
          onChange={(v) => choose(v, week)}
          placeholder={t('est.placeChoose')}
          options={places.map((p) => ({ value: p.placeId, label: p.name }))}
        />
        <SelectField
          id="week"
          label={t('est.week')}
          hint={t('est.weekHint')}
          error={errors['week']}
          value={week}
          onChange={(v) => choose(placeId, v)}
          placeholder={t('est.weekChoose')}
          options={(place ?? places[0]!).weeks.map((w) => ({
            value: w.week,
            label: `${weekLabel(w.week)}${
              place ? ` – ${t(w.counts ? 'est.weekReported' : 'est.weekMissing')}` : ''
            }`,
          }))}
        />
        {correcting && (
          <div className="notice record-correcting" role="status">
            <p>{t('est.correcting', { week: weekLabel(week), place: place?.name ?? '' })}</p>
          </div>
        )}
        <fieldset className="fieldset record-counts" aria-describedby="counts-hint">
          <legend className="legend">{t('est.counts')}</legend>
          <p className="hint" id="counts-hint">
            {t('est.countsHint')}
          </p>
          {EST_CATEGORIES.map((c) => (
            <NumberField
              key={c}
              id={countId(c)}
              label={categoryLabel(c)}
              error={errors[countId(c)]}
              value={counts[c] ?? ''}
              onChange={(v) => setCounts((all) => ({ ...all, [c]: v }))}
            />
          ))}
        </fieldset>
        {correcting && (
          <>
            <TextAreaField
              id="reason"
              label={t('est.reason')}
              hint={t('est.reasonHint')}
              error={errors['reason']}
              value={reason}
              onChange={(v) => {
                setReason(v);
                submission.textChanged();
              }}
              maxLength={2000}
            />
            <PersonalDataConfirmation
              shown={submission.confirming !== undefined}
              confirmed={submission.confirmed}
              onChange={submission.setConfirmed}
            />
          </>
        )}
        <button
          id="submit"
          type="submit"
          className="button"
          disabled={submission.submitting}
          aria-disabled={submission.submitting}
        >
          {t(submitWord)}
        </button>
      </form>
    </>
  );
}

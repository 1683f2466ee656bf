import { useState, type FormEvent } from 'react';
import { AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import { FIGURE_LABELS, KIND_LABELS } from '../../../../libs/reporting/src/follow-up-labels';
import {
  ChoiceField,
  DateField,
  ErrorSummary,
  isDate,
  SelectField,
  TextAreaField,
  type FieldErrors,
} from '../components/form';
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
import { carriedBy, swedishToday, usePromiseInForce } from '../components/record-promise';
import { Failed, Loading } from '../components/status';
import { useI18n } from '../i18n';
import { kindLabel } from '../labels';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { useAllPages } from '../use-api';
import '../styles/record.css';

/** The kinds of activity recorded under a commitment, with the figures each usually has. */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  'mobile-police-office': ['visitors', 'hoursOfPresence'],
  'traffic-control': [
    'vehiclesChecked',
    'breathTests',
    'drugTests',
    'mopedsChecked',
    'aTractorsChecked',
    'reportsFiled',
  ],
  'foot-patrol': ['hoursOfPresence', 'peopleReached', 'reportsFiled', 'seizures'],
  'security-guard-round': ['rounds', 'incidentsReported'],
  'information-campaign': ['peopleReached'],
  'andts-information': ['peopleReached'],
  'youth-drug-prevention': ['peopleReached'],
  'parent-support': ['peopleReached'],
  'sspf-meeting': ['meetingsHeld'],
};

const FIELDS = ['commitmentId', 'date', 'placeId', 'kind', 'agenciesPresent', 'outcome'];
const figureId = (name: string) => `figure-${name}`;

const PROBLEMS: ProblemMap = {
  field: (path) => {
    if (path.startsWith('placeIds')) return 'placeId';
    if (path.startsWith('agenciesPresent')) return 'agenciesPresent';
    const figure = /^figures\.(.+)$/.exec(path)?.[1];
    if (figure) return figureId(figure);
    return ['commitmentId', 'date', 'kind', 'outcome'].includes(path) ? path : undefined;
  },
  codes: {
    'PROMISE.ACTIVITY_OUTSIDE_PERIOD': ['date', 'activity.error.outsidePeriod'],
    'PROMISE.ACTIVITY_IN_FUTURE': ['date', 'activity.error.future'],
    'PROMISE.NO_PLACE': ['placeId', 'activity.error.placeId'],
    'REQUEST.UNKNOWN_PLACE': ['placeId', 'activity.error.unknownPlace'],
    'PROMISE.NO_AGENCY_PRESENT': ['agenciesPresent', 'activity.error.agenciesPresent'],
    'PROMISE.UNKNOWN_COMMITMENT': ['commitmentId', 'activity.error.unknownCommitment'],
    'PROMISE.NOT_COMMITMENT_OWNER': ['commitmentId', 'activity.error.notOwner'],
    'PROMISE.NOT_IN_FORCE': ['form', 'activity.error.notInForce'],
  },
};

interface Draft {
  commitmentId: string;
  date: string;
  placeId: string;
  kind: string;
  agenciesPresent: string[];
  outcome: string;
  figures: Record<string, string>;
}

interface Recorded {
  readonly draft: Draft;
  readonly commitment: string;
  readonly place: string;
}

/**
 * Recording an activity done under a commitment of the citizen promise, as an officer would
 * after a shift on a phone: the commitment (of those the agency carries), the day, the place
 * from the register, what kind of work with its usual figures, who took part, and what came of
 * it. Opened as `/aktivitet?commitment=…` from the start page's commitments behind cadence.
 */
export function RecordActivityPage() {
  const { t, language, agency, date } = useI18n();
  const { state } = useSession();
  const { search } = useRoute();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const today = swedishToday();
  const { list, promise, promiseId } = usePromiseInForce(today);
  const places = useAllPages<{ placeId: string; name: string }>('/places');
  const fresh = (): Draft => ({
    commitmentId: search.get('commitment') ?? '',
    date: today,
    placeId: '',
    kind: '',
    agenciesPresent: session ? [session.agency] : [],
    outcome: '',
    figures: {},
  });
  const [draft, setDraft] = useState<Draft>(fresh);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [recorded, setRecorded] = useState<Recorded | undefined>();
  const submission = useSubmission(PROBLEMS);

  if (!session || !mayRecord(session.activeRole)) {
    return <RecordRefusal title={t('activity.title')} reason={t('record.refusedReadOnly')} />;
  }
  if (list.status === 'loading' || places.status === 'loading') return <Loading />;
  if (list.status === 'failed') return <Failed problem={list.problem} retry={list.retry} />;
  if (places.status === 'failed') return <Failed problem={places.problem} retry={places.retry} />;
  if (!promiseId) {
    return <RecordRefusal title={t('activity.title')} reason={t('record.noPromise')} />;
  }
  if (promise.status === 'loading') return <Loading />;
  if (promise.status === 'failed')
    return <Failed problem={promise.problem} retry={promise.retry} />;
  const doc = promise.data;
  const commitments = carriedBy(doc, session.agency);
  if (commitments.length === 0) {
    return (
      <RecordRefusal
        title={t('activity.title')}
        reason={t('activity.noCommitments', { agency: agency(session.agency) })}
      />
    );
  }

  const set = <K extends keyof Draft>(field: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const placeName = (id: string) => places.data.items.find((p) => p.placeId === id)?.name ?? id;
  const figureLabel = (name: string) => FIGURE_LABELS[name]?.[language === 'sv' ? 0 : 1] ?? name;
  const figures = KINDS[draft.kind] ?? [];
  const labels = new Map<string, string>([
    ['commitmentId', t('activity.commitment')],
    ['date', t('activity.date')],
    ['placeId', t('activity.place')],
    ['kind', t('activity.kind')],
    ['agenciesPresent', t('activity.agenciesPresent')],
    ['outcome', t('activity.outcome')],
    ...figures.map((f) => [figureId(f), figureLabel(f)] as [string, string]),
  ]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!draft.commitmentId) found['commitmentId'] = t('activity.error.commitmentId');
    if (!draft.date.trim()) found['date'] = t('activity.error.date');
    else if (!isDate(draft.date)) found['date'] = t('activity.error.dateFormat');
    if (!draft.placeId) found['placeId'] = t('activity.error.placeId');
    if (!draft.kind) found['kind'] = t('activity.error.kind');
    if (draft.agenciesPresent.length === 0) {
      found['agenciesPresent'] = t('activity.error.agenciesPresent');
    }
    if (!draft.outcome.trim()) found['outcome'] = t('activity.error.outcome');
    for (const f of figures) {
      const typed = draft.figures[f]?.trim() ?? '';
      if (typed !== '' && wholeNumber(typed) === undefined) {
        found[figureId(f)] = t('activity.error.figure');
      }
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const sent = await submission.send(
      `/promises/${encodeURIComponent(doc.promiseId)}/activities`,
      {
        commitmentId: draft.commitmentId,
        kind: draft.kind,
        date: draft.date,
        placeIds: [draft.placeId],
        agenciesPresent: draft.agenciesPresent,
        outcome: draft.outcome,
        figures: Object.fromEntries(
          figures
            .filter((f) => (draft.figures[f]?.trim() ?? '') !== '')
            .map((f) => [f, wholeNumber(draft.figures[f]!)]),
        ),
      },
    );
    if (!sent.ok) {
      setErrors(sent.errors);
      return;
    }
    setRecorded({
      draft,
      commitment: doc.commitments.find((c) => c.commitmentId === draft.commitmentId)!.description,
      place: placeName(draft.placeId),
    });
    setDraft({ ...fresh(), commitmentId: '' });
    setErrors({});
  }

  if (recorded) {
    const { draft: done } = recorded;
    return (
      <RecordedPanel
        title={t('activity.done')}
        facts={[
          [t('activity.commitment'), recorded.commitment],
          [t('activity.date'), date(done.date)],
          [t('activity.place'), recorded.place],
          [t('activity.kind'), kindLabel(done.kind, language)],
          [t('activity.agenciesPresent'), done.agenciesPresent.map(agency).join(', ')],
          ...(KINDS[done.kind] ?? [])
            .filter((f) => (done.figures[f]?.trim() ?? '') !== '')
            .map((f) => [figureLabel(f), done.figures[f]!] as const),
        ]}
      >
        <li>
          <button type="button" className="button" onClick={() => setRecorded(undefined)}>
            {t('activity.another')}
          </button>
        </li>
        <li>
          <Link
            to={`/medborgarlofte/${encodeURIComponent(doc.promiseId)}`}
            className="button button--secondary"
          >
            {t('activity.toPromise')}
          </Link>
        </li>
      </RecordedPanel>
    );
  }

  return (
    <>
      <PageTitle>{t('activity.title')}</PageTitle>
      <p className="lead">{t('activity.lead', { title: doc.title })}</p>
      <ErrorSummary errors={errors} order={[...FIELDS, ...figures.map(figureId)]} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)} className="record-form">
        <SelectField
          id="commitmentId"
          label={t('activity.commitment')}
          hint={t('activity.commitmentHint', { agency: agency(session.agency) })}
          error={errors['commitmentId']}
          value={draft.commitmentId}
          onChange={(v) => set('commitmentId', v)}
          placeholder={t('activity.commitmentChoose')}
          options={commitments.map((c) => ({ value: c.commitmentId, label: c.description }))}
        />
        <DateField
          id="date"
          label={t('activity.date')}
          hint={t('activity.dateHint', { from: date(doc.period.from), to: date(doc.period.to) })}
          error={errors['date']}
          value={draft.date}
          onChange={(v) => set('date', v)}
        />
        <SelectField
          id="placeId"
          label={t('activity.place')}
          error={errors['placeId']}
          value={draft.placeId}
          onChange={(v) => set('placeId', v)}
          placeholder={t('activity.placeChoose')}
          options={[...places.data.items]
            .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
            .map((p) => ({ value: p.placeId, label: p.name }))}
        />
        <SelectField
          id="kind"
          label={t('activity.kind')}
          error={errors['kind']}
          value={draft.kind}
          onChange={(v) => set('kind', v)}
          placeholder={t('activity.kindChoose')}
          options={Object.keys(KINDS)
            .filter((k) => KIND_LABELS[k])
            .map((k) => ({ value: k, label: kindLabel(k, language) }))}
        />
        {figures.length > 0 && (
          <fieldset className="fieldset record-counts" aria-describedby="figures-hint">
            <legend className="legend">{t('activity.figures')}</legend>
            <p className="hint" id="figures-hint">
              {t('activity.figuresHint')}
            </p>
            {figures.map((f) => (
              <NumberField
                key={f}
                id={figureId(f)}
                label={figureLabel(f)}
                error={errors[figureId(f)]}
                value={draft.figures[f] ?? ''}
                onChange={(v) => set('figures', { ...draft.figures, [f]: v })}
              />
            ))}
          </fieldset>
        )}
        <ChoiceField
          id="agenciesPresent"
          type="checkbox"
          legend={t('activity.agenciesPresent')}
          error={errors['agenciesPresent']}
          value={draft.agenciesPresent}
          onChange={(v) => set('agenciesPresent', v)}
          options={AGENCIES.map((a) => ({ value: a, label: agency(a) }))}
        />
        <TextAreaField
          id="outcome"
          label={t('activity.outcome')}
          hint={t('activity.outcomeHint')}
          error={errors['outcome']}
          value={draft.outcome}
          onChange={(v) => {
            set('outcome', v);
            submission.textChanged();
          }}
          maxLength={4000}
        />
        <PersonalDataConfirmation
          shown={submission.confirming !== undefined}
          confirmed={submission.confirmed}
          onChange={submission.setConfirmed}
        />
        <p className="hint record-sharing">{t('activity.sharing')}</p>
        <button
          id="submit"
          type="submit"
          className="button"
          disabled={submission.submitting}
          aria-disabled={submission.submitting}
        >
          {t('activity.submit')}
        </button>
      </form>
    </>
  );
}

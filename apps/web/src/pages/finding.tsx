import { useEffect, useRef, useState, type FormEvent } from 'react';
import { PARTNER_AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import { ErrorSummary, isDate, SelectField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import { useFindingWords } from '../components/walk-finding';
import {
  ALL_AGENCIES,
  PersonalDataConfirm,
  Recorded,
  SubmitButton,
  swedishToday,
  useSubmission,
  DayField,
  FreeTextField,
} from '../components/walk-form';
import type { RegisteredPlace } from '../components/walk-place';
import { useI18n } from '../i18n';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { useAllPages, useApi, type Loaded } from '../use-api';
import { WALK_ORGANISERS } from './safety-walks';
import '../styles/walks.css';

/** A finding as this page shows it, whether found on a walk or reported outside one. */
interface Finding {
  readonly findingId: string;
  readonly walkId: string | null;
  readonly placeIds: readonly string[];
  readonly kind: string;
  readonly description: string;
  readonly foundOn: string;
  /** Null for a finding of a walk: the walk's organisers found it. */
  readonly reportingAgency: string | null;
  readonly responsibleParty: string;
  /** Every party it has been with, the current one last. */
  readonly responsibleParties: readonly string[];
  readonly invitedParties: readonly string[];
  readonly addressedOn: string | null;
  readonly action: string | null;
}

interface ReportedFinding {
  readonly findingId: string;
  readonly status: 'open' | 'addressed';
  readonly placeIds: readonly string[];
  readonly kind: string;
  readonly description: string;
  readonly reportedOn: string;
  readonly reportingAgency: string;
  readonly responsibleParty: string;
  readonly responsibleParties: readonly string[];
  readonly addressedOn: string | null;
  readonly action: string | null;
}

interface WalkWithFindings {
  readonly walkId: string;
  readonly conductedOn?: string;
  readonly invitedParties: readonly string[];
  readonly findings: readonly {
    findingId: string;
    placeIds: readonly string[];
    kind: string;
    description: string;
    responsibleParty: string;
    addressedOn?: string;
    action?: string;
  }[];
}

function fromWalk(walk: WalkWithFindings, findingId: string): Finding | undefined {
  const f = walk.findings.find((x) => x.findingId === findingId);
  if (!f) return undefined;
  return {
    findingId: f.findingId,
    walkId: walk.walkId,
    placeIds: f.placeIds,
    kind: f.kind,
    description: f.description,
    foundOn: walk.conductedOn ?? '',
    reportingAgency: null,
    responsibleParty: f.responsibleParty,
    responsibleParties: [f.responsibleParty],
    invitedParties: walk.invitedParties,
    addressedOn: f.addressedOn ?? null,
    action: f.action ?? null,
  };
}

function fromReport(r: ReportedFinding): Finding {
  return {
    findingId: r.findingId,
    walkId: null,
    placeIds: r.placeIds,
    kind: r.kind,
    description: r.description,
    foundOn: r.reportedOn,
    reportingAgency: r.reportingAgency,
    responsibleParty: r.responsibleParty,
    responsibleParties: r.responsibleParties,
    invitedParties: [],
    addressedOn: r.addressedOn,
    action: r.action,
  };
}

/**
 * One finding followed to closure: who found it and where, who it has been with, and (for the
 * party it is with) recording what was done; the organisers (and, outside a walk, the party it
 * is with) can give it to another party with a reason.
 */
export function FindingPage({ findingId }: { findingId: string }) {
  const { t, date, agency } = useI18n();
  const { state } = useSession();
  const { search } = useRoute();
  const own = state.status === 'signed-in' ? state.session.agency : '';
  const walkId = search.get('vandring');
  const walk = useApi<WalkWithFindings>(
    walkId ? `/safety-walks/${encodeURIComponent(walkId)}` : undefined,
  );
  const report = useApi<ReportedFinding>(
    walkId ? undefined : `/findings/${encodeURIComponent(findingId)}`,
  );
  const places = useAllPages<RegisteredPlace>('/places');
  const words = useFindingWords(places.status === 'ok' ? places.data.items : []);
  const [recorded, setRecorded] = useState<string | undefined>();
  const [reassigning, setReassigning] = useState(false);

  const loaded: Loaded<Finding | undefined> & { retry: () => void } = walkId
    ? walk.status === 'ok'
      ? { status: 'ok', data: fromWalk(walk.data, findingId), retry: walk.retry }
      : walk
    : report.status === 'ok'
      ? { status: 'ok', data: fromReport(report.data), retry: report.retry }
      : report;

  if (loaded.status === 'loading') return <Loading />;
  if (loaded.status === 'failed' && loaded.problem.status !== 404)
    return <Failed problem={loaded.problem} retry={loaded.retry} />;
  if (loaded.status === 'failed' || !loaded.data) {
    return (
      <>
        <PageTitle>{t('findings.notFound')}</PageTitle>
        <p>{t('findings.notFoundBody')}</p>
        <p>
          <Link to="/brister">{t('findings.back')}</Link>
        </p>
      </>
    );
  }
  const f = loaded.data;
  const base = f.walkId
    ? `/safety-walks/${encodeURIComponent(f.walkId)}/findings/${encodeURIComponent(f.findingId)}`
    : `/findings/${encodeURIComponent(f.findingId)}`;
  const open = f.addressedOn === null;
  const mayReassign =
    open && (WALK_ORGANISERS.includes(own) || (f.walkId === null && own === f.responsibleParty));
  const done = (message: string) => {
    setRecorded(message);
    setReassigning(false);
    loaded.retry();
  };

  return (
    <>
      <PageTitle>
        {words.places(f.placeIds)}: {words.kind(f.kind)}
      </PageTitle>
      <p>
        <Link to="/brister">{t('findings.back')}</Link>
        {f.walkId && (
          <>
            {' · '}
            <Link to={`/trygghetsvandringar/${encodeURIComponent(f.walkId)}`}>
              {t('findings.toWalk')}
            </Link>
          </>
        )}
      </p>
      {recorded && (
        <Recorded message={recorded} links={[{ to: '/brister', label: t('findings.back') }]} />
      )}
      <p className="finding-description">{f.description}</p>
      <dl className="facts">
        <dt>{t('findings.statusLabel')}</dt>
        <dd>
          <span className={`tag${open ? ' tag--behind' : ''}`}>
            {t(open ? 'findings.status.open' : 'findings.status.addressed')}
          </span>
        </dd>
        <dt>{t('findings.responsible')}</dt>
        <dd>{agency(f.responsibleParty)}</dd>
      </dl>
      <h2>{t('findings.history')}</h2>
      <ol className="history">
        <li>
          {f.walkId
            ? t('findings.history.found', { date: date(f.foundOn) })
            : t('findings.history.reported', {
                date: date(f.foundOn),
                agency: agency(f.reportingAgency ?? ''),
              })}{' '}
          {t('findings.history.givenTo', { agency: agency(f.responsibleParties[0] ?? '') })}
        </li>
        {f.responsibleParties.slice(1).map((p) => (
          <li key={p}>{t('findings.history.reassigned', { agency: agency(p) })}</li>
        ))}
        {f.addressedOn && (
          <li>
            {t('findings.history.addressed', {
              date: date(f.addressedOn),
              agency: agency(f.responsibleParty),
            })}
            : {f.action}
          </li>
        )}
      </ol>
      {open &&
        (own === f.responsibleParty ? (
          <AddressFinding
            path={`${base}/addressed`}
            foundOn={f.foundOn}
            onDone={() => done(t('findings.addressed'))}
          />
        ) : (
          <p className="notice">{t('findings.notYours', { agency: agency(f.responsibleParty) })}</p>
        ))}
      {mayReassign &&
        (reassigning ? (
          <Reassign
            path={`${base}/reassignment`}
            current={f.responsibleParty}
            parties={f.walkId ? [...PARTNER_AGENCIES, ...f.invitedParties] : ALL_AGENCIES}
            onCancel={() => setReassigning(false)}
            onDone={(to) => done(t('findings.reassigned', { agency: agency(to) }))}
          />
        ) : (
          <p>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setReassigning(true)}
            >
              {t('findings.reassign')}
            </button>
          </p>
        ))}
    </>
  );
}

const CODE_FIELD: Readonly<Record<string, string>> = {
  'FINDING.DATE_IN_FUTURE': 'addressedOn',
  'WALK.DATE_IN_FUTURE': 'addressedOn',
  'FINDING.ADDRESSED_BEFORE_FOUND': 'addressedOn',
  'WALK.ADDRESSED_BEFORE_FOUND': 'addressedOn',
  'FINDING.SAME_PARTY': 'responsibleParty',
  'WALK.SAME_PARTY': 'responsibleParty',
  'WALK.PARTY_NOT_INVITED': 'responsibleParty',
  'FINDING.REASON_REQUIRED': 'reason',
  'WALK.REASON_REQUIRED': 'reason',
};
const fieldOf = (path: string) => path.split(/[.[]/)[0]!;

function AddressFinding({
  path,
  foundOn,
  onDone,
}: {
  path: string;
  foundOn: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [addressedOn, setAddressedOn] = useState(swedishToday);
  const [action, setAction] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useSubmission('findings');
  const labels = new Map([
    ['addressedOn', t('findings.addressedOn')],
    ['action', t('findings.action')],
  ]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!isDate(addressedOn)) found['addressedOn'] = t('walks.error.date');
    else if (foundOn && addressedOn < foundOn)
      found['addressedOn'] = t('findings.problem.FINDING.ADDRESSED_BEFORE_FOUND');
    if (!action.trim()) found['action'] = t('findings.error.action');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send(
      path,
      { addressedOn, action },
      fieldOf,
      CODE_FIELD,
    );
    setErrors(problems);
    if (result) onDone();
  }
  return (
    <section aria-labelledby="address-finding" className="walk-form">
      <h2 id="address-finding">{t('findings.address')}</h2>
      <ErrorSummary errors={errors} order={['addressedOn', 'action']} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <DayField
          id="addressedOn"
          label={t('findings.addressedOn')}
          error={errors['addressedOn']}
          value={addressedOn}
          onChange={setAddressedOn}
        />
        <FreeTextField
          id="action"
          label={t('findings.action')}
          hint={t('findings.actionHint')}
          error={errors['action']}
          value={action}
          submission={submission}
          onChange={setAction}
        />
        <PersonalDataConfirm submission={submission} />
        <SubmitButton id="address-submit" submitting={submission.submitting}>
          {t('findings.addressSubmit')}
        </SubmitButton>
      </form>
    </section>
  );
}

function Reassign({
  path,
  current,
  parties,
  onCancel,
  onDone,
}: {
  path: string;
  current: string;
  parties: readonly string[];
  onCancel: () => void;
  onDone: (to: string) => void;
}) {
  const { t, agency } = useI18n();
  const [responsibleParty, setResponsibleParty] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const submission = useSubmission('findings');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const labels = new Map([
    ['responsibleParty', t('findings.newResponsible')],
    ['reason', t('findings.reason')],
  ]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!responsibleParty) found['responsibleParty'] = t('walks.error.responsibleParty');
    if (!reason.trim()) found['reason'] = t('findings.error.reason');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send(
      path,
      { responsibleParty, reason },
      fieldOf,
      CODE_FIELD,
    );
    setErrors(problems);
    if (result) onDone(responsibleParty);
  }
  return (
    <section
      aria-labelledby="reassign-finding"
      className="panel panel--warning walk-form"
      role="region"
    >
      <h2 id="reassign-finding" tabIndex={-1} ref={heading}>
        {t('findings.reassignTitle')}
      </h2>
      <ErrorSummary errors={errors} order={['responsibleParty', 'reason']} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <SelectField
          id="responsibleParty"
          label={t('findings.newResponsible')}
          error={errors['responsibleParty']}
          value={responsibleParty}
          onChange={setResponsibleParty}
          placeholder={t('findings.responsibleChoose')}
          options={parties
            .filter((a) => a !== current)
            .map((a) => ({ value: a, label: agency(a) }))}
        />
        <FreeTextField
          id="reason"
          label={t('findings.reason')}
          hint={t('findings.reasonHint')}
          error={errors['reason']}
          value={reason}
          submission={submission}
          onChange={setReason}
          maxLength={2000}
        />
        <PersonalDataConfirm submission={submission} />
        <ul className="button-row">
          <li>
            <SubmitButton id="reassign-submit" submitting={submission.submitting}>
              {t('findings.reassignSubmit')}
            </SubmitButton>
          </li>
          <li>
            <button type="button" className="button button--secondary" onClick={onCancel}>
              {t('findings.cancel')}
            </button>
          </li>
        </ul>
      </form>
    </section>
  );
}

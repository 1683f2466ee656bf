import { useRef, useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../api';
import {
  EST_REPORTER_AGENCIES,
  isCoordinator,
  ReasonPanel,
  RefusedOrFailed,
  sendOnce,
  SubmitButton,
  TableRegion,
  type Place,
} from '../components/admin';
import { ErrorSummary, SelectField, type FieldErrors } from '../components/form';
import { PageTitle } from '../components/layout';
import { Loading } from '../components/status';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { useAllPages, useApi } from '../use-api';
import '../styles/admin.css';

interface Assignment {
  readonly placeId: string;
  readonly agencies: readonly string[];
}

/**
 * Which agencies report EST counts for which places. The safety coordinator adds a reporter
 * and removes one with a reason; the partners read the list (the API refuses the others).
 */
export function EstReportersPage() {
  const { t, agency } = useI18n();
  const { state } = useSession();
  const session = state.status === 'signed-in' ? state.session : undefined;
  const keeper = isCoordinator(session?.agency, session?.activeRole);
  const reporters = useApi<Assignment[]>('/est/reporters');
  const places = useAllPages<Place>('/places');
  const [removing, setRemoving] = useState<{ placeId: string; agency: string }>();
  const [done, setDone] = useState<string>();
  if (reporters.status === 'loading' || places.status === 'loading') return <Loading />;
  const failed =
    reporters.status === 'failed' ? reporters : places.status === 'failed' ? places : undefined;
  if (failed?.status === 'failed') {
    return (
      <>
        <PageTitle>{t('estReporters.title')}</PageTitle>
        <RefusedOrFailed
          problem={failed.problem}
          retry={failed.retry}
          who={t('audit.who.partners')}
        />
      </>
    );
  }
  if (reporters.status !== 'ok' || places.status !== 'ok') return null;
  const nameOf = (placeId: string) =>
    places.data.items.find((p) => p.placeId === placeId)?.name ?? placeId;
  const changed = (message: string) => {
    setDone(message);
    setRemoving(undefined);
    reporters.retry();
  };
  const rows = [...reporters.data].sort((a, b) =>
    nameOf(a.placeId).localeCompare(nameOf(b.placeId), 'sv'),
  );
  return (
    <>
      <PageTitle>{t('estReporters.title')}</PageTitle>
      <p className="lead">{t('estReporters.lead')}</p>
      {done && (
        <div className="panel panel--success" role="status">
          <p>{done}</p>
        </div>
      )}
      {!keeper && <p>{t('estReporters.readOnly')}</p>}
      {keeper && (
        <AddReporter
          places={places.data.items}
          assigned={reporters.data}
          onAdded={(placeId, a) =>
            changed(t('estReporters.added', { agency: agency(a), place: nameOf(placeId) }))
          }
        />
      )}
      <h2>{t('estReporters.list')}</h2>
      {rows.length === 0 ? (
        <p>{t('estReporters.none')}</p>
      ) : (
        <TableRegion label={t('estReporters.list')}>
          <thead>
            <tr>
              <th scope="col">{t('estReporters.col.place')}</th>
              <th scope="col">{t('estReporters.col.agencies')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.placeId} data-place-id={row.placeId}>
                <th scope="row">{nameOf(row.placeId)}</th>
                <td>
                  <ul className="role-list">
                    {row.agencies.map((a) => (
                      <li key={a}>
                        {agency(a)}
                        {keeper && (
                          <>
                            {' '}
                            <button
                              type="button"
                              className="link-button"
                              onClick={() => {
                                setDone(undefined);
                                setRemoving({ placeId: row.placeId, agency: a });
                              }}
                            >
                              {t('estReporters.remove')}
                              <span className="visually-hidden">
                                {' '}
                                {agency(a)}, {nameOf(row.placeId)}
                              </span>
                            </button>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                  {removing?.placeId === row.placeId && (
                    <RemoveReporter
                      change={removing}
                      place={nameOf(row.placeId)}
                      onCancel={() => setRemoving(undefined)}
                      onRemoved={() =>
                        changed(
                          t('estReporters.removed', {
                            agency: agency(removing.agency),
                            place: nameOf(removing.placeId),
                          }),
                        )
                      }
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </TableRegion>
      )}
    </>
  );
}

function AddReporter({
  places,
  assigned,
  onAdded,
}: {
  places: readonly Place[];
  assigned: readonly Assignment[];
  onAdded: (placeId: string, agency: string) => void;
}) {
  const { t, agency: agencyName } = useI18n();
  const [placeId, setPlaceId] = useState('');
  const [agency, setAgency] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const key = useRef(crypto.randomUUID());
  const labels = new Map([
    ['est-place', t('estReporters.place')],
    ['est-agency', t('estReporters.agency')],
  ]);
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting) return;
    const found: Record<string, string> = {};
    if (!placeId) found['est-place'] = t('estReporters.error.place');
    if (!agency) found['est-agency'] = t('estReporters.error.agency');
    if (
      placeId &&
      agency &&
      assigned.some((a) => a.placeId === placeId && a.agencies.includes(agency))
    ) {
      found['est-agency'] = t('estReporters.error.already');
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSubmitting(true);
    try {
      await api('/est/reporters', {
        method: 'POST',
        idempotencyKey: key.current,
        body: { placeId, agency },
      });
      key.current = crypto.randomUUID();
      setPlaceId('');
      setAgency('');
      onAdded(placeId, agency);
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      setErrors(
        error.code === 'EST.ALREADY_ASSIGNED'
          ? { 'est-agency': t('estReporters.error.already') }
          : { form: error.detail || error.title },
      );
    } finally {
      setSubmitting(false);
    }
  }
  return (
    <section className="card admin-form" aria-labelledby="est-add-title">
      <h2 id="est-add-title">{t('estReporters.add')}</h2>
      <ErrorSummary errors={errors} order={['est-place', 'est-agency']} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <SelectField
          id="est-place"
          label={t('estReporters.place')}
          error={errors['est-place']}
          value={placeId}
          onChange={setPlaceId}
          placeholder={t('estReporters.placeChoose')}
          options={[...places]
            .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
            .map((p) => ({ value: p.placeId, label: p.name }))}
        />
        <SelectField
          id="est-agency"
          label={t('estReporters.agency')}
          hint={t('estReporters.agencyHint')}
          error={errors['est-agency']}
          value={agency}
          onChange={setAgency}
          placeholder={t('estReporters.agencyChoose')}
          options={EST_REPORTER_AGENCIES.map((a) => ({ value: a, label: agencyName(a) }))}
        />
        <SubmitButton id="est-submit" busy={submitting}>
          {t('estReporters.submit')}
        </SubmitButton>
      </form>
    </section>
  );
}

function RemoveReporter({
  change,
  place,
  onCancel,
  onRemoved,
}: {
  change: { placeId: string; agency: string };
  place: string;
  onCancel: () => void;
  onRemoved: () => void;
}) {
  const { t, agency } = useI18n();
  const key = useRef(crypto.randomUUID());
  return (
    <ReasonPanel
      id="est-reason"
      title={t('estReporters.removeTitle', { agency: agency(change.agency), place })}
      label={t('estReporters.reason')}
      hint={t('estReporters.reasonHint')}
      missing={t('estReporters.error.reason')}
      confirm={t('estReporters.removeConfirm')}
      cancel={t('estReporters.cancel')}
      onCancel={onCancel}
      send={async (reason) => {
        const problem = await sendOnce('/est/reporters/removal', key.current, {
          ...change,
          reason,
        });
        if (!problem) onRemoved();
        return problem;
      }}
    />
  );
}

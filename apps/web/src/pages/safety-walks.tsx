import { useState, type FormEvent } from 'react';
import { PARTNER_AGENCIES } from '../../../../libs/domain/src/agencies/agencies';
import {
  ChoiceField,
  ErrorSummary,
  isDate,
  SelectField,
  type FieldErrors,
} from '../components/form';
import { PageTitle } from '../components/layout';
import { Failed, Loading } from '../components/status';
import {
  ALL_AGENCIES,
  Recorded,
  SubmitButton,
  useSubmission,
  type FieldOf,
  DayField,
} from '../components/walk-form';
import { WithPlaces, type RegisteredPlace } from '../components/walk-place';
import { useI18n } from '../i18n';
import { useLive } from '../live';
import { Link } from '../router';
import { useSession } from '../session';
import { useAllPages, useApi } from '../use-api';
import '../styles/walks.css';

export interface WalkListItem {
  readonly walkId: string;
  readonly areaId: string | null;
  readonly route: readonly string[];
  readonly plannedOn: string | null;
  readonly invitedParties: readonly string[];
  readonly conductedOn: string | null;
  readonly status: 'planned' | 'conducted';
  readonly findings: readonly { findingId: string; status: 'open' | 'addressed' }[];
}

/** The organisers of safety walks: the police area and the municipality. */
export const WALK_ORGANISERS = ['police', 'municipality'];

/** The places lying in an area, the area itself first, through areas within it. */
export function placesIn(places: readonly RegisteredPlace[], areaId: string): RegisteredPlace[] {
  const inside = new Set([areaId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of places) {
      if (p.areaId && inside.has(p.areaId) && !inside.has(p.placeId)) {
        inside.add(p.placeId);
        grew = true;
      }
    }
  }
  return places.filter((p) => inside.has(p.placeId));
}

const FIELDS = ['areaId', 'route', 'plannedOn', 'invitedParties'] as const;
const fieldOf: FieldOf = (path) => (path.startsWith('route') ? 'route' : path.split(/[.[]/)[0]!);

/**
 * The safety walks the user may read, newest first, and (for the police area and the
 * municipality) a form to plan one: the area, the route of registered places, the day and the
 * parties invited besides the partnership.
 */
export function SafetyWalksPage() {
  const { t, date, agency } = useI18n();
  const { state } = useSession();
  const own = state.status === 'signed-in' ? state.session.agency : '';
  const walks = useApi<{ items: WalkListItem[] }>('/safety-walks?limit=50');
  const places = useAllPages<RegisteredPlace>('/places');
  useLive((n) => {
    if (n === null || n.streamId.startsWith('safety-walk-')) walks.retry();
  });
  const names = new Map(
    places.status === 'ok' ? places.data.items.map((p) => [p.placeId, p.name]) : [],
  );
  const name = (id: string | null) => (id ? (names.get(id) ?? id) : '');

  return (
    <>
      <PageTitle>{t('walks.title')}</PageTitle>
      <p className="lead">{t('walks.lead')}</p>
      <p>
        <Link to="/brister">{t('walks.toFindings')}</Link>
      </p>
      {walks.status === 'loading' && <Loading />}
      {walks.status === 'failed' && <Failed problem={walks.problem} retry={walks.retry} />}
      {walks.status === 'ok' &&
        (walks.data.items.length === 0 ? (
          <p>{t('walks.none')}</p>
        ) : (
          <ul className="plain-list walk-list">
            {walks.data.items.map((w) => {
              const open = w.findings.filter((f) => f.status === 'open').length;
              return (
                <li key={w.walkId} className="walk-card" data-walk-id={w.walkId}>
                  <h2 className="walk-card__title">
                    <Link to={`/trygghetsvandringar/${encodeURIComponent(w.walkId)}`}>
                      {name(w.areaId) || w.walkId}
                    </Link>
                  </h2>
                  <p className="meta">
                    <span className={`tag${w.status === 'planned' ? ' tag--behind' : ''}`}>
                      {t(`walks.status.${w.status}`)}
                    </span>{' '}
                    {w.status === 'conducted' && w.conductedOn
                      ? t('walks.conductedOn', { date: date(w.conductedOn) })
                      : w.plannedOn
                        ? t('walks.plannedOn', { date: date(w.plannedOn) })
                        : ''}
                  </p>
                  <p>
                    {t('walks.route')}: {w.route.map(name).join(' → ')}
                  </p>
                  {w.invitedParties.length > 0 && (
                    <p className="meta">
                      {t('walks.invited')}: {w.invitedParties.map(agency).join(', ')}
                    </p>
                  )}
                  {w.status === 'conducted' && (
                    <p className="meta">
                      {t('walks.findingsCount', { count: w.findings.length, open })}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        ))}
      {WALK_ORGANISERS.includes(own) && (
        <WithPlaces places={places}>
          {(items) => <PlanWalk places={items} onPlanned={walks.retry} />}
        </WithPlaces>
      )}
    </>
  );
}

function PlanWalk({
  places,
  onPlanned,
}: {
  places: readonly RegisteredPlace[];
  onPlanned: () => void;
}) {
  const { t, agency } = useI18n();
  const [areaId, setAreaId] = useState('');
  const [route, setRoute] = useState<string[]>([]);
  const [plannedOn, setPlannedOn] = useState('');
  const [invited, setInvited] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [planned, setPlanned] = useState<string | undefined>();
  const submission = useSubmission('walks');
  const areas = places
    .filter((p) => p.kind === 'area')
    .sort((a, b) => a.name.localeCompare(b.name, 'sv'));
  // The area itself first, then the places in it by name.
  const onRoute = areaId
    ? placesIn(places, areaId).sort(
        (a, b) =>
          Number(b.placeId === areaId) - Number(a.placeId === areaId) ||
          a.name.localeCompare(b.name, 'sv'),
      )
    : [];
  const labels = new Map<string, string>([
    ['areaId', t('walks.area')],
    ['route', t('walks.route')],
    ['plannedOn', t('walks.plannedOnLabel')],
    ['invitedParties', t('walks.invited')],
  ]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!areaId) found['areaId'] = t('walks.error.areaId');
    if (route.length === 0) found['route'] = t('walks.error.route');
    if (!isDate(plannedOn)) found['plannedOn'] = t('walks.error.date');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { result, errors: problems } = await submission.send<{ id?: string; streamId: string }>(
      '/safety-walks',
      { areaId, route, plannedOn, invitedParties: invited },
      fieldOf,
    );
    setErrors(problems);
    if (!result) return;
    setPlanned(result.id ?? result.streamId.replace(/^safety-walk-/, ''));
    setAreaId('');
    setRoute([]);
    setPlannedOn('');
    setInvited([]);
    onPlanned();
  }

  return (
    <section aria-labelledby="plan-walk" className="walk-form">
      <h2 id="plan-walk">{t('walks.plan')}</h2>
      {planned && (
        <Recorded
          message={t('walks.planned')}
          links={[
            {
              to: `/trygghetsvandringar/${encodeURIComponent(planned)}`,
              label: t('walks.openPlanned'),
            },
          ]}
        />
      )}
      <ErrorSummary errors={errors} order={FIELDS} labels={labels} />
      <form noValidate onSubmit={(e) => void submit(e)}>
        <SelectField
          id="areaId"
          label={t('walks.area')}
          error={errors['areaId']}
          value={areaId}
          onChange={(v) => {
            setAreaId(v);
            setRoute([]);
          }}
          placeholder={t('walks.areaChoose')}
          options={areas.map((a) => ({ value: a.placeId, label: a.name }))}
        />
        {areaId ? (
          <ChoiceField
            id="route"
            type="checkbox"
            legend={t('walks.route')}
            hint={t('walks.routeHint')}
            error={errors['route']}
            value={route}
            onChange={setRoute}
            options={onRoute.map((p) => {
              const at = route.indexOf(p.placeId);
              return { value: p.placeId, label: at >= 0 ? `${at + 1}. ${p.name}` : p.name };
            })}
          />
        ) : (
          errors['route'] && (
            <p className="field-error" id="route" tabIndex={-1}>
              {errors['route']}
            </p>
          )
        )}
        <DayField
          id="plannedOn"
          label={t('walks.plannedOnLabel')}
          error={errors['plannedOn']}
          value={plannedOn}
          onChange={setPlannedOn}
        />
        <ChoiceField
          id="invitedParties"
          type="checkbox"
          legend={t('walks.invited')}
          hint={t('walks.invitedHint')}
          error={errors['invitedParties']}
          value={invited}
          onChange={setInvited}
          options={ALL_AGENCIES.filter((a) => !PARTNER_AGENCIES.includes(a as never)).map((a) => ({
            value: a,
            label: agency(a),
          }))}
        />
        <SubmitButton id="plan-submit" submitting={submission.submitting}>
          {t('walks.planSubmit')}
        </SubmitButton>
      </form>
    </section>
  );
}

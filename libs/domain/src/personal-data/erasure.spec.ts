import { specFor } from '../given-when-then';
import { erasureDecider, type ErasePersonalData, type PersonalDataErased } from './erasure';

const at = new Date('2025-03-01T10:00:00Z');
const socDpo = {
  userId: 'u-soc-dpo',
  agency: 'social-services',
  role: 'data-protection-officer',
} as const;
const schoolDpo = {
  userId: 'u-school-dpo',
  agency: 'school',
  role: 'data-protection-officer',
} as const;
const principal = { userId: 'u-rektor', agency: 'school', role: 'principal' } as const;

const records = (over: Partial<ErasePersonalData> = {}): ErasePersonalData => ({
  type: 'ErasePersonalData',
  erasureId: 'e-1',
  scope: 'records',
  eventIds: ['ev-1', 'ev-2'],
  controllers: { 'ev-1': 'school', 'ev-2': 'school' },
  reason: 'En elev namngavs i fritext',
  by: schoolDpo,
  at,
  ...over,
});

const erased: PersonalDataErased = {
  type: 'PersonalDataErased',
  data: {
    erasureId: 'e-1',
    scope: 'records',
    eventIds: ['ev-1', 'ev-2'],
    reason: 'En elev namngavs i fritext',
  },
};

describe('erasure of personal data', () => {
  const spec = specFor(erasureDecider);

  it("erases records of the DPO's own agency, naming them", () => {
    spec.given().when(records()).then(erased);
  });

  it('is decided by a data protection officer only', () => {
    spec
      .given()
      .when(records({ by: principal }))
      .thenRefused('ERASURE.NOT_DATA_PROTECTION_OFFICER', 'forbidden');
  });

  it('refuses records of another agency, or that do not exist, alike', () => {
    const refusal = spec
      .given()
      .when(records({ controllers: { 'ev-1': 'school', 'ev-2': 'police' } }))
      .thenRefused('ERASURE.NOT_CONTROLLER');
    expect(refusal.message).toMatch(/ev-2/);
    spec
      .given()
      .when(records({ controllers: { 'ev-1': 'school' } }))
      .thenRefused('ERASURE.NOT_CONTROLLER');
  });

  it('erases a data subject by the DPO of social services only, naming no one', () => {
    const subject = records({ scope: 'data-subject', eventIds: [], controllers: {}, by: socDpo });
    spec
      .given()
      .when(subject)
      .then({
        type: 'PersonalDataErased',
        data: { erasureId: 'e-1', scope: 'data-subject', eventIds: [], reason: subject.reason },
      });
    spec
      .given()
      .when({ ...subject, by: schoolDpo })
      .thenRefused('ERASURE.NOT_SUBJECT_CONTROLLER');
  });

  it('states a reason, selects some records, and is made once', () => {
    spec
      .given()
      .when(records({ reason: ' ' }))
      .thenRefused('ERASURE.REASON_REQUIRED');
    spec
      .given()
      .when(records({ eventIds: [] }))
      .thenRefused('ERASURE.RECORDS_REQUIRED');
    spec.given(erased).when(records()).thenRefused('ERASURE.EXISTS', 'conflict');
  });
});

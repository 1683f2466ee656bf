import type { DraftPromise } from '@samverkan/domain/citizen-promise/citizen-promise.commands';
import type { Commitment } from '@samverkan/domain/citizen-promise/citizen-promise.events';

/**
 * The citizen promise of LPO Karlstad and Hammarö kommun 2023–2025, as the seed document
 * (../shared/seed/medborgarlofte-hammaro-2023-2025.txt) states it: the problem areas in their
 * ranking, the focus, every commitment in the document's words with its owner, and the three
 * signatories. The weekly cadence is the document's "vid ett tillfälle per vecka".
 */
export const HAMMARO_PROMISE_ID = 'hammaro-2023-2025';
export const HAMMARO_PARTNERSHIP_ID = 'hammaro';

const police = (
  commitmentId: string,
  description: string,
  problemAreaRanks: number[],
  cadence?: Commitment['cadence'],
): Commitment => ({
  commitmentId,
  owner: 'police',
  description,
  problemAreaRanks,
  ...(cadence ? { cadence } : {}),
});
const joint = (
  commitmentId: string,
  description: string,
  problemAreaRanks: number[],
): Commitment => ({
  commitmentId,
  owner: 'joint',
  description,
  problemAreaRanks,
});
const municipal = (
  commitmentId: string,
  description: string,
  problemAreaRanks: number[],
): Commitment => ({ commitmentId, owner: 'municipality', description, problemAreaRanks });

export const hammaroPromise: Omit<DraftPromise, 'type' | 'by' | 'at'> = {
  promiseId: HAMMARO_PROMISE_ID,
  title: 'Polisens medborgarlöfte i samverkan med Hammarö kommun 2023–2025',
  municipality: 'Hammarö kommun',
  policeArea: 'Lokalpolisområde Karlstad',
  period: { from: '2023-01-01', to: '2025-12-31' },
  origin:
    'Medborgardialoger i form av samtal med kommuninvånare, genomförda gemensamt av LPO Karlstad och Hammarö kommun, och andra tillgängliga datakällor, analyserade tillsammans.',
  problemAreas: [
    { rank: 1, code: 'alcohol-drug-crime', name: 'Alkohol och drogrelaterad brottslighet' },
    { rank: 2, code: 'traffic-crime', name: 'Trafikbrottslighet' },
    { rank: 3, code: 'vandalism-burglary', name: 'Skadegörelse och inbrott' },
  ],
  focus: 'Narkotika- och alkoholrelaterad brottslighet',
  commitments: [
    police(
      'police-youth-outreach',
      'Arbeta uppsökande mot ungdomar och ungdomsmiljöer och eftersträva en god underrättelsebild kring unga i riskzon.',
      [1],
    ),
    police(
      'police-drug-dealing',
      'Insatser mot narkotikaförsäljning samt annan olovlig hantering av droger med hänsyn till rådande underrättelsebild.',
      [1],
    ),
    police(
      'police-traffic-controls',
      'Trafikkontroller kopplat alkohol och droger samt mopeder och A-traktorer.',
      [1, 2],
    ),
    police(
      'police-local-office',
      'Upprätthållande av lokalt poliskontor vid ett tillfälle per vecka. Företrädesvis med hjälp av det mobila poliskontoret för att stärka den polisiära närvaron.',
      [1, 2, 3],
      { times: 1, per: 'week' },
    ),
    police(
      'police-foot-patrol',
      'Utökad synlighet i form av uniformerad fotpatrullering på platser med särskilt behov.',
      [1, 3],
    ),
    joint(
      'joint-social-services-cooperation',
      'Utöka samverkan mellan polis och socialtjänst relaterat till ungdomar och tidiga insatser.',
      [1],
    ),
    joint(
      'joint-prevention-talks',
      'Tillsammans genomföra förebyggande samtal med särskilt utsatta ungdomar.',
      [1],
    ),
    joint(
      'joint-situation-sharing',
      'Kontinuerlig delning av aktuella lägesbilder i samverkan mellan social skola och polis och fritidsverksamhet som underlag för gemensamma insatser i det brottspreventiva arbetet.',
      [1, 2, 3],
    ),
    joint(
      'joint-information-campaigns',
      'Gemensamma informationskampanjer riktad till mellan och högstadieskolorna samt föräldrar och föreningsliv.',
      [1],
    ),
    joint(
      'joint-safety-walks',
      'Trygghetsvandringar i syfte att skapa en tryggare utomhusmiljö samt samverkan med lokala bostadsbolag.',
      [3],
    ),
    municipal(
      'municipality-early-interventions',
      'Utöka det interna samarbetet och struktur för att etablera tidiga insatser gällande ungdomar/föräldrar som är i behov av stöd och hjälp.',
      [1],
    ),
    municipal(
      'municipality-andts',
      'Aktivt jobba med ANDTS frågor samt information och upplysning kring detta riktad till medborgarna.',
      [1],
    ),
    municipal(
      'municipality-situation-monitoring',
      'Kontinuerlig kontroll av aktuell lägesbild.',
      [1, 2, 3],
    ),
    municipal(
      'municipality-security-guards',
      'Hammarö kommuns väktare kommer att ha riktade insatser mot aktuella problemområden, som t.ex. båthamnar, skadegörelse på skolor och andra brottsdrabbade områden.',
      [3],
    ),
    municipal(
      'municipality-youth-drug-prevention',
      'Förebyggande insatser mot ungdomar och droger.',
      [1],
    ),
    municipal(
      'municipality-safety-walks',
      'Trygghetsvandringar tillsammans med polisen och räddningstjänsten.',
      [3],
    ),
  ],
  signatories: [
    {
      signatoryId: 'lpo-karlstad-chief',
      name: 'Ulrika Sundström',
      title: 'Chef LPO Karlstad',
      agency: 'police',
    },
    {
      signatoryId: 'board-chair',
      name: 'Solweig Gard',
      title: 'Kommunstyrelsens ordförande',
      agency: 'municipality',
    },
    {
      signatoryId: 'chief-executive',
      name: 'Caroline Depui',
      title: 'Kommundirektör',
      agency: 'municipality',
    },
  ],
};

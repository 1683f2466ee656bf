/**
 * The words of "Här känner jag mig otrygg": the residents' page (`unsafe.`) and the safety
 * coordinator's page of waiting submissions (`dialogue.`).
 */
export const sv = {
  'unsafe.link': 'Här känner jag mig otrygg – berätta var',
  'unsafe.title': 'Här känner jag mig otrygg',
  'unsafe.lead':
    'Berätta var i kommunen du känner dig otrygg. Välj en plats och vad det gäller. Du behöver inte logga in, och vi sparar ingenting om dig.',
  'unsafe.emergency':
    'Är det akut? Ring 112. Vill du anmäla ett brott eller tipsa polisen, ring 114 14.',
  'unsafe.place': 'Var känner du dig otrygg?',
  'unsafe.placeHint':
    'Sök på platsens namn, eller använd din position. Din position skickas inte: vi väljer bara den närmaste platsen.',
  'unsafe.usePosition': 'Använd min position',
  'unsafe.locating': 'Söker din position …',
  'unsafe.nearest': 'Närmast dig: {place}. Den är vald i listan.',
  'unsafe.noneNear': 'Vi hittade ingen plats nära dig. Välj plats i listan.',
  'unsafe.positionFailed': 'Vi fick inte din position. Välj plats i listan i stället.',
  'unsafe.noPosition': 'Din webbläsare kan inte visa din position. Välj plats i listan.',
  'unsafe.search': 'Sök plats',
  'unsafe.matches': '{count} platser visas',
  'unsafe.matchesOne': '1 plats visas',
  'unsafe.noMatch': 'Ingen plats heter så. Försök med en del av namnet.',
  'unsafe.category': 'Vad gäller det?',
  'unsafe.category.poor-lighting': 'Dålig belysning',
  'unsafe.category.vandalism': 'Skadegörelse',
  'unsafe.category.disorder': 'Stök eller ordningsstörning',
  'unsafe.category.drugs': 'Narkotika',
  'unsafe.category.traffic': 'Trafik',
  'unsafe.category.threats-violence': 'Hot och våld',
  'unsafe.category.other': 'Något annat',
  'unsafe.submit': 'Skicka',
  'unsafe.error.place': 'Välj en plats',
  'unsafe.error.category': 'Välj vad det gäller',
  'unsafe.error.unknownPlace': 'Platsen finns inte längre i listan. Välj en annan plats.',
  'unsafe.error.tooMany':
    'Du har skickat många på kort tid. Vänta en stund och försök igen om en timme.',
  'unsafe.error.failed': 'Det gick inte att skicka just nu. Försök igen om en stund.',
  'unsafe.done': 'Tack! Vi har tagit emot det',
  'unsafe.doneWhat': 'Du känner dig otrygg vid {place}: {category}.',
  'unsafe.nextTitle': 'Vad händer nu?',
  'unsafe.next':
    'Kommunens trygghetssamordnare läser det. Det kan bli en del av lägesbilden som polisen och kommunen arbetar med för att göra platsen tryggare. Du får inget svar, eftersom vi inte vet vem du är.',
  'unsafe.nothingStored':
    'Vi sparar ingenting om dig: inte vem du är, inte var du är och inte din adress. Vi sparar bara platsen, vad det gäller och vilken dag det kom in. Om det inte blir en del av lägesbilden tas det bort efter {days} dagar.',
  'unsafe.another': 'Berätta om en plats till',
  'unsafe.residents': 'Vad polisen och kommunen har lovat och gjort',
  'dialogue.title': 'Otrygga platser från invånare',
  'dialogue.lead':
    'Invånare har berättat var de känner sig otrygga. Ta med det i lägesbilden som en rapport från medborgardialog, eller avvisa det. Det som inte hanteras tas bort efter en tid.',
  'dialogue.none': 'Inga anmälningar väntar.',
  'dialogue.count': '{count} anmälningar',
  'dialogue.countOne': '1 anmälan',
  'dialogue.received': 'Inkom {from} – {to}',
  'dialogue.receivedOne': 'Inkom {date}',
  'dialogue.accept': 'Ta med i lägesbilden',
  'dialogue.reject': 'Avvisa',
  'dialogue.more': 'Visa fler',
  'dialogue.acceptTitle': 'Ta med i lägesbilden: {place}, {category}',
  'dialogue.acceptLead':
    'Rapporten blir kommunens, med källan medborgardialog, och delas med hela samverkan. Anmälningarna tas sedan bort.',
  'dialogue.prefill':
    'Invånare har anmält att de känner sig otrygga vid {place}. Skäl: {reason}. Antal anmälningar: {count}, mellan {from} och {to}.',
  'dialogue.prefillOneDay':
    'Invånare har anmält att de känner sig otrygga vid {place}. Skäl: {reason}. Antal anmälningar: {count}, den {date}.',
  'dialogue.acceptSubmit': 'Ta med i lägesbilden',
  'dialogue.cancel': 'Avbryt',
  'dialogue.error.future': 'Perioden kan inte sluta efter i dag',
  'dialogue.accepted': '{place} finns nu i lägesbilden.',
  'dialogue.toSituation': 'Öppna lägesbilden',
  'dialogue.rejectTitle': 'Avvisa anmälningarna?',
  'dialogue.rejectBody':
    '{count} om {place} ({category}) tas bort. Ingenting sparas i lägesbilden, och det går inte att ångra.',
  'dialogue.rejectConfirm': 'Ja, avvisa',
  'dialogue.rejected': 'Anmälningarna om {place} är borttagna.',
  'dialogue.gone': 'Anmälningarna finns inte längre: någon annan har redan hanterat dem.',
} as const;

export const en: Record<keyof typeof sv, string> = {
  'unsafe.link': 'I feel unsafe here – tell us where',
  'unsafe.title': 'I feel unsafe here',
  'unsafe.lead':
    'Tell us where in the municipality you feel unsafe. Choose a place and what it is about. You do not need to sign in, and we keep nothing about you.',
  'unsafe.emergency':
    'Is it an emergency? Call 112. To report a crime or give the police a tip, call 114 14.',
  'unsafe.place': 'Where do you feel unsafe?',
  'unsafe.placeHint':
    'Search for the name of the place, or use your position. Your position is not sent: we only choose the nearest place.',
  'unsafe.usePosition': 'Use my position',
  'unsafe.locating': 'Finding your position …',
  'unsafe.nearest': 'Nearest to you: {place}. It is chosen in the list.',
  'unsafe.noneNear': 'We found no place near you. Choose a place in the list.',
  'unsafe.positionFailed': 'We did not get your position. Choose a place in the list instead.',
  'unsafe.noPosition': 'Your browser cannot give your position. Choose a place in the list.',
  'unsafe.search': 'Search places',
  'unsafe.matches': '{count} places shown',
  'unsafe.matchesOne': '1 place shown',
  'unsafe.noMatch': 'No place has that name. Try part of the name.',
  'unsafe.category': 'What is it about?',
  'unsafe.category.poor-lighting': 'Poor lighting',
  'unsafe.category.vandalism': 'Vandalism',
  'unsafe.category.disorder': 'Disorder or disturbance',
  'unsafe.category.drugs': 'Drugs',
  'unsafe.category.traffic': 'Traffic',
  'unsafe.category.threats-violence': 'Threats and violence',
  'unsafe.category.other': 'Something else',
  'unsafe.submit': 'Send',
  'unsafe.error.place': 'Choose a place',
  'unsafe.error.category': 'Choose what it is about',
  'unsafe.error.unknownPlace': 'The place is no longer in the list. Choose another place.',
  'unsafe.error.tooMany': 'You have sent many in a short time. Wait and try again in an hour.',
  'unsafe.error.failed': 'It could not be sent just now. Try again in a while.',
  'unsafe.done': 'Thank you! We have received it',
  'unsafe.doneWhat': 'You feel unsafe at {place}: {category}.',
  'unsafe.nextTitle': 'What happens next?',
  'unsafe.next':
    "The municipality's safety coordinator reads it. It may become part of the situation picture that the police and the municipality work from to make the place safer. You get no reply, because we do not know who you are.",
  'unsafe.nothingStored':
    'We keep nothing about you: not who you are, not where you are and not your address. We keep only the place, what it is about and the day it came in. If it does not become part of the situation picture, it is deleted after {days} days.',
  'unsafe.another': 'Tell us about another place',
  'unsafe.residents': 'What the police and the municipality promised and did',
  'dialogue.title': 'Unsafe places from residents',
  'dialogue.lead':
    'Residents have told us where they feel unsafe. Bring it into the situation picture as a report from citizen dialogue, or reject it. What is not handled is deleted after a while.',
  'dialogue.none': 'No submissions are waiting.',
  'dialogue.count': '{count} submissions',
  'dialogue.countOne': '1 submission',
  'dialogue.received': 'Received {from} – {to}',
  'dialogue.receivedOne': 'Received {date}',
  'dialogue.accept': 'Bring into the situation picture',
  'dialogue.reject': 'Reject',
  'dialogue.more': 'Show more',
  'dialogue.acceptTitle': 'Bring into the situation picture: {place}, {category}',
  'dialogue.acceptLead':
    "The report becomes the municipality's, with the source citizen dialogue, and is shared with the whole partnership. The submissions are then deleted.",
  'dialogue.prefill':
    'Residents have reported that they feel unsafe at {place}. Reason: {reason}. Number of submissions: {count}, between {from} and {to}.',
  'dialogue.prefillOneDay':
    'Residents have reported that they feel unsafe at {place}. Reason: {reason}. Number of submissions: {count}, on {date}.',
  'dialogue.acceptSubmit': 'Bring into the situation picture',
  'dialogue.cancel': 'Cancel',
  'dialogue.error.future': 'The period cannot end after today',
  'dialogue.accepted': '{place} is now in the situation picture.',
  'dialogue.toSituation': 'Open the situation picture',
  'dialogue.rejectTitle': 'Reject the submissions?',
  'dialogue.rejectBody':
    '{count} about {place} ({category}) are deleted. Nothing is kept in the situation picture, and it cannot be undone.',
  'dialogue.rejectConfirm': 'Yes, reject',
  'dialogue.rejected': 'The submissions about {place} are deleted.',
  'dialogue.gone': 'The submissions are no longer there: someone else has handled them.',
};

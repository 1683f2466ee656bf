import { placeNameKey } from './places-register.decider';

/**
 * Before the places register, places were free text. Events recorded then are read through this
 * fixed table (an upcast never asks a database): each text the Hammarö partnership used maps to
 * the register's ids. Text that matches nothing is kept as an unresolved place, shown as such and
 * put on the safety coordinator's worklist; it is never dropped.
 */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  skoghall: ['skoghall'],
  'skoghall centrum': ['skoghall-centrum'],
  'skoghall centrum och lillängshamnen': ['skoghall-centrum', 'lillangshamnen'],
  'bymiljövägen (karlstadsvägen), skoghall': ['bymiljovagen'],
  'bymiljövägen, skoghall': ['bymiljovagen'],
  bymiljövägen: ['bymiljovagen'],
  'mörmoskolan och hammarö arena': ['mormoskolan', 'hammaro-arena'],
  'lillängshamnen (gästhamn)': ['lillangshamnen'],
  lillängshamnen: ['lillangshamnen'],
  sörvikshamnen: ['sorvikshamnen'],
  mörmoskolan: ['mormoskolan'],
  'hammarlundens skola': ['hammarlundens-skola'],
  'hammarö arena': ['hammaro-arena'],
  'hammarö utbildningscenter': ['hammaro-utbildningscenter'],
  'kommunhuset, skoghall': ['kommunhuset'],
  'gång- och cykelvägen mot lillängshamnen': ['gc-vagen-lillangshamnen'],
  'innergård vid skoghall centrum (hammaröbostäder)': ['innergard-skoghall-centrum'],
};

export interface ResolvedPlaces {
  readonly placeIds: string[];
  /** The text as written, when it matched no place. */
  readonly unresolvedPlace?: string;
}

/** The register's ids for a free-text place written before the register existed. */
export function resolveLegacyPlace(text: string): ResolvedPlaces {
  const ids = ALIASES[placeNameKey(text)];
  return ids ? { placeIds: [...ids] } : { placeIds: [], unresolvedPlace: text };
}

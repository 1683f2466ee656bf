import { TALK_ROLES } from '../../../libs/domain/src/agencies/agencies';
import type { MessageKey } from './i18n';

/**
 * The main menu: each item with the roles that see it (every signed-in role when none are
 * named). The API decides access on every request; the menu only leaves out what a role could
 * not open anyway.
 */
export interface MenuItem {
  readonly path: string;
  readonly label: MessageKey;
  readonly roles?: readonly string[];
}

export const MAIN_MENU: readonly MenuItem[] = [
  { path: '/', label: 'nav.start' },
  { path: '/lagesbild', label: 'nav.situation' },
  { path: '/registrera', label: 'nav.record' },
  { path: '/medborgarlofte', label: 'nav.promise' },
  { path: '/trygghetsvandringar', label: 'walks.nav' },
  { path: '/brister', label: 'findings.nav' },
  { path: '/samtal', label: 'talks.nav', roles: Object.values(TALK_ROLES).flat() },
  {
    path: '/administration',
    label: 'nav.admin',
    roles: ['user-administrator', 'safety-coordinator'],
  },
  // Every agency's users read their own agency's actions (GET /api/audit-trail); the read-access
  // log and erasure, linked from the page, are the data protection officer's.
  { path: '/granskning', label: 'nav.audit' },
  { path: '/invanare', label: 'nav.residents' },
];

export const inMenuFor = (role: string | null) => (item: MenuItem) =>
  !item.roles || (role !== null && item.roles.includes(role));

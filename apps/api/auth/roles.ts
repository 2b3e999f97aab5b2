/** The roles a token may carry. */
export const ROLES = ['coordinator', 'approver', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from the verified token: the only source of the actor recorded by workflows. */
export interface AuthenticatedUser {
  sub: string;
  name: string;
  roles: Role[];
  /** When set, the token may only touch plans of these units. */
  units?: string[];
}

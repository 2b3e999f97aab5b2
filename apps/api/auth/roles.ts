/** The roles a token may carry. */
/** `ops` reads decrypted payloads in the Temporal UI through the codec endpoint (apps/api/codec). */
export const ROLES = ['coordinator', 'approver', 'viewer', 'admin', 'ops'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, from the verified token: the only source of the actor recorded by workflows. */
export interface AuthenticatedUser {
  sub: string;
  name: string;
  roles: Role[];
  /** When set, the token may only touch plans of these units. */
  units?: string[];
}

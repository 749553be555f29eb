/** An audit event as the admin API returns it (shared with the admin panel). */
export interface AuditEvent {
  id: number;
  /** `<subject>.<verb>`, e.g. `token.created`. */
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  /** `admin:<id>` or `token:<documentId>`. */
  actor: string | null;
  /** The admin's or the token's name, when the actor still exists. */
  actorName: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
  createdAt: string;
}

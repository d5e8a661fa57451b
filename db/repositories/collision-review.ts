// Email collisions as the operator reviews them (SPEC §12): both sessions side by side, each with its profile, its
// message count and its last few messages. Read-only; merging and dismissing belong to the customers plugin.
import { sql, type Kysely } from 'kysely'
import type { CollisionStatus, DB, MessageRole } from '../types.ts'

export interface ReviewSideRow {
  session_id: string
  customer_id: string | null
  created_at: Date
  last_activity_at: Date
  messages: number
  customer_name: string | null
  email: string | null
  phone: string | null
  products_of_interest: string[] | null
  services_of_interest: string[] | null
}

export interface ReviewMessageRow {
  session_id: string
  id: string
  role: MessageRole
  content: string
  created_at: Date
}

export function createCollisionReviewRepository (db: Kysely<DB>) {
  return {
    async list (status: CollisionStatus, limit: number) {
      return await db.selectFrom('email_collisions')
        .select(['id', 'email', 'status', 'detected_at', 'session_id', 'other_session_id'])
        .where('status', '=', status)
        .orderBy('detected_at', 'desc').orderBy('id', 'desc')
        .limit(limit)
        .execute()
    },

    async sides (sessionIds: string[]): Promise<ReviewSideRow[]> {
      if (sessionIds.length === 0) return []
      return await db.selectFrom('sessions as s')
        .leftJoin('profiles as p', 'p.session_id', 's.id')
        .select(['s.id as session_id', 's.customer_id', 's.created_at', 's.last_activity_at', 'p.customer_name', 'p.email', 'p.phone',
          'p.products_of_interest', 'p.services_of_interest'])
        .select(sql<number>`(select count(*) from messages m where m.session_id = s.id)::int8`.as('messages'))
        .where('s.id', 'in', sessionIds)
        .execute()
    },

    /** The newest `perSession` messages of each session, oldest first within a session. */
    async lastMessages (sessionIds: string[], perSession: number): Promise<ReviewMessageRow[]> {
      if (sessionIds.length === 0) return []
      const { rows } = await sql<ReviewMessageRow>`
        select s.id as session_id, m.id, m.role, m.content, m.created_at
        from unnest(cast(${sessionIds} as uuid[])) as s(id)
          cross join lateral (
            select id, role, content, created_at from messages where session_id = s.id
            order by created_at desc, id desc limit ${perSession}
          ) m
        order by s.id, m.created_at, m.id`.execute(db)
      return rows
    }
  }
}

export type CollisionReviewRepository = ReturnType<typeof createCollisionReviewRepository>

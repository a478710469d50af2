import type { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('queued', 'offered', 'connected', 'wrapup')`;

/**
 * Issue 13, part 2: a webhook proves only which account's secret signed it, so everything it may touch is scoped to
 * that account. A platform id is unique per account (not per platform), threads and open interactions are found
 * within the account, and a change kept for a message still to come names its account.
 *
 * Workflow ids stay the contract's `interaction-<platform>-<conversation key>`; when an open interaction already holds
 * that id (another account's, in a thread two of our accounts take part in or a forger's copy of someone else's key;
 * or the account's own, an escalated thread that moved to its Messenger key), the new one is
 * `…~<account platform id>` (then `~2`, `~3`…). Conversation keys never contain `~` (the ingest only takes ids of the
 * platforms' alphabets), so the forms never meet, and a unique index keeps one open interaction per id.
 */
export class AccountScope1764000000004 implements MigrationInterface {
  name = 'AccountScope1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX uq_messages_platform_id`);
    await q.query(`
      CREATE UNIQUE INDEX uq_messages_account_platform_id ON messages (account_id, platform_message_id)
      WHERE platform_message_id IS NOT NULL`);
    await q.query(`DROP INDEX ix_messages_thread`);
    await q.query(`CREATE INDEX ix_messages_thread ON messages (account_id, conversation_key, sent_at)`);
    await q.query(`DROP INDEX uq_interactions_open_thread`);
    await q.query(`
      CREATE UNIQUE INDEX uq_interactions_open_thread ON interactions (account_id, conversation_key)
      WHERE state IN ${OPEN}`);
    await q.query(`
      CREATE UNIQUE INDEX uq_interactions_open_workflow ON interactions (workflow_id)
      WHERE state IN ${OPEN} AND workflow_id IS NOT NULL`);
    await q.query(`DROP INDEX ix_interactions_thread`);
    await q.query(`CREATE INDEX ix_interactions_thread ON interactions (account_id, conversation_key, created_at)`);
    // A kept change never said whose message it is, and applying it to whichever account has that id is the hole
    // this closes: they are dropped (the platform's own copy of the message already carries any later edit).
    await q.query(`DELETE FROM pending_changes`);
    await q.query(
      `ALTER TABLE pending_changes ADD COLUMN account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE`,
    );
    await q.query(`DROP INDEX ix_pending_changes_message`);
    await q.query(`CREATE INDEX ix_pending_changes_message ON pending_changes (account_id, platform_message_id)`);

    // Under a transaction lock on the plain id, so that two threads opening at once see each other's choice.
    await q.query(`
      CREATE FUNCTION sb_workflow_id(p_account uuid, p_key text) RETURNS text
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        plain text;
        candidate text;
        n integer := 1;
      BEGIN
        SELECT 'interaction-' || a.platform || '-' || p_key, a.platform_account_id INTO plain, candidate
          FROM accounts a WHERE a.id = p_account;
        IF plain IS NULL THEN
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext(plain));
        candidate := plain || '~' || candidate;
        IF NOT EXISTS (SELECT 1 FROM interactions i WHERE i.workflow_id = plain AND i.state IN ${OPEN}) THEN
          RETURN plain;
        END IF;
        WHILE EXISTS (SELECT 1 FROM interactions i
                       WHERE i.workflow_id = candidate || CASE WHEN n = 1 THEN '' ELSE '~' || n END
                         AND i.state IN ${OPEN}) LOOP
          n := n + 1;
        END LOOP;
        RETURN candidate || CASE WHEN n = 1 THEN '' ELSE '~' || n END;
      END
      $fn$`);

    await q.query(`DROP FUNCTION sb_route_message(uuid, uuid, boolean, uuid, integer, jsonb, text)`);
    await q.query(`
      CREATE FUNCTION sb_route_message(
        p_message uuid, p_channel uuid, p_filtered boolean, p_workgroup uuid, p_priority integer, p_skills jsonb)
      RETURNS TABLE (outcome text, interaction_id uuid, interaction_type text, interaction_state text,
                     workflow_id text)
      LANGUAGE plpgsql AS $fn$
      #variable_conflict use_column
      DECLARE
        m record;
        target record;
        opened boolean := false;
      BEGIN
        SELECT msg.id, msg.platform, msg.account_id, msg.conversation_key, msg.interaction_id AS iid, msg.customer_id,
               msg.visibility, msg.routed_at, msg.deleted_at
          INTO m FROM messages msg WHERE msg.id = p_message FOR UPDATE SKIP LOCKED;
        IF NOT FOUND OR m.routed_at IS NOT NULL THEN
          RETURN QUERY SELECT 'skip'::text, NULL::uuid, NULL::text, NULL::text, NULL::text;
          RETURN;
        END IF;

        IF m.iid IS NOT NULL THEN
          SELECT i.id, i.type, i.state, i.workflow_id INTO target FROM interactions i WHERE i.id = m.iid;
          IF FOUND AND target.workflow_id IS NOT NULL THEN
            RETURN QUERY SELECT 'deliver'::text, target.id, target.type, target.state, target.workflow_id;
            RETURN;
          END IF;
          UPDATE messages SET routed_at = now() WHERE id = m.id;
          RETURN QUERY SELECT 'done'::text, m.iid, NULL::text, NULL::text, NULL::text;
          RETURN;
        END IF;

        SELECT i.id, i.type, i.state, i.workflow_id INTO target FROM interactions i
         WHERE i.account_id = m.account_id AND i.conversation_key = m.conversation_key AND i.state IN ${OPEN}
           FOR UPDATE;
        IF NOT FOUND THEN
          -- Deleted before it was routed, or no channel takes the account: nothing to answer.
          IF m.deleted_at IS NOT NULL OR p_channel IS NULL THEN
            UPDATE messages SET routed_at = now() WHERE id = m.id;
            RETURN QUERY SELECT 'done'::text, NULL::uuid, NULL::text, NULL::text, NULL::text;
            RETURN;
          END IF;
          INSERT INTO interactions (type, platform, account_id, channel_id, conversation_key, state, workgroup_id,
                                    priority, skills, customer_id, queued_at, workflow_id)
          VALUES (CASE WHEN m.visibility = 'public' THEN 'conversation' ELSE 'directMessage' END, m.platform,
                  m.account_id, p_channel, m.conversation_key,
                  CASE WHEN p_filtered THEN 'filtered' ELSE 'queued' END,
                  CASE WHEN p_filtered THEN NULL ELSE p_workgroup END, p_priority, p_skills, m.customer_id,
                  CASE WHEN p_filtered THEN NULL ELSE now() END,
                  CASE WHEN p_filtered THEN NULL ELSE sb_workflow_id(m.account_id, m.conversation_key) END)
          ON CONFLICT (account_id, conversation_key) WHERE state IN ${OPEN}
          DO NOTHING
          RETURNING id, type, state, workflow_id INTO target;
          IF FOUND THEN
            opened := true;
            INSERT INTO interaction_events (interaction_id, type, state, workgroup_id, data)
            VALUES (target.id, CASE WHEN p_filtered THEN 'filtered' ELSE 'queued' END, target.state,
                    CASE WHEN p_filtered THEN NULL ELSE p_workgroup END,
                    jsonb_build_object('channelId', p_channel, 'messageId', m.id));
            -- A filtered message needs nobody's attention now; it is in the reports.
            IF NOT p_filtered THEN
              PERFORM pg_notify('switchboard_events',
                                json_build_object('kind', 'interaction', 'interactionId', target.id)::text);
            END IF;
          ELSE
            -- Another message of the thread opened it a moment ago: join that one.
            SELECT i.id, i.type, i.state, i.workflow_id INTO target FROM interactions i
             WHERE i.account_id = m.account_id AND i.conversation_key = m.conversation_key AND i.state IN ${OPEN}
               FOR UPDATE;
            IF NOT FOUND THEN
              -- Opened and already closed in between: leave it to the sweep, which routes it afresh.
              RETURN QUERY SELECT 'skip'::text, NULL::uuid, NULL::text, NULL::text, NULL::text;
              RETURN;
            END IF;
          END IF;
        END IF;

        -- A customer writing again on a thread marked deleted is still there: the interaction is not abandoned.
        IF NOT opened THEN
          UPDATE interactions SET thread_deleted_at = NULL WHERE id = target.id AND thread_deleted_at IS NOT NULL;
        END IF;

        -- Joining an open interaction needs nothing from Temporal: its workflow was started by the message that
        -- opened it. Only an opener with a workflow is marked routed after the hand-over.
        UPDATE messages
           SET interaction_id = target.id,
               routed_at = CASE WHEN opened AND target.workflow_id IS NOT NULL THEN NULL ELSE now() END
         WHERE id = m.id;
        -- NOTIFY serialises committing transactions on one lock: only what an agent or supervisor may see is told.
        IF target.state <> 'filtered' THEN
          PERFORM pg_notify('switchboard_events',
                            json_build_object('kind', 'message.created', 'messageId', m.id)::text);
        END IF;
        IF opened AND target.workflow_id IS NOT NULL THEN
          RETURN QUERY SELECT 'deliver'::text, target.id, target.type, target.state, target.workflow_id;
        ELSE
          RETURN QUERY SELECT 'done'::text, target.id, target.type, target.state, target.workflow_id;
        END IF;
      END
      $fn$`);
  }

  down(): Promise<void> {
    // Going back would need a global uniqueness the data may no longer satisfy (one post kept once per account).
    return Promise.reject(new Error('AccountScope1764000000004 cannot be reverted'));
  }
}

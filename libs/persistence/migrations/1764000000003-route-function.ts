import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The database half of routing a customer message, in one round trip: lock the message, join the thread's open
 * interaction (a customer writing again clears a thread deletion), or open one as the caller's channel decision says
 * (`p_channel` null: no channel takes the account; the workflow id is `p_workflow_prefix` + the locked message's
 * conversation key), record the reporting event, notify the gateways. Hundreds of messages a second pass through it, most of them
 * filtered, so one statement instead of a transaction of six matters.
 *
 * Returns one row: `skip` (routed already, or being routed by another process), `done` (nothing for Temporal), or
 * `deliver` (this message opened an interaction with a workflow: hand it over, then mark the message routed).
 */
export class RouteFunction1764000000003 implements MigrationInterface {
  name = 'RouteFunction1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION sb_route_message(
        p_message uuid, p_channel uuid, p_filtered boolean, p_workgroup uuid, p_priority integer, p_skills jsonb,
        p_workflow_prefix text)
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
         WHERE i.platform = m.platform AND i.conversation_key = m.conversation_key
           AND i.state IN ('queued', 'offered', 'connected', 'wrapup')
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
                  CASE WHEN p_filtered THEN NULL ELSE p_workflow_prefix || m.conversation_key END)
          ON CONFLICT (platform, conversation_key) WHERE state IN ('queued', 'offered', 'connected', 'wrapup')
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
             WHERE i.platform = m.platform AND i.conversation_key = m.conversation_key
               AND i.state IN ('queued', 'offered', 'connected', 'wrapup')
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

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION sb_route_message(uuid, uuid, boolean, uuid, integer, jsonb, text)`);
  }
}

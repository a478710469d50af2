import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workgroups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE,
        accept_timeout_seconds integer NOT NULL CHECK (accept_timeout_seconds > 0),
        wrap_up_required boolean NOT NULL,
        wrap_up_timeout_seconds integer CHECK (wrap_up_timeout_seconds > 0),
        service_level_seconds integer NOT NULL CHECK (service_level_seconds > 0),
        overflow_after_seconds integer CHECK (overflow_after_seconds > 0),
        overflow_workgroup_id uuid REFERENCES workgroups(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['admin','supervisor','agent']::text[]),
        workgroup_ids uuid[] NOT NULL DEFAULT '{}',
        skills jsonb NOT NULL DEFAULT '{}',
        capacity jsonb NOT NULL,
        status text NOT NULL DEFAULT 'offline' CHECK (status IN ('available','away','offline')),
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        last_offered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_users_workgroups ON users USING gin (workgroup_ids)`);
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform text NOT NULL CHECK (platform IN ('facebook','twitter')),
        name text NOT NULL,
        platform_account_id text NOT NULL,
        handle text,
        ingest text NOT NULL DEFAULT 'webhook' CHECK (ingest IN ('webhook','poll')),
        credentials_ciphertext text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_accounts_platform_account UNIQUE (platform, platform_account_id)
      )`);
    await q.query(`
      CREATE TABLE channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        account_ids uuid[] NOT NULL,
        keywords jsonb NOT NULL,
        public_workgroup_id uuid REFERENCES workgroups(id) ON DELETE RESTRICT,
        private_workgroup_id uuid REFERENCES workgroups(id) ON DELETE RESTRICT,
        priority integer NOT NULL DEFAULT 0,
        skills jsonb NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_channels_accounts ON channels USING gin (account_ids)`);
    await q.query(`
      CREATE TABLE wrapup_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        label text NOT NULL,
        workgroup_ids uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE standard_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        text text NOT NULL,
        workgroup_ids uuid[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform text NOT NULL,
        platform_user_id text NOT NULL,
        handle text,
        name text,
        followers integer,
        profile_url text,
        avatar_url text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_customers_platform_user UNIQUE (platform, platform_user_id)
      )`);
    await q.query(`
      CREATE TABLE interactions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN ('conversation','directMessage')),
        platform text NOT NULL,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
        channel_id uuid REFERENCES channels(id) ON DELETE SET NULL,
        conversation_key text NOT NULL,
        state text NOT NULL CHECK (state IN ('filtered','queued','offered','connected','wrapup','completed')),
        workgroup_id uuid REFERENCES workgroups(id) ON DELETE SET NULL,
        agent_id uuid REFERENCES users(id) ON DELETE SET NULL,
        priority integer NOT NULL DEFAULT 0,
        skills jsonb NOT NULL DEFAULT '{}',
        parent_id uuid REFERENCES interactions(id) ON DELETE SET NULL,
        customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
        offer_id uuid,
        offer_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        queued_at timestamptz,
        offered_at timestamptz,
        connected_at timestamptz,
        disconnected_at timestamptz,
        completed_at timestamptz,
        wrap_up_code text,
        end_reason text,
        workflow_id text
      )`);
    await q.query(`
      CREATE UNIQUE INDEX uq_interactions_open_thread ON interactions (platform, conversation_key)
      WHERE state IN ('queued','offered','connected','wrapup')`);
    await q.query(`
      CREATE INDEX ix_interactions_queue ON interactions (workgroup_id, priority DESC, queued_at)
      WHERE state = 'queued'`);
    await q.query(`CREATE INDEX ix_interactions_agent ON interactions (agent_id) WHERE agent_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_interactions_thread ON interactions (platform, conversation_key, created_at)`);
    await q.query(`CREATE INDEX ix_interactions_customer ON interactions (customer_id, created_at)`);
    await q.query(`CREATE INDEX ix_interactions_created ON interactions (created_at)`);
    await q.query(`
      CREATE TABLE messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform text NOT NULL,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE RESTRICT,
        platform_message_id text,
        conversation_key text NOT NULL,
        interaction_id uuid REFERENCES interactions(id) ON DELETE SET NULL,
        direction text NOT NULL CHECK (direction IN ('inbound','outbound')),
        visibility text NOT NULL CHECK (visibility IN ('public','private')),
        in_reply_to text,
        author_platform_id text,
        customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
        agent_id uuid REFERENCES users(id) ON DELETE SET NULL,
        text text,
        attachments jsonb NOT NULL DEFAULT '[]',
        revisions jsonb NOT NULL DEFAULT '[]',
        sent_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        delivery_status text CHECK (delivery_status IN ('pending','sent','failed')),
        delivery_error jsonb,
        routed_at timestamptz,
        raw jsonb
      )`);
    await q.query(`
      CREATE UNIQUE INDEX uq_messages_platform_id ON messages (platform, platform_message_id)
      WHERE platform_message_id IS NOT NULL`);
    await q.query(`CREATE INDEX ix_messages_thread ON messages (platform, conversation_key, sent_at)`);
    await q.query(`CREATE INDEX ix_messages_interaction ON messages (interaction_id, sent_at)`);
    await q.query(`CREATE INDEX ix_messages_unrouted ON messages (received_at) WHERE routed_at IS NULL`);
    await q.query(`
      CREATE TABLE interaction_events (
        id bigserial PRIMARY KEY,
        interaction_id uuid NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
        type text NOT NULL,
        state text NOT NULL,
        agent_id uuid,
        workgroup_id uuid,
        at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX ix_interaction_events_interaction ON interaction_events (interaction_id, id)`);
    await q.query(`CREATE INDEX ix_interaction_events_at ON interaction_events (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'interaction_events',
      'messages',
      'interactions',
      'customers',
      'standard_responses',
      'wrapup_codes',
      'channels',
      'accounts',
      'users',
      'workgroups',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

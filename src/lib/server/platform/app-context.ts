import type { Database } from '../../../../db/client.ts';
import { migrateDatabase } from '../../../../db/migrate.ts';
import type { ReviewWallConfig } from '../../config-schema.ts';
import { ConfigError } from '../../config-schema.ts';
import { getConfig } from '../../config.ts';
import { getDatabase } from './database.ts';
import { getEnvironment, type Environment } from './env.ts';
import { createMailTransport, type Mailer } from './mail.ts';

/** What every command needs: validated config and environment, a migrated database, a mailer. */
export interface AppContext {
  config: ReviewWallConfig;
  env: Environment;
  db: Database;
  mailer: Mailer;
}

/** The sender address: MAIL_FROM, or the business name at a placeholder address for the outbox. */
export function senderAddress(config: ReviewWallConfig, env: Environment): string {
  return env.MAIL_FROM ?? `"${config.business.name.replace(/"/g, '')}" <reviews@localhost>`;
}

/**
 * Validates configuration and environment, opens the database and applies migrations.
 * Any problem becomes a ConfigError with a one-line message.
 */
export async function openAppContext(): Promise<AppContext> {
  const config = getConfig();
  const env = getEnvironment();
  let db: Database;
  try {
    db = await getDatabase();
    await migrateDatabase(db);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`DATABASE_URL: cannot open the database (${reason})`);
  }
  const mailer: Mailer = { db, transport: createMailTransport(env), from: senderAddress(config, env) };
  return { config, env, db, mailer };
}

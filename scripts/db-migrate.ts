#!/usr/bin/env node
// npm run db:migrate: apply the committed SQL migrations to DATABASE_URL.
import { openAppContext } from '../src/lib/server/platform/app-context.ts';
import { parseCommandLine, runCommand } from '../src/lib/server/platform/cli.ts';

runCommand('db:migrate', async () => {
  const { values } = parseCommandLine({});
  if (values.help) {
    console.log('Usage: npm run db:migrate\n\nApplies the SQL migrations in db/migrations/ to DATABASE_URL (also done on every start).');
    return 0;
  }
  const { env } = await openAppContext();
  console.log(`Database is up to date (${env.DATABASE_URL.replace(/\/\/[^@/]*@/, '//')}).`);
});

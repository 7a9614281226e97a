/** `npx tsx test/setup/up.ts`: start (or find) the test servers and print their env lines. */
import { provisionTestServices } from './global-setup.ts';

const env = await provisionTestServices();
for (const [k, v] of Object.entries(env)) process.stdout.write(`export ${k}=${v}\n`);

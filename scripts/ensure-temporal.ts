import { loadConfig } from '@switchboard/config';
import { ensureTemporalCli, findTemporalCli } from '@switchboard/embedded';

/** Run by `npm install`: a fresh machine gets the Temporal CLI without a manual step. */
function main(): void {
  const config = loadConfig();
  if (config.temporal.address) return;
  try {
    const found = findTemporalCli(config.temporal.cli);
    const cli = found ?? ensureTemporalCli(config.temporal.cli);
    console.log(`Temporal CLI: ${cli}`);
  } catch (error) {
    // Not fatal here: `npm start` tries again and explains what is missing.
    console.warn(`Could not install the Temporal CLI now: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main();

export * from './interaction.activities';
export * from './poller.activities';
